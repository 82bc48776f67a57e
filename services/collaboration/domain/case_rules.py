"""ケースの規則 — what a 重層的支援会議 may decide about a case and what its evaluation must say,
and which アウトリーチ等事業プランの報告 a case takes (DOMAIN.md §5, seed 001 §1(5)イ(オ))."""
from __future__ import annotations

from kasane_contracts.vocabulary import GOAL_ATTAINMENT, OUTREACH_PLAN_CHANGES, SUSPENSION_REASONS

from collaboration.domain.rules import (CaseRuleViolation, ConsentRequired, ReportRuleViolation,
                                        check_codes)

ENDINGS = {"closure": "closed", "suspension": "suspended"}


def check_decision(status: str, decision: str, *, has_draft: bool, ending_decided: bool) -> None:
    """Whether a meeting may take this decision on an open case in this status."""
    if decision == "plan_appropriate" and not (status == "planning" and has_draft):
        raise CaseRuleViolation("a meeting judges a plan appropriate only for a case with a draft "
                                "first plan (a re-plan is confirmed with replan_agreed)")
    if decision == "replan_agreed" and not (status == "replanning" and has_draft):
        raise CaseRuleViolation("a re-plan is confirmed only for a case in re-planning with a draft re-plan")
    if decision == "plan_revise" and not has_draft:
        raise CaseRuleViolation("a meeting asks for a plan's revision only when the case has a draft plan")
    if decision in ("closure", "review") and status != "monitoring":
        raise CaseRuleViolation("closure (終結) and a review (支援状況の検証・評価) are decided only "
                                "for a case whose plan is in force")
    if decision in ENDINGS and ending_decided:
        raise CaseRuleViolation("a closure or suspension was already decided for this case")


def check_meeting_body(body: str, consented: bool) -> None:
    """Which meeting carries a case (seed 004 §6(2), 000 §4, 002 §4(3)): a 重層的支援会議 one
    whose household consented (本人同意, unwithdrawn); a 支援会議 (法106条の6, its members bound by
    secrecy) one without consent, while consent is sought — and only then: once consent is
    obtained the case moves to the 重層的支援会議, and back to a 支援会議 if it is withdrawn."""
    if body == "multi_layered" and not consented:
        raise ConsentRequired(
            "a 重層的支援会議 discusses only households that consented to sharing in 多機関協働 "
            "(本人同意, unwithdrawn); without consent, discuss the household at a 支援会議")
    if body == "support_meeting" and consented:
        raise CaseRuleViolation("the household has consented: its case is decided by a "
                                "重層的支援会議 now, not by a 支援会議")


def check_evaluation(decision: str, evaluation: dict) -> None:
    """A closure says whether the goals were met and follow-up is needed; a suspension why."""
    if decision == "closure":
        check_codes("goals_met", [evaluation.get("goals_met")], GOAL_ATTAINMENT, CaseRuleViolation)
        if not isinstance(evaluation.get("follow_up_needed"), bool):
            raise CaseRuleViolation("a closure evaluation says whether follow-up is needed")
    if decision == "suspension":
        check_codes("reason", [evaluation.get("reason")], SUSPENSION_REASONS, CaseRuleViolation)


def check_goal_evaluations(plan_content: dict, evaluations: list) -> None:
    """A closure that evaluates the goals evaluates each goal of the plan in force once (本人の
    目標 by person, 世帯の目標 as "household"), each 達成/一部達成/未達成 (002 §3 II(1)イ)."""
    goals = [*plan_content["goal_person_ids"], *(["household"] if plan_content["household_goal"] else [])]
    named = [str(e["goal"]) for e in evaluations]
    if sorted(named) != sorted(goals):
        raise CaseRuleViolation("a closure evaluates each goal of the plan in force once "
                                "(each person's goal by person id, the household's as household)")
    check_codes("goal_evaluations.attainment", [e["attainment"] for e in evaluations],
                GOAL_ATTAINMENT, CaseRuleViolation)


def is_new_outreach_plan_report(reports: list[dict], report: dict) -> bool:
    """False for a report already noted; a plan reported closed, or made twice, is refused."""
    check_codes("change", [report["change"]], OUTREACH_PLAN_CHANGES, ReportRuleViolation)
    same_plan = [r for r in reports if r["plan_id"] == report["plan_id"]]
    if any((r["change"], r["revision"]) == (report["change"], report["revision"]) for r in same_plan):
        return False
    if any(r["change"] == "closed" for r in same_plan):
        raise ReportRuleViolation("the outreach plan was already reported closed (終了)")
    if report["change"] == "made" and same_plan:
        raise ReportRuleViolation("the outreach plan was already reported made (作成)")
    return True
