"""The audit ledger's replay folds issue 8's events (支援会議の決定, アウトリーチの依頼, outreach
consent and its withdrawal, つなぎ and 引き継ぎ, plan reports) in Japanese, and never puts a
person's details into the replayed state or the timeline."""
import json
from datetime import datetime, timezone
from pathlib import Path

import kasane_contracts

from audit.history import EVENT_LABELS, replay

EXAMPLES = Path(kasane_contracts.__file__).parent / "examples"
HOUSEHOLD = "6f1c2a9e-3b7d-4e51-9a0c-2d8e4f6b1a73"
NEW = ("collaboration.support_meeting_decided", "consultation.outreach_requested",
       "outreach.consent_withdrawn", "outreach.person_handed_over", "outreach.consent_obtained",
       "outreach.person_connected", "outreach.plan_reported")


def examples(channel: str) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((EXAMPLES / f"{channel}.v1" / "valid").glob("*.json"))]


def personal_strings(event: dict) -> list[str]:
    personal = event["payload"].get("personal") or {}
    texts = [v for v in personal.values() if isinstance(v, str) and len(v) > 2]  # not x_gender "f"
    texts += [v for p in personal.get("persons") or [] for k, v in p.items()
              if isinstance(v, str) and k in ("name", "kana", "birth_date")]
    return texts


def test_every_new_event_has_a_japanese_label():
    for event_type in NEW:
        assert EVENT_LABELS[event_type] != event_type and not EVENT_LABELS[event_type].isascii()


def test_the_replay_folds_the_outreach_story_without_a_personal_detail():
    entries = []
    for position, channel in enumerate(NEW, 1):
        for event in examples(channel):
            event.update(household_id=HOUSEHOLD, position=position * 10 + len(entries),
                         event_id=f"00000000-0000-4000-8000-{len(entries):012d}")
            entries.append(event)
    secrets = [s for e in entries for s in personal_strings(e)]
    assert len(secrets) >= 10  # the examples do carry names, addresses, descriptions
    result = replay(HOUSEHOLD, entries)
    told = json.dumps(result, ensure_ascii=False)
    assert [s for s in secrets if s in told] == []
    state = result["state"]
    [decision] = [m for m in state["meetings"] if m.get("decision_id")]
    assert decision["kind"] == "支援会議（法106条の6）" and decision["decision"] == "情報共有の決定"
    assert decision["sent_to"][0]["role"] == "アウトリーチによる接触"
    assert decision["sent_to"][0]["with_personal_details"] is True
    requests = [r for c in state["consultations"].values() for r in c.get("outreach_requests", [])]
    assert requests[0]["noticed"] == ["ひきこもり", "孤立"] and requests[0]["to_instance"] == "ise-csw"
    assert sorted(r["with_personal_details"] for r in requests) == [False, True]
    case = state["outreach"]["6c7d8e9f-0a1b-4c2d-9e3f-4a5b6c7d8e9f"]
    assert case["status"] == "つなぎ済" and case["basis"] in ("本人同意", "支援会議の決定（法106条の6）")
    withdrawn = [c for c in state["consent"].values() if c.get("status") == "撤回"]
    assert withdrawn
    labels = {row["label"] for row in result["events"]}
    assert {"支援会議の決定（法106条の6）", "アウトリーチの依頼", "本人同意の撤回（アウトリーチ）",
            "アウトリーチからの引き継ぎ"} <= labels


def test_as_of_a_date_before_the_withdrawal_the_consent_is_still_in_force():
    obtained = examples("outreach.consent_obtained")[0]
    withdrawn = examples("outreach.consent_withdrawn")[0]
    withdrawn["payload"]["consent_id"] = obtained["payload"]["consent_id"]
    obtained["occurred_at"], withdrawn["occurred_at"] = "2026-06-01T00:00:00Z", "2026-07-01T00:00:00Z"
    withdrawn["event_id"] = "00000000-0000-4000-8000-000000000099"
    key = obtained["payload"]["consent_id"]
    before = replay(HOUSEHOLD, [obtained, withdrawn], datetime(2026, 6, 15, tzinfo=timezone.utc))
    after = replay(HOUSEHOLD, [obtained, withdrawn])
    assert before["state"]["consent"][key]["status"] == "同意あり"
    assert after["state"]["consent"][key]["status"] == "撤回"
