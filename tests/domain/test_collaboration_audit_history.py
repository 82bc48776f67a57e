"""The audit ledger's replay folds 多機関協働's new events into plans, meetings and the case."""
import json
from pathlib import Path

import kasane_contracts

from audit.history import replay

EXAMPLES = Path(kasane_contracts.__file__).parent / "examples"


def example(channel: str) -> dict:
    return json.loads((EXAMPLES / channel / "valid" / "plain.json").read_text(encoding="utf-8"))


def test_a_plan_in_force_then_its_closure_show_in_the_replayed_household():
    approved, closed = example("collaboration.plan_approved.v1"), example("collaboration.case_closed.v1")
    closed["occurred_at"] = "2027-03-16T01:00:00Z"
    state = replay(approved["household_id"], [closed, approved])["state"]
    plan = state["plans"][approved["payload"]["plan_id"]]
    assert plan["status"] == "実施中" and plan["roles"][0]["service"] == "アウトリーチ等を通じた継続的支援事業"
    assert state["cases"][closed["payload"]["case_id"]]["status"] == "終結"
    assert [m["decision"] for m in state["meetings"]] == ["プランの適切性を確認", "支援終結の判断"]
