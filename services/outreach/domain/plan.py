"""アウトリーチ等事業プラン — the outreach plan: goals, approach, review dates (seed 004 §5(3)
「本人や世帯のニーズ、課題に合ったプランを作成し、継続的に支援」; target 10 plans a year).

Made, revised (each revision kept in the history) and closed, like the collaboration plan; a
plan made for a role request is reported to the 多機関協働 instance that asked (issue 8).
Goals and the approach are free text about the person: they live in `personal`.
"""
from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from outreach.domain.rules import PlanRuleViolation


def check_plan(goals: list, review_dates: list, on: date) -> list[date]:
    if not [g for g in goals if g]:
        raise PlanRuleViolation("a plan states at least one goal (目標)")
    dates = sorted(set(review_dates))
    if not dates:
        raise PlanRuleViolation("a plan sets at least one review date (見直し時期)")
    if dates[0] <= on:
        raise PlanRuleViolation("review dates fall after the day the plan is made or revised")
    return dates


class OutreachPlan(Aggregate):
    """One case's アウトリーチ等事業プラン."""

    @event("Made")
    def __init__(self, case_id: UUID, household_id: UUID | None, made_on: date, worker_id: str,
                 review_dates: list, report_to: dict | None, personal: dict):
        self.case_id, self.household_id = case_id, household_id
        self.made_on, self.review_dates = made_on, review_dates
        self.report_to = report_to  # the 多機関協働 request it answers, or None
        self.personal = personal
        self.revision, self.status = 1, "in_force"
        self.closed_on: date | None = None

    @classmethod
    def make(cls, *, case_id: UUID, household_id, made_on: date, worker_id: str, goals: list,
             approach: str | None, review_dates: list, report_to: dict | None) -> "OutreachPlan":
        dates = check_plan(goals, review_dates, made_on)
        return cls(case_id=case_id, household_id=household_id, made_on=made_on,
                   worker_id=worker_id, review_dates=dates, report_to=report_to,
                   personal={"goals": list(goals), "approach": approach})

    def revise(self, *, revised_on: date, worker_id: str, goals: list, approach: str | None,
               review_dates: list) -> None:
        """見直し — a new revision; the earlier one stays in the history."""
        if self.status != "in_force":
            raise PlanRuleViolation("a closed plan is not revised")
        dates = check_plan(goals, review_dates, revised_on)
        self._revised(household_id=self.household_id, case_id=self.case_id,
                      report_to=self.report_to, revision=self.revision + 1,
                      revised_on=revised_on, worker_id=worker_id, review_dates=dates,
                      personal={"goals": list(goals), "approach": approach})

    @event("Revised")
    def _revised(self, household_id, case_id: UUID, report_to: dict | None, revision: int, revised_on: date, worker_id: str,
                 review_dates: list, personal: dict) -> None:
        self.revision, self.review_dates, self.personal = revision, review_dates, personal

    def close(self, *, closed_on: date, worker_id: str, reason: str | None = None) -> None:
        if self.status != "in_force":
            raise PlanRuleViolation("the plan is already closed")
        if closed_on < self.made_on:
            raise PlanRuleViolation("a plan closes on or after the day it was made")
        self._closed(household_id=self.household_id, case_id=self.case_id, report_to=self.report_to,
                     revision=self.revision, closed_on=closed_on, worker_id=worker_id,
                     personal={"reason": reason})

    @event("Closed")
    def _closed(self, household_id, case_id: UUID, report_to: dict | None, revision: int,
                closed_on: date, worker_id: str, personal: dict) -> None:
        self.status, self.closed_on = "closed", closed_on

    def next_review_on(self, today: date) -> date | None:
        return next((d for d in self.review_dates if d >= today), None)
