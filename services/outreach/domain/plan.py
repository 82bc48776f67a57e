"""アウトリーチ等事業プラン — the outreach plan: goals, approach, review dates (seed 004 §5(3)
「本人や世帯のニーズ、課題に合ったプランを作成し、継続的に支援」; target 10 plans a year).

Made, revised (each revision kept in the history) and closed, like the collaboration plan; a
plan made for a role request is reported to the 多機関協働 instance that asked (issue 8).
Goals and the approach are free text about the person: they live in `personal`.

Where the city's profile has outreach plans judged by a 重層的支援会議 (001 §1(5)イ(イ)①, issue
19), each revision is `proposed` to 多機関協働 and in force only once a meeting approves it; a
revision sent back is revised and proposed again (kasane.plan_judgement). A revision in force
stays in force (`in_force_revision`) while the next one awaits its judgement.
"""
from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from kasane.plan_judgement import IN_FORCE, PROPOSED, SENT_BACK, judgement_applies
from kasane.plan_rules import check_plan

from outreach.domain.rules import PlanRuleViolation


class OutreachPlan(Aggregate):
    """One case's アウトリーチ等事業プラン."""

    @event("Made")
    def __init__(self, case_id: UUID, household_id: UUID | None, made_on: date, worker_id: str,
                 review_dates: list, report_to: dict | None, personal: dict, status: str = IN_FORCE):
        self.case_id, self.household_id = case_id, household_id
        self.made_on, self.review_dates = made_on, review_dates
        self.report_to = report_to  # the 多機関協働 request it answers, or None
        self.personal = personal
        self.revision, self.status = 1, status  # proposed: awaiting a 重層的支援会議's judgement
        self.in_force_revision: int | None = 1 if status == IN_FORCE else None
        self.proposed_to: str | None = None  # the 多機関協働 instance judging it
        self.judgements: list[dict] = []
        self.closed_on: date | None = None

    @classmethod
    def make(cls, *, case_id: UUID, household_id, made_on: date, worker_id: str, goals: list,
             approach: str | None, review_dates: list, report_to: dict | None,
             judged: bool = False) -> "OutreachPlan":
        """作成 — in force at once, or `judged`: proposed to a 重層的支援会議 (then `propose`)."""
        dates = check_plan(goals, review_dates, made_on, PlanRuleViolation)
        if judged and household_id is None:
            raise PlanRuleViolation("a plan a 重層的支援会議 judges is about a household: record the "
                                    "person's household (hand-over or lead) before the plan")
        return cls(case_id=case_id, household_id=household_id, made_on=made_on,
                   worker_id=worker_id, review_dates=dates, report_to=report_to,
                   personal={"goals": list(goals), "approach": approach},
                   status=PROPOSED if judged else IN_FORCE)

    def revise(self, *, revised_on: date, worker_id: str, goals: list, approach: str | None,
               review_dates: list, judged: bool = False) -> None:
        """見直し — a new revision; the earlier one stays in the history (and in force, if it
        was, while a judged revision awaits its meeting)."""
        if self.status == "closed":
            raise PlanRuleViolation("a closed plan is not revised")
        dates = check_plan(goals, review_dates, revised_on, PlanRuleViolation)
        self._revised(household_id=self.household_id, case_id=self.case_id,
                      report_to=self.report_to, revision=self.revision + 1,
                      revised_on=revised_on, worker_id=worker_id, review_dates=dates,
                      personal={"goals": list(goals), "approach": approach},
                      status=PROPOSED if judged else IN_FORCE)

    @event("Revised")
    def _revised(self, household_id, case_id: UUID, report_to: dict | None, revision: int, revised_on: date, worker_id: str,
                 review_dates: list, personal: dict, status: str = IN_FORCE) -> None:
        self.revision, self.review_dates, self.personal = revision, review_dates, personal
        self.status = status
        if status == IN_FORCE:
            self.in_force_revision = revision

    # -- 重層的支援会議の判断 (001 §1(5)イ(イ)①) -------------------------------------------------

    def propose(self, *, to_instance: str, proposed_on: date, worker_id: str, share_personal: bool) -> None:
        """提出 — the revision awaiting judgement goes to the 多機関協働 instance `to_instance`;
        its goals and approach travel only when the person's consent covers 多機関協働."""
        if self.status != PROPOSED:
            raise PlanRuleViolation("only a plan awaiting a meeting's judgement is proposed")
        self._proposed(household_id=self.household_id, plan_id=self.id, case_id=self.case_id,
                       revision=self.revision, proposed_on=proposed_on, review_dates=self.review_dates,
                       report_to=self.report_to, to_instance=to_instance, worker_id=worker_id,
                       share_personal=share_personal,
                       personal={"goals": self.personal["goals"], "note": self.personal["approach"]})

    @event("Proposed")
    def _proposed(self, household_id, plan_id: UUID, case_id: UUID, revision: int, proposed_on: date,
                  review_dates: list, report_to: dict | None, to_instance: str, worker_id: str,
                  share_personal: bool, personal: dict) -> None:
        self.proposed_to = to_instance

    def take_judgement(self, *, judgement: dict, personal: dict) -> bool:
        """会議の判断 — approved: this revision is in force; sent back: revise and propose again.
        False (nothing recorded) when it decides nothing (kasane.plan_judgement)."""
        if not judgement_applies(status=self.status, revision=self.revision,
                                 proposed_to=self.proposed_to, judgement=judgement):
            return False
        self._judged(household_id=self.household_id, case_id=self.case_id,
                     judgement={k: v for k, v in judgement.items() if k != "from_instance"},
                     personal=personal)
        return True

    @event("Judged")
    def _judged(self, household_id, case_id: UUID, judgement: dict, personal: dict) -> None:
        self.judgements.append(judgement)
        approved = judgement["judgement"] == "approved"
        self.status = IN_FORCE if approved else SENT_BACK
        if approved:
            self.in_force_revision = judgement["revision"]

    def close(self, *, closed_on: date, worker_id: str, reason: str | None = None) -> None:
        if self.status == "closed":
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
