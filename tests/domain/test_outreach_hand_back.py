"""多機関協働からのつなぎ戻し in アウトリーチ, in memory (issue 8, continued).

A person outreach handed over to 多機関協働 comes back when 多機関協働 ends its case:
`collaboration.household_handed_back` v1, addressed to the outreach instance, names the
outreach case as its consultation_id. The case records it once, opens again as a follow-up and
returns from つなぎ to 関係構築 (stages.py); a hand-back naming no case of this instance, or one
that does not fit the case, is logged by ids only and ignored. The audit ledger's replay shows
the outreach case taken up again without a personal detail.
"""
import json
import logging
from datetime import date
from uuid import uuid4

import pytest

from kasane_contracts import validate_envelope

from audit.history import replay
from outreach import schemas
from outreach.integration import SUBSCRIPTIONS

from tests.domain.outreach_steps import DESK, ORIGIN, Csw

TAKIKAN = {"instance": "ise-takikan", "organisation": "org-city"}
NAME, SUMMARY = "見本 四郎", "長男は週1回外出できるようになった"
ON = date(2026, 12, 1)


@pytest.fixture
def csw():
    return Csw()


def handed_over_case(csw: Csw, to=TAKIKAN, to_service="collaboration") -> dict:
    household_id = str(uuid4())
    lead = csw.lead(household_id=household_id, persons=[{"name": NAME, "relation": "self"}])
    csw.contact(lead["case_id"])
    csw.consent(lead["case_id"], lead["person_ids"][0], organisations=[],
                purposes=["collaboration", "connection"])
    handed = csw.run("hand_over", schemas.HandOverSchema(), {
        "case_id": lead["case_id"], "to_service": to_service, "to": to,
        "issue_categories": ["hikikomori"], "worker_id": "csw-03",
        "handed_over_at": "2026-07-01T10:00:00+09:00"})
    assert handed["stage"] == "connected"
    return {**lead, "household_id": household_id}


def handed_back(case: dict, *, hand_back_id: str | None = None, consultation_id="same",
                household_id: str | None = None, personal: dict | None = None) -> dict:
    payload = {"hand_back_id": hand_back_id or str(uuid4()), "case_id": str(uuid4()),
               "consultation_id": case["case_id"] if consultation_id == "same" else consultation_id,
               "to_agency": {"agency_id": "shakyo-csw", "name": "伊勢市社会福祉協議会 CSW"},
               "ending": "closed", "issue_categories": ["hikikomori", "isolation"],
               "handed_back_at": "2026-11-20T01:00:00Z"}
    if personal:
        payload["personal"] = personal
    envelope = {"event_id": str(uuid4()), "type": "collaboration.household_handed_back", "version": 1,
                "occurred_at": "2026-11-20T01:00:00Z",
                "household_id": household_id or case["household_id"],
                "origin": {"service": "collaboration", "organisation": "org-city", "instance": "ise-takikan"},
                "position": 7, "correlation_id": str(uuid4()), "causation_id": str(uuid4()),
                "recipient": {"instance": ORIGIN.instance}, "payload": payload}
    assert validate_envelope(envelope) == envelope  # what the inbox consumer would let through
    return envelope


def row_of(csw: Csw, case_id: str) -> list:
    return [r for r in csw.app.open_leads(ON)["leads"] if r["case_id"] == case_id]


def with_person(case: dict) -> dict:
    return {"persons": [{"person_id": case["person_ids"][0], "name": NAME, "relation": "self",
                         "kana": "ミホン シロウ"}], "plan_summary": SUMMARY}


def test_outreach_subscribes_to_hand_backs_addressed_to_it():
    assert ("collaboration.household_handed_back", 1, "addressed") in SUBSCRIPTIONS


def test_a_hand_back_is_recorded_once_and_the_case_is_a_follow_up_again_at_relationship_building(csw):
    case = handed_over_case(csw)
    [row] = row_of(csw, case["case_id"])  # handed over, still followed (つながり続ける支援)
    assert row["stage"] == "connected"
    before = csw.stored()
    message = handed_back(case, personal=with_person(case))
    csw.receive(message)
    csw.receive({**handed_back(case, hand_back_id=message["payload"]["hand_back_id"]),
                  "payload": message["payload"]})  # the same hand-back again, another event
    assert csw.stored() == before + 1
    record = csw.app.case(case["case_id"])
    [hand_back] = record["hand_backs"]
    assert hand_back["label"] == "多機関協働からのつなぎ戻し" and hand_back["ending_label"] == "終結"
    assert hand_back["hand_back_id"] == message["payload"]["hand_back_id"]
    assert hand_back["collaboration_case_id"] == message["payload"]["case_id"]
    assert hand_back["issue_categories"] == ["hikikomori", "isolation"]
    assert hand_back["handed_back_at"] == "2026-11-20T01:00:00+00:00"
    assert hand_back["with_personal_details"] is True
    assert record["stage"] == "building_relationship" and record["stage_label"] == "関係構築"
    [person] = record["personal"]["persons"]  # the same person, now with what came back
    assert person["person_id"] == case["person_ids"][0] and person["kana"] == "ミホン シロウ"
    assert record["personal"]["hand_back_summaries"] == {hand_back["hand_back_id"]: SUMMARY}
    [row] = row_of(csw, case["case_id"])
    assert row["stage_label"] == "関係構築" and row["handed_back"]["label"] == "多機関協働からのつなぎ戻し"
    assert row["days_without_contact"] == (ON - date(2026, 11, 20)).days  # counted from the hand-back
    assert NAME not in json.dumps(row, ensure_ascii=False)
    assert csw.published("outreach.person_handed_over") and len(csw.published()) == 2  # nothing new left


def test_a_hand_back_without_a_personal_part_changes_no_person(csw):
    case = handed_over_case(csw)
    csw.receive(handed_back(case))
    record = csw.app.case(case["case_id"])
    assert record["hand_backs"][0]["with_personal_details"] is False
    assert "hand_back_summaries" not in record["personal"]
    assert [p.get("kana") for p in record["personal"]["persons"]] == [None]


def test_a_handed_back_case_is_open_again_and_may_be_handed_over_once_more(csw):
    case = handed_over_case(csw)
    csw.receive(handed_back(case))
    again = csw.run("hand_over", schemas.HandOverSchema(), {
        "case_id": case["case_id"], "to_service": "consultation", "to": DESK,
        "issue_categories": ["hikikomori"], "worker_id": "csw-03",
        "handed_over_at": "2026-12-01T10:00:00+09:00"})
    assert again["stage"] == "connected" and row_of(csw, case["case_id"])[0]["stage"] == "connected"


@pytest.mark.parametrize("naming", ["unknown", "none", "plan"])
def test_a_hand_back_naming_no_case_of_this_instance_is_ignored_and_logged_by_ids(csw, caplog, naming):
    case = handed_over_case(csw)
    if naming == "plan":  # an aggregate of this instance that is not a case
        named = csw.run("make_plan", schemas.MakePlanSchema(), {
            "case_id": csw.lead()["case_id"], "made_on": "2026-05-02", "worker_id": "csw-03",
            "goals": ["玄関先で話せる"], "review_dates": ["2026-08-01"]})["plan_id"]
    else:
        named = {"unknown": str(uuid4()), "none": None}[naming]
    before = csw.stored()
    message = handed_back(case, consultation_id=named, personal=with_person(case))
    with caplog.at_level(logging.WARNING, logger="outreach.incoming"):
        csw.receive(message)
    assert csw.stored() == before
    assert csw.app.case(case["case_id"])["hand_backs"] == []
    [warning] = [r.getMessage() for r in caplog.records if r.name == "outreach.incoming"]
    assert message["payload"]["hand_back_id"] in warning and "names no outreach case" in warning
    assert NAME not in warning and SUMMARY not in warning


@pytest.mark.parametrize("mismatch", ["another_household", "handed_to_a_desk"])
def test_a_hand_back_that_does_not_fit_the_case_is_ignored_and_logged(csw, caplog, mismatch):
    if mismatch == "handed_to_a_desk":
        case = handed_over_case(csw, to=DESK, to_service="consultation")
        message = handed_back(case, personal=with_person(case))
    else:
        case = handed_over_case(csw)
        message = handed_back(case, household_id=str(uuid4()), personal=with_person(case))
    before = csw.stored()
    with caplog.at_level(logging.WARNING, logger="outreach.incoming"):
        csw.receive(message)
    assert csw.stored() == before and csw.app.case(case["case_id"])["stage"] == "connected"
    [warning] = [r.getMessage() for r in caplog.records if r.name == "outreach.incoming"]
    assert case["case_id"] in warning and NAME not in warning and SUMMARY not in warning


def test_the_ledger_replay_shows_the_outreach_case_taken_up_again_without_personal_details(csw):
    case = handed_over_case(csw)
    [handover] = csw.published("outreach.person_handed_over")
    handover["occurred_at"] = "2026-07-01T01:00:00Z"
    message = handed_back(case, personal=with_person(case))
    result = replay(case["household_id"], [handover, message])
    outreach_case = result["state"]["outreach"][case["case_id"]]
    assert outreach_case["status"] == "多機関協働からのつなぎ戻し（関わり継続）"
    assert outreach_case["ending"] == "終結" and outreach_case["hand_back_with_personal_details"] is True
    collaboration_case = result["state"]["cases"][message["payload"]["case_id"]]
    assert collaboration_case["handed_back_to"] == "伊勢市社会福祉協議会 CSW"
    assert collaboration_case["handed_back_to_instance"] == ORIGIN.instance
    assert [row["label"] for row in result["events"]] == ["アウトリーチからの引き継ぎ", "つなぎ戻し"]
    told = json.dumps(result, ensure_ascii=False)
    assert NAME not in told and SUMMARY not in told
