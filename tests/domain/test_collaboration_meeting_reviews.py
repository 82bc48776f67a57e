"""A 重層的支援会議 reviews how support is going (支援状況の検証・評価, 002 §3 II(1)イ) without
re-planning, and a closure evaluates each goal of the plan (達成/一部達成/未達成 and a note)."""
from uuid import UUID

import pytest

from collaboration import schemas
from collaboration.domain.rules import CaseRuleViolation, MeetingRuleViolation

from tests.domain.collaboration_steps import ICHIRO, Takikan


@pytest.fixture
def takikan():
    return Takikan()


def test_a_review_records_the_decision_and_leaves_the_plan_in_force_and_its_monitoring(takikan):
    _, case = takikan.in_force()
    reviewed = takikan.meet(case["case_id"], "review", held_on="2026-07-20", comment="外出が続いている")
    after = takikan.app.case(case["case_id"])
    assert reviewed["decisions"] == [{"case_id": case["case_id"], "status": "monitoring"}]
    assert after["plan_in_force_id"] == case["plan_in_force_id"] and after["draft_plan_id"] is None
    assert after["next_monitoring_on"] == case["next_monitoring_on"]
    assert after["decisions"][-1]["label"] == "支援状況の検証・評価（再プランなし）"


def test_a_review_is_refused_before_a_plan_is_in_force(takikan):
    case = takikan.refer()
    takikan.consent(case["household_id"])
    with pytest.raises(CaseRuleViolation, match="支援状況の検証・評価"):
        takikan.meet(case["case_id"], "review")


def test_a_closure_evaluates_each_goal_of_the_plan(takikan):
    _, case = takikan.in_force()
    takikan.meet(case["case_id"], "closure", held_on="2026-09-10", goals_met="partly_met",
                 follow_up_needed=True, goal_evaluations=[
                     {"goal": ICHIRO, "attainment": "met", "note": "週1回外出できた"},
                     {"goal": "household", "attainment": "not_met", "note": "介護負担は変わらない"}])
    pending = takikan.app.case(case["case_id"])["pending_ending"]
    assert pending["goals"] == [{"goal": ICHIRO, "attainment": "met"},
                                {"goal": "household", "attainment": "not_met"}]
    assert "週1回" not in str(pending)  # the notes are personal, kept apart


def test_a_closure_leaving_out_a_goal_of_the_plan_is_refused(takikan):
    _, case = takikan.in_force()
    with pytest.raises(CaseRuleViolation, match="each goal"):
        takikan.meet(case["case_id"], "closure", held_on="2026-09-10", goals_met="met",
                     follow_up_needed=False,
                     goal_evaluations=[{"goal": ICHIRO, "attainment": "met"}])
    assert takikan.app.case(case["case_id"])["pending_ending"] is None


def suspended(takikan: Takikan) -> dict:
    _, case = takikan.in_force()
    takikan.meet(case["case_id"], "suspension", held_on="2026-07-20", reason="contact_lost")
    takikan.end("suspend_case", case["case_id"])
    return case


def test_a_suspended_case_is_resumed_by_a_meeting_decision_and_is_the_households_open_case(takikan):
    case = suspended(takikan)
    assert takikan.app.open_case_of(case["household_id"]) is None
    resumed = takikan.meet(case["case_id"], "resumption", held_on="2026-10-01",
                           comment="本人から連絡があった")
    assert resumed["decisions"] == [{"case_id": case["case_id"], "status": "monitoring"}]
    assert takikan.app.open_case_of(case["household_id"])["case_id"] == case["case_id"]
    assert takikan.app.case(case["case_id"])["decisions"][-1]["label"] == "支援再開の決定"
    takikan.monitor(case["case_id"], False, on="2026-10-31", next_monitoring_on="2026-12-31")


def test_only_a_suspended_case_is_resumed(takikan):
    _, case = takikan.in_force()
    with pytest.raises(CaseRuleViolation, match="再開"):
        takikan.meet(case["case_id"], "resumption")


def test_a_case_is_not_resumed_while_the_household_has_another_open_case(takikan):
    case = suspended(takikan)
    takikan.refer(case["household_id"])  # a new referral opened another case meanwhile
    with pytest.raises(CaseRuleViolation, match="another open case"):
        takikan.meet(case["case_id"], "resumption", held_on="2026-10-01")
    assert takikan.app.case(case["case_id"])["status"] == "suspended"


def test_a_meeting_may_hold_only_system_level_items_and_no_household(takikan):
    held = takikan.run("hold_multi_layered_meeting", schemas.MultiLayeredMeetingSchema(), {
        "held_on": "2026-07-01", "caseworker_id": "tk-1",
        "attendees": [{"organisation": "org-takikan", "role": "host"}],
        "system_items": ["相談窓口の連携ルールの見直し"]})
    meeting = takikan.app.repository.get(UUID(held["meeting_id"]))
    assert held["decisions"] == [] and meeting.system_items == ["相談窓口の連携ルールの見直し"]
    assert takikan.outgoing() == []  # about no household: nothing leaves


def test_a_meeting_with_nothing_on_it_is_refused(takikan):
    with pytest.raises(MeetingRuleViolation, match="体制検討"):
        takikan.run("hold_multi_layered_meeting", schemas.MultiLayeredMeetingSchema(), {
            "held_on": "2026-07-01", "caseworker_id": "tk-1",
            "attendees": [{"organisation": "org-takikan", "role": "host"}]})
