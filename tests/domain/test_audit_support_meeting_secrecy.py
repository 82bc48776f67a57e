"""支援会議の秘密 in the auditors' replay (issue 19, seed 000_ee77b08442998357.txt §4, DOMAIN §4/§11):
an auditor, or a person of a member organisation, sees which household a 支援会議 decided on, its
decision and its member list; any other reader sees only that a 支援会議 took place."""
import json
from pathlib import Path

import kasane_contracts

from audit.history import replay
from audit.secrecy import conceal, sees_support_meeting

EXAMPLES = Path(kasane_contracts.__file__).parent / "examples" / "collaboration.support_meeting_decided.v1" / "valid"
HOUSEHOLD = "6f1c2a9e-3b7d-4e51-9a0c-2d8e4f6b1a73"
AUDITOR = {"name": "監査 一郎", "organisation": "ise-audit", "role": "監査員"}
OUTSIDER = {"name": "相談 花子", "organisation": "ise-houkatsu", "role": "相談員"}
MEMBER = {"name": "社協 太郎", "organisation": "ise-shakyo", "role": "相談員"}


def decisions() -> list[dict]:
    """Two recipients of one meeting's decision (one with personal details), as the ledger holds them."""
    [event] = [json.loads(p.read_text(encoding="utf-8")) for p in EXAMPLES.glob("decision_for_*.json")]
    second = json.loads(json.dumps(event))
    second["payload"].update(recipient_organisation="ise-ishikai", role=None, personal=None,
)
    second.update(event_id="4e7e1f52-9a4b-4c86-b1e0-7f2a5c8d9e13", position=13)
    return [event, second]


def test_an_auditor_sees_the_decision_its_members_and_its_recipients():
    [meeting] = replay(HOUSEHOLD, conceal(decisions(), AUDITOR))["state"]["meetings"]
    assert meeting["members"] == ["ise-city", "ise-shakyo", "ise-ishikai"]
    assert meeting["decision"] == "情報共有の決定"
    assert [s["organisation"] for s in meeting["sent_to"]] == ["ise-shakyo", "ise-ishikai"]


def test_a_reader_outside_the_meeting_sees_only_that_a_support_meeting_took_place():
    result = replay(HOUSEHOLD, conceal(decisions(), OUTSIDER))
    assert result["state"]["meetings"] == [{"kind": "支援会議（法106条の6）", "meeting_id": decisions()[0]["payload"]["meeting_id"],
                                            "held_on": "2026-06-19", "decision": result["events"][0]["label"]}]
    assert "支援会議の開催" in result["events"][0]["label"]
    told = json.dumps(result, ensure_ascii=False)
    for secret in ("ise-shakyo", "ise-ishikai", "outreach_contact", "アウトリーチ", "tk-1",
                   "見本", "2026-09-30", "decision_id", "情報共有の決定"):
        assert secret not in told


def test_one_meeting_sent_to_many_organisations_is_one_bare_row_for_an_outsider():
    shown = conceal(decisions(), OUTSIDER)
    assert len(shown) == 1 and set(shown[0]["payload"]) == {"meeting_id", "held_on", "concealed"}
    assert "recipient" not in shown[0]


def test_a_person_of_a_member_organisation_sees_the_decision():
    assert sees_support_meeting(MEMBER, decisions()[0]["payload"])
    [meeting] = replay(HOUSEHOLD, conceal(decisions(), MEMBER))["state"]["meetings"]
    assert meeting["members"] == ["ise-city", "ise-shakyo", "ise-ishikai"]


def test_a_reader_without_a_role_or_organisation_is_not_taken_for_an_auditor_or_a_member():
    payload = decisions()[0]["payload"]
    assert not sees_support_meeting({"name": "x"}, payload)
    assert not sees_support_meeting({"name": "x", "organisation": "ise-houkatsu", "role": "管理者"}, payload)
    assert not sees_support_meeting({"name": "x", "organisation": None, "role": None}, {**payload, "members": [None]})


def test_other_events_pass_unchanged_to_every_reader():
    other = {"type": "collaboration.case_opened", "payload": {"case_id": "c"}}
    assert conceal([other], OUTSIDER) == [other]
