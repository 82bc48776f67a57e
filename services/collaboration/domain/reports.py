"""報告の整合 — a report from 参加支援 (受入先からの課題報告) or アウトリーチ等 (プランの報告)
answers one role request of one of this instance's cases; anything else is refused."""
from __future__ import annotations

from typing import Callable
from uuid import UUID

from collaboration.domain.case import Case
from collaboration.domain.plan import SupportPlan
from collaboration.domain.rules import ReportRuleViolation


def answered_request(case: object, plan_of: Callable[[UUID], SupportPlan], *, household_id: str,
                     request_id: str, from_instance: str) -> tuple[SupportPlan, dict]:
    """The plan and the role request a report answers: the case is this instance's and the
    household's, the request one of its plans sent, to the instance the report comes from."""
    if not isinstance(case, Case):
        raise ReportRuleViolation("the report names no case of this instance")
    if str(case.household_id) != household_id:
        raise ReportRuleViolation("the report names a case of another household")
    for plan_id in case.plan_ids:
        plan = plan_of(plan_id)
        for request in plan.requests:
            if request["request_id"] == request_id:
                role = next(r for r in plan.content["roles"] if r["role_id"] == request["role_id"])
                if role.get("instance") != from_instance:
                    raise ReportRuleViolation("the report comes from another instance than the "
                                              "one the role request was sent to")
                return plan, request
    raise ReportRuleViolation("the report answers no role request of the case's plans")


def check_host_problem(plan: SupportPlan, request: dict, *, plan_id: str, role_id: str) -> None:
    """A host's problem report names the plan and role of the request it answers."""
    if str(plan.id) != plan_id or request["role_id"] != role_id:
        raise ReportRuleViolation("the report names another plan or role than its role request")
