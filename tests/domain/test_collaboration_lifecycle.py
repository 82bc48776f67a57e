"""多機関協働 — a household's case from referral to hand-back, in memory (DOMAIN.md §5).

`Takikan` (tests.domain.collaboration_steps) drives the collaboration application as its RPC
entrypoints and inbox consumer do: commands through their marshmallow schemas, integration events
through the handlers.
"""
from uuid import uuid4

import pytest

from collaboration import schemas
from collaboration.domain.households import HouseholdCases
from collaboration.domain.plan import SupportPlan

from tests.domain.collaboration_steps import CARE_ROLE, HANAKO, ICHIRO, ORGANISATION, OUTREACH_ROLE, Takikan


@pytest.fixture
def takikan():
    return Takikan()


def test_a_referral_opens_a_case_which_may_be_returned_with_a_reason(takikan):
    household = str(uuid4())
    case = takikan.refer(household)
    referral_id = case["referrals"][0]["referral_id"]
    returned = takikan.run("return_referral", schemas.ReturnReferralSchema(),
                           {"case_id": case["case_id"], "referral_id": referral_id,
                            "reason": "single_agency_can_handle", "caseworker_id": "tk-1"})
    assert returned["status"] == "returned"
    assert takikan.app.open_case_of(household) is None
    [sent] = takikan.outgoing("collaboration.referral_returned")
    assert sent.recipient == "desk" and sent.payload["case_ends"] is True
    assert takikan.refer(household)["case_id"] != case["case_id"]  # a new referral, a new case


def test_a_plan_goes_from_draft_through_revision_to_in_force_and_requests_the_outreach_role(takikan):
    household = str(uuid4())
    takikan.consent(household, purposes=("collaboration", "outreach"))
    takikan.consent(household, person_id=ICHIRO, purposes=("collaboration", "outreach"))
    case_id = takikan.refer(household)["case_id"]
    plan = takikan.draft(case_id)
    assert takikan.app.case(case_id)["status"] == "planning"
    takikan.meet(case_id, "plan_revise", comment="役割の開始時期を見直す")
    takikan.run("revise_plan", schemas.RevisePlanSchema(),
                {"plan_id": plan["plan_id"], "revised_on": "2026-06-21", "caseworker_id": "tk-1",
                 "person_goals": [{"person_id": ICHIRO, "goal": "月に二度は外出する"}],
                 "roles": [OUTREACH_ROLE, CARE_ROLE], "monitoring_dates": ["2026-08-31"]})
    takikan.meet(case_id, "plan_appropriate", held_on="2026-06-25")
    case = takikan.app.case(case_id)
    assert (case["status"], case["plan_in_force_id"], case["next_monitoring_on"]) == (
        "monitoring", plan["plan_id"], "2026-08-31")
    [approved] = takikan.outgoing("collaboration.plan_approved")
    assert approved.personal is None and "外出" not in str(approved.payload)
    assert {r["service"] for r in approved.payload["roles"]} == {"outreach", "consultation"}
    [request] = takikan.outgoing("collaboration.role_requested")  # outreach only, not consultation
    assert request.recipient == "shakyo-outreach"
    assert request.personal["goals"] == [{"person_id": ICHIRO, "goal": "月に二度は外出する"}]
    assert request.personal["summary"] == OUTREACH_ROLE["description"]
    record = takikan.app.case_record(case_id)
    assert [p["revision"] for p in record["plans"]] == [2]
    assert record["plans"][0]["personal"]["person_goals"][0]["goal"] == "月に二度は外出する"


def test_monitoring_then_a_change_of_situation_leads_to_an_agreed_re_plan(takikan):
    _, case = takikan.in_force()
    case_id, first_plan = case["case_id"], case["plan_in_force_id"]
    assert takikan.monitor(case_id, False)["next_monitoring_on"] == "2026-10-31"
    assert takikan.monitor(case_id, True, on="2026-09-15")["status"] == "replanning"
    replan = takikan.draft(case_id, drafted_on="2026-09-20", monitoring_dates=["2026-12-01"])
    assert replan["version"] == 2
    takikan.meet(case_id, "replan_agreed", held_on="2026-09-30")
    case = takikan.app.case(case_id)
    assert (case["status"], case["plan_in_force_id"]) == ("monitoring", replan["plan_id"])
    old: SupportPlan = takikan.app.repository.get(first_plan)
    assert old.status == "superseded"
    assert [o.payload["version"] for o in takikan.outgoing("collaboration.plan_approved")] == [1, 2]


def test_closure_needs_the_meetings_judgement_then_hands_the_household_back_with_a_summary(takikan):
    household, case = takikan.in_force()
    case_id = case["case_id"]
    takikan.meet(case_id, "closure", held_on="2027-03-15", goals_met="met", follow_up_needed=True,
                 follow_up_method="包括が月1回の見守り", evaluation="目標を達成")
    takikan.consent(household, person_id=ICHIRO, purposes=("connection",))
    closed = takikan.end("close_case", case_id)
    assert closed["status"] == "closed" and closed["handed_back_to"] == "desk"
    assert takikan.app.open_case_of(household) is None
    [event] = takikan.outgoing("collaboration.case_closed")
    assert (event.payload["goals_met"], event.payload["follow_up_needed"]) == ("met", True)
    [hand_back] = takikan.outgoing("collaboration.household_handed_back")
    assert hand_back.recipient == "desk" and hand_back.payload["ending"] == "closed"
    assert hand_back.payload["consultation_id"] == case["referrals"][0]["consultation_id"]
    # Both persons' consents cover the referring agency (it recorded one, つなぎ covers the other).
    assert hand_back.personal["plan_summary"].startswith("母は介護保険")
    assert {p["person_id"] for p in hand_back.personal["persons"]} == {HANAKO, ICHIRO}


def test_suspension_after_contact_is_lost_hands_the_household_back_as_suspended(takikan):
    household, case = takikan.in_force()
    takikan.meet(case["case_id"], "suspension", held_on="2026-12-01", reason="contact_lost")
    assert takikan.end("suspend_case", case["case_id"])["status"] == "suspended"
    [event] = takikan.outgoing("collaboration.case_suspended")
    assert event.payload["reason"] == "contact_lost"
    [hand_back] = takikan.outgoing("collaboration.household_handed_back")
    assert hand_back.payload["ending"] == "suspended"


def test_an_assessment_is_revised_with_every_revision_kept_and_its_texts_personal(takikan):
    case_id = takikan.refer()["case_id"]
    sheet = {"case_id": case_id, "assessed_on": "2026-06-05",
             "assessor": {"organisation": ORGANISATION, "caseworker_id": "tk-1"},
             "persons": [{"person_id": ICHIRO, "issue_categories": ["hikikomori"],
                          "situation": "10年以上自室にこもる", "wishes": "母の世話は続けたい"}],
             "household": {"issue_categories": ["8050"], "risks": "母の転倒"}}
    takikan.run("record_assessment", schemas.RecordAssessmentSchema(), sheet)
    sheet["persons"][0]["situation"] = "週1回は玄関先まで出る"
    revised = takikan.run("record_assessment", schemas.RecordAssessmentSchema(),
                          {**sheet, "assessed_on": "2026-06-12"})
    assert revised["revision"] == 2
    revisions = takikan.app.case_record(case_id)["assessments"]
    assert [r["personal"]["persons"][0]["situation"] for r in revisions] == [
        "10年以上自室にこもる", "週1回は玄関先まで出る"]
    assert revisions[0]["persons"] == [{"person_id": ICHIRO, "issue_categories": ["hikikomori"]}]


def test_the_household_index_names_the_open_case_only_while_it_is_open(takikan):
    household, case = takikan.in_force()
    index: HouseholdCases = takikan.app.repository.get(HouseholdCases.create_id(household))
    assert str(index.open_case_id) == case["case_id"]
