"""Households that have not consented — the 支援会議 path (seed 004 §6(2), 000 §4, 002 §4(3)):
a referral without consent opens a case a 支援会議 carries (plan, role division among its
members, review, 終結/中断) while consent is sought; once consent is obtained the case moves to
the 重層的支援会議 path, and back to a 支援会議 when consent is withdrawn mid-plan."""
from uuid import UUID, uuid4

import pytest

from collaboration import schemas
from collaboration.domain.consent import HouseholdConsent
from collaboration.domain.rules import (CaseRuleViolation, ConsentRequired, MeetingRuleViolation,
                                        NotAMember)
from kasane.store.trace import Trace

from tests.domain.collaboration_steps import HANAKO, ORGANISATION, OUTREACH_ROLE, Takikan

MEMBERS = [{"organisation": ORGANISATION, "role": "host",
            "persons": [{"staff_id": "staff-host", "secrecy_acknowledged_on": "2026-06-20"}]},
           {"organisation": "org-shakyo", "role": "related_agency",
            "persons": [{"staff_id": "staff-cs", "secrecy_acknowledged_on": "2026-06-20"}]},
           {"organisation": "org-desk", "role": "consultation",
            "persons": [{"staff_id": "staff-desk", "secrecy_acknowledged_on": "2026-06-20"}]}]


@pytest.fixture
def takikan():
    return Takikan()


def support_meeting(takikan: Takikan, case_id: str, decision: str, members=MEMBERS,
                    held_on: str = "2026-06-20", **item) -> dict:
    return takikan.run("hold_support_meeting", schemas.SupportMeetingSchema(), {
        "held_on": held_on, "caseworker_id": "tk-1", "members": members,
        "information_shared": "長男は自室から出ない。母は同意をためらっている",
        "agenda": [{"case_id": case_id, "decision": decision, **item}]})


def carried_by_support_meeting(takikan: Takikan) -> tuple[str, dict]:
    """A household referred without consent whose plan a 支援会議 judged appropriate."""
    household = str(uuid4())
    case = takikan.refer(household, persons=())
    takikan.draft(case["case_id"])
    support_meeting(takikan, case["case_id"], "plan_appropriate")
    return household, takikan.app.case(case["case_id"])


def test_a_multi_layered_meeting_refuses_a_case_without_consent_and_a_support_meeting_carries_it(takikan):
    case = takikan.refer(persons=())
    takikan.draft(case["case_id"])
    with pytest.raises(ConsentRequired):
        takikan.meet(case["case_id"], "plan_appropriate")
    decided = support_meeting(takikan, case["case_id"], "plan_appropriate")
    assert decided["case_decisions"] == [{"case_id": case["case_id"], "status": "monitoring"}]
    assert takikan.app.case(case["case_id"])["carried_by"] == "support_meeting"


def test_a_plan_approved_by_a_support_meeting_sends_its_roles_to_member_instances_only(takikan):
    _, case = carried_by_support_meeting(takikan)
    [request] = takikan.outgoing("collaboration.role_requested")
    assert request.recipient == OUTREACH_ROLE["instance"] and request.personal is None


def test_a_support_meeting_refuses_a_plan_giving_a_role_to_an_organisation_that_is_not_a_member(takikan):
    case = takikan.refer(persons=())
    takikan.draft(case["case_id"])
    without_shakyo = [m for m in MEMBERS if m["organisation"] != "org-shakyo"]
    with pytest.raises(MeetingRuleViolation, match="org-shakyo"):
        support_meeting(takikan, case["case_id"], "plan_appropriate", members=without_shakyo)
    assert takikan.app.case(case["case_id"])["status"] == "planning"
    assert takikan.outgoing("collaboration.role_requested") == []


def test_a_support_meeting_asks_for_a_revision_reviews_and_closes_a_case_without_consent(takikan):
    case = takikan.refer(persons=())
    takikan.draft(case["case_id"])
    support_meeting(takikan, case["case_id"], "plan_revise")
    takikan.run("revise_plan", schemas.RevisePlanSchema(), {
        "plan_id": takikan.app.case(case["case_id"])["draft_plan_id"], "revised_on": "2026-06-25",
        "caseworker_id": "tk-1", "person_goals": [], "household_goal": "安否を確かめ続ける",
        "roles": [OUTREACH_ROLE], "monitoring_dates": ["2026-08-31"]})
    support_meeting(takikan, case["case_id"], "plan_appropriate", held_on="2026-06-30")
    takikan.monitor(case["case_id"], False)
    support_meeting(takikan, case["case_id"], "closure", held_on="2026-09-10",
                    goals_met="partly_met", follow_up_needed=True)
    closed = takikan.end("close_case", case["case_id"])
    [hand_back] = takikan.outgoing("collaboration.household_handed_back")
    assert closed["status"] == "closed" and hand_back.recipient == "desk"
    assert hand_back.personal is None  # nobody consented: nothing personal goes back


def test_consent_obtained_midway_moves_the_case_to_the_multi_layered_meeting(takikan):
    household, case = carried_by_support_meeting(takikan)
    takikan.consent(household, person_id=HANAKO)
    with pytest.raises(CaseRuleViolation, match="重層的支援会議"):
        support_meeting(takikan, case["case_id"], "closure", held_on="2026-09-10",
                        goals_met="met", follow_up_needed=False)
    takikan.meet(case["case_id"], "closure", held_on="2026-09-10", goals_met="met",
                 follow_up_needed=False)
    assert takikan.app.case(case["case_id"])["carried_by"] == "multi_layered"
    assert takikan.end("close_case", case["case_id"])["status"] == "closed"


def test_a_consent_withdrawn_mid_plan_lets_a_support_meeting_suspend_the_case_and_hand_it_back(takikan):
    household, case = takikan.in_force()
    [consent_id] = takikan.app.repository.get(HouseholdConsent.create_id(UUID(household))).consents
    takikan.withdraw(household, consent_id, HANAKO)
    with pytest.raises(ConsentRequired):
        takikan.meet(case["case_id"], "suspension", held_on="2026-07-20", reason="contact_lost")
    support_meeting(takikan, case["case_id"], "suspension", held_on="2026-07-20",
                    reason="contact_lost")
    suspended = takikan.end("suspend_case", case["case_id"])
    assert suspended["status"] == "suspended" and suspended["shared_person_ids"] == []


def test_a_support_meeting_record_lists_the_cases_it_decided_on_for_its_members_only(takikan):
    _, case = carried_by_support_meeting(takikan)
    [decision] = takikan.app.case(case["case_id"])["decisions"]
    read = takikan.app.support_meeting
    record = read(Trace.for_command(), meeting_id=UUID(decision["meeting_id"]),
                  reader={"organisation": "org-shakyo", "staff_id": "staff-cs"})
    assert record["agenda"] == [{"case_id": case["case_id"], "decision": "plan_appropriate"}]
    with pytest.raises(NotAMember):
        read(Trace.for_command(), meeting_id=UUID(decision["meeting_id"]),
             reader={"organisation": "org-hospital", "staff_id": "staff-msw"})
