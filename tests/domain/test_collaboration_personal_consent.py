"""本人同意 — each person's details in a plan, an assessment or a role request travel only under
that person's own consent, or a representative's recorded as such (000 §4, 002 §4(3)); the
issue's evidence: a role sent to outreach under the mother's consent carried the son's person
id, his goal and a description naming him."""
from uuid import UUID, uuid4

import pytest

from collaboration.domain.plan import SupportPlan

from tests.domain.collaboration_steps import HANAKO, ICHIRO, OUTREACH_ROLE, Takikan

SON_GOAL = "外出の機会をつくる"
ROLE = {**OUTREACH_ROLE, "description": "長男への訪問"}


@pytest.fixture
def takikan():
    return Takikan()


def plan_in_force(takikan: Takikan, persons=(HANAKO,), goals=((ICHIRO, SON_GOAL),),
                  consents=((HANAKO, "self"),)) -> dict:
    """The desk shared the mother only (`persons`); the plan names the son's goal."""
    household = str(uuid4())
    for person_id, given_by in consents:
        takikan.consent(household, person_id, purposes=("collaboration", "outreach", "connection"),
                        given_by=given_by)
    case = takikan.refer(household, persons=persons)
    takikan.draft(case["case_id"], roles=[ROLE],
                  person_goals=[{"person_id": p, "goal": g} for p, g in goals])
    takikan.meet(case["case_id"], "plan_appropriate")
    return takikan.app.case(case["case_id"])


def test_a_role_under_the_mothers_consent_carries_nothing_of_the_son_who_did_not_consent(takikan):
    plan_in_force(takikan)
    [request] = takikan.outgoing("collaboration.role_requested")
    assert [p["person_id"] for p in request.personal["persons"]] == [HANAKO]
    assert request.personal["goals"] == []
    assert ICHIRO not in str(request.personal) and SON_GOAL not in str(request.personal)
    assert "長男" not in str(request.personal) and "summary" not in request.personal


def test_each_persons_goal_travels_under_that_persons_own_consent(takikan):
    plan_in_force(takikan, goals=((HANAKO, "介護の相談先を持つ"), (ICHIRO, SON_GOAL)))
    [request] = takikan.outgoing("collaboration.role_requested")
    assert request.personal["goals"] == [{"person_id": HANAKO, "goal": "介護の相談先を持つ"}]


def test_the_role_note_and_goals_travel_when_every_person_concerned_consented(takikan):
    plan_in_force(takikan, persons=(HANAKO, ICHIRO), consents=((HANAKO, "self"), (ICHIRO, "self")))
    [request] = takikan.outgoing("collaboration.role_requested")
    assert request.personal["summary"] == "長男への訪問"
    assert request.personal["goals"] == [{"person_id": ICHIRO, "goal": SON_GOAL}]


def test_a_representatives_consent_covers_the_person_and_is_recorded_as_such(takikan):
    case = plan_in_force(takikan, persons=(HANAKO, ICHIRO),
                         consents=((HANAKO, "self"), (ICHIRO, "representative")))
    plan: SupportPlan = takikan.app.repository.get(UUID(case["plan_in_force_id"]))
    [request] = plan.requests
    assert request["shared_person_ids"] == [HANAKO, ICHIRO]
    assert request["by_representative"] == [ICHIRO]


def test_a_hand_back_under_the_mothers_consent_carries_no_summary_while_the_son_has_a_goal(takikan):
    case = plan_in_force(takikan)
    takikan.meet(case["case_id"], "closure", held_on="2026-09-10", goals_met="met",
                 follow_up_needed=False)
    closed = takikan.end("close_case", case["case_id"])
    [hand_back] = takikan.outgoing("collaboration.household_handed_back")
    assert closed["shared_person_ids"] == [HANAKO]
    assert "plan_summary" not in hand_back.personal
