"""統合 — joining a case into the household's other case (same_person.py's `join`), plans and all.

The case joined ends (統合) and its referral goes on in the surviving case. A plan it had — a
draft, or one in force after a meeting judged it — does not simply vanish, nor does it come
into force in the surviving case (no meeting judged it there): it ends as 統合, and the
surviving case keeps it in its history (`carried_plans`: the goals by person, the household
goal, the roles and monitoring dates, the role requests already sent, the goals' text in its
personal part) for its next plan, re-plan or review, where a meeting judges the household's
one plan. Role requests the joined plan sent stay with their providers as they were; their
reports still name the joined case. A case whose ending a meeting already decided is not
joined: it is ended first.
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable
from uuid import UUID

from collaboration.domain.case import Case
from collaboration.domain.plan import LIVE, SupportPlan


def join_case(case: Case, into: Case, plan_of: Callable[[UUID], SupportPlan], *,
              joined_at: datetime, caseworker_id: str) -> list:
    """`case` joined into `into`: what changed (the two cases and the plans that ended)."""
    into.check_open("take a referral joined to it")
    case.join_into(case_id=into.id, household_id=into.household_id, joined_at=joined_at,
                   caseworker_id=caseworker_id)
    into.accept_referral(case.first_referral, joined_at, {"persons": list(case.persons.values())},
                         from_case_id=str(case.id))
    changed: list = [case, into]
    for plan in (plan_of(plan_id) for plan_id in case.plan_ids):
        if plan.status not in LIVE:
            continue  # superseded versions stay in the joined case's own history
        into.carry_plan(from_case_id=case.id, plan=plan.carried(), personal=dict(plan.personal),
                        joined_at=joined_at)
        plan.end_by_join(into_case_id=into.id, on=joined_at.date())
        changed.append(plan)
    return changed
