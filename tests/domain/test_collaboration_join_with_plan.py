"""A case that already has a plan can be joined (issue 19, domain/joining.py): the joined case's
plan ends as 統合 and the surviving case keeps it in its history (goals, roles, the goals' text
in its personal part) for its next plan or review; nothing of it comes into force there, and
nothing is told again to the providers. A case whose ending a meeting decided is not joined."""
from uuid import uuid4

import pytest

from collaboration import schemas
from collaboration.domain.rules import CaseRuleViolation

from tests.domain.collaboration_steps import Takikan

MOTHER = {"name": "見本 花子", "kana": "ミホン ハナコ", "birth_date": "1946-05-01", "relation": "self"}


@pytest.fixture
def takikan():
    return Takikan()


def consenting_case(takikan, person_id: str, plan: str | None) -> dict:
    """A consenting household referred with the mother; its plan drafted, in force or none."""
    household_id = str(uuid4())
    takikan.consent(household_id, person_id=person_id)
    payload = {"referral_id": str(uuid4()), "consultation_id": str(uuid4()),
               "referring_agency": {"agency_id": "hokatsu", "name": "常盤平高齢者いきいき安心センター"},
               "reasons": ["compound_issues"], "issue_categories": ["care"], "urgency": "normal",
               "referred_at": "2026-06-01T00:00:00Z", "caseworker_id": "sw-1",
               "personal": {"persons": [{"person_id": person_id, **MOTHER}], "summary": "介護の相談"}}
    takikan.from_desk("consultation.household_referred", household_id, payload)
    case = takikan.app.open_case_of(household_id)
    if plan:
        takikan.draft(case["case_id"], person_goals=[{"person_id": person_id, "goal": "デイサービスに通う"}])
    if plan == "in_force":
        takikan.meet(case["case_id"], "plan_appropriate")
    return {**takikan.app.case(case["case_id"]), "household_id": household_id}


def join(takikan) -> dict:
    [check] = takikan.app.same_person_checks()["checks"]
    return takikan.run("decide_same_person", schemas.SamePersonDecisionSchema(),
                       {"check_id": check["check_id"], "decision": "join", "caseworker_id": "tk-1"})


@pytest.mark.parametrize("plan", ["draft", "in_force"])
def test_a_case_with_a_plan_is_joined_and_its_plan_is_carried_into_the_surviving_cases_history(takikan, plan):
    first = consenting_case(takikan, str(uuid4()), "in_force")
    mother_there = str(uuid4())
    second = consenting_case(takikan, mother_there, plan)
    requested = len(takikan.published("collaboration.role_requested"))
    join(takikan)
    joined = takikan.app.case_record(second["case_id"])
    assert joined["status"] == "joined" and [p["status"] for p in joined["plans"]] == ["joined"]
    surviving = takikan.app.case_record(first["case_id"])
    [carried] = surviving["carried_plans"]
    assert (carried["from_case_id"], carried["plan_id"], carried["status"]) == (
        second["case_id"], joined["plans"][0]["plan_id"], plan)
    assert carried["goal_person_ids"] == [mother_there] and carried["roles"] == joined["plans"][0]["roles"]
    assert carried["personal"]["person_goals"] == [{"person_id": mother_there, "goal": "デイサービスに通う"}]
    # the surviving case's own plan goes on; nothing of the carried plan is in force or told again
    assert (surviving["status"], surviving["plan_in_force_id"]) == ("monitoring", first["plan_in_force_id"])
    assert len(takikan.published("collaboration.role_requested")) == requested
    [ended] = takikan.published("collaboration.case_joined")
    assert ended["payload"]["case_id"] == second["case_id"] and "personal" not in ended["payload"]


def test_a_case_whose_closure_a_meeting_decided_is_not_joined_and_nothing_is_stored(takikan):
    consenting_case(takikan, str(uuid4()), None)
    second = consenting_case(takikan, str(uuid4()), "in_force")
    takikan.meet(second["case_id"], "closure", held_on="2026-09-01", goals_met="met",
                 follow_up_needed=False)
    before = takikan.stored()
    with pytest.raises(CaseRuleViolation, match="終結・中断"):
        join(takikan)
    assert takikan.stored() == before
