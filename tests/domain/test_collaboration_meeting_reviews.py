"""A 重層的支援会議 reviews how support is going (支援状況の検証・評価, 002 §3 II(1)イ) without
re-planning, and a closure evaluates each goal of the plan (達成/一部達成/未達成 and a note)."""
import pytest

from collaboration.domain.rules import CaseRuleViolation

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
