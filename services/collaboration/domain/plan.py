"""支援プラン — the support plan: goals, role division (役割分担) and monitoring dates.

A plan is a draft until a 重層的支援会議 judges it appropriate; then it is in force (seed 001
§1(5)イ(イ)①, 003 ch.4(1)). A re-plan is a new plan with the next version; when it is agreed,
the plan it replaces is superseded. Goals' text and role notes are personal (DOMAIN.md §10);
the codes, organisations and dates are not. When the plan comes into force every role whose
agency runs a kasane instance (the role names it; outreach and participation roles must) is
told to that instance — a consultation desk's role too (000 §4, 002 §4(3)); a role whose agency
has no instance is listed on the plan as such (`roles_without_instance`).
"""
from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from kasane_contracts.vocabulary import ROLE_SERVICES, ROLE_TASKS

from collaboration.domain.rules import PlanRuleViolation, check_codes

REQUESTED_SERVICES = ("outreach", "participation")  # roles sent to those services as requests
LIVE = ("draft", "revision_requested", "in_force")  # a plan not yet ended


class SupportPlan(Aggregate):
    """One version of a case's plan (プランシート)."""

    @event("Drafted")
    def __init__(self, case_id: UUID, household_id: UUID, version: int, content: dict,
                 drafted_on: date, drafted_by: str, personal: dict):
        self.case_id, self.household_id, self.version = case_id, household_id, version
        self.content, self.personal = content, personal
        self.revision = 1
        self.status = "draft"
        self.drafted_on = drafted_on
        self.approval: dict | None = None
        self.requests: list[dict] = []

    def revise(self, *, content: dict, personal: dict, revised_on: date, revised_by: str) -> None:
        """プランの修正 — a new revision of the draft; the earlier one stays in the history."""
        if self.status not in ("draft", "revision_requested"):
            raise PlanRuleViolation("only a draft plan is revised; a plan in force changes by a re-plan")
        self._revised(household_id=self.household_id, revision=self.revision + 1, content=content,
                      revised_on=revised_on, revised_by=revised_by, personal=personal)

    @event("Revised")
    def _revised(self, household_id: UUID, revision: int, content: dict, revised_on: date,
                 revised_by: str, personal: dict) -> None:
        self.content, self.personal = content, personal
        self.revision, self.status = revision, "draft"

    def request_revision(self, *, meeting_id: UUID, held_on: date) -> None:
        if self.status != "draft":
            raise PlanRuleViolation("a meeting asks for the revision of a draft plan only")
        self._revision_requested(household_id=self.household_id, meeting_id=meeting_id, held_on=held_on)

    @event("RevisionRequested")
    def _revision_requested(self, household_id: UUID, meeting_id: UUID, held_on: date) -> None:
        self.status = "revision_requested"

    def approve(self, *, meeting_id: UUID, held_on: date) -> None:
        """プランの適切性の確認 — in force from the meeting's day."""
        if self.status != "draft":
            raise PlanRuleViolation("a meeting judges a draft plan only; a plan sent back for "
                                    "revision is revised before it is judged again")
        self._approved(household_id=self.household_id, case_id=self.case_id, version=self.version,
                       revision=self.revision, meeting_id=meeting_id, held_on=held_on,
                       roles=self.content["roles"], monitoring_dates=self.content["monitoring_dates"],
                       goal_person_ids=self.content["goal_person_ids"],
                       household_goal=self.content["household_goal"])

    @event("Approved")
    def _approved(self, household_id: UUID, case_id: UUID, version: int, revision: int,
                  meeting_id: UUID, held_on: date, roles: list, monitoring_dates: list,
                  goal_person_ids: list, household_goal: bool) -> None:
        self.status = "in_force"
        self.approval = {"meeting_id": meeting_id, "held_on": held_on}

    def request_role(self, role: dict, *, request_id: str, requested_at: datetime,
                     disclosure: dict, personal: dict) -> None:
        """役割の依頼 — tell the instance named in the role that the plan gives it this role."""
        if self.status != "in_force":
            raise PlanRuleViolation("roles are requested only from a plan in force")
        self._role_requested(household_id=self.household_id, case_id=self.case_id,
                             request_id=request_id, role=role, requested_at=requested_at,
                             disclosure=disclosure, personal=personal)

    @event("RoleRequested")
    def _role_requested(self, household_id: UUID, case_id: UUID, request_id: str, role: dict,
                        requested_at: datetime, disclosure: dict, personal: dict) -> None:
        self.requests.append({"request_id": request_id, "role_id": role["role_id"],
                              "shared_person_ids": disclosure["person_ids"],
                              "by_representative": disclosure.get("by_representative", [])})

    def supersede(self, *, by_plan_id: UUID, on: date) -> None:
        self._superseded(household_id=self.household_id, by_plan_id=by_plan_id, on=on)

    @event("Superseded")
    def _superseded(self, household_id: UUID, by_plan_id: UUID, on: date) -> None:
        self.status = "superseded"

    def end_by_join(self, *, into_case_id: UUID, on: date) -> None:
        """統合 — the case was joined into `into_case_id`: the plan ends there, its goals and roles
        carried into that case's history (joining.py)."""
        if self.status not in LIVE:
            raise PlanRuleViolation("only a draft plan or a plan in force ends by a join")
        self._ended_by_join(household_id=self.household_id, into_case_id=into_case_id, on=on)

    @event("EndedByJoin")
    def _ended_by_join(self, household_id: UUID, into_case_id: UUID, on: date) -> None:
        self.status = "joined"

    def carried(self) -> dict:
        """What the surviving case keeps of this plan when its case is joined: codes apart, the
        goals' text in `personal`."""
        return {"plan_id": str(self.id), "version": self.version, "status": self.status,
                "goal_person_ids": self.content["goal_person_ids"],
                "household_goal": self.content["household_goal"], "roles": self.content["roles"],
                "monitoring_dates": self.content["monitoring_dates"],
                "requests": [r["request_id"] for r in self.requests]}

    def requested_roles(self) -> list[dict]:
        """The roles told to their agency's instance."""
        return [r for r in self.content["roles"] if r.get("instance")]

    def roles_without_instance(self) -> list[dict]:
        """役割分担 of agencies with no kasane instance: told outside kasane (会議・電話)."""
        return [r for r in self.content["roles"] if not r.get("instance")]


def plan_content(*, person_goals: list, household_goal: str | None, roles: list,
                 monitoring_dates: list, drafted_on: date) -> tuple[dict, dict]:
    """The plan split in its non-personal content and its personal part, or a PlanRuleViolation."""
    if not person_goals and not household_goal:
        raise PlanRuleViolation("a plan states at least one goal (本人の目標 or 世帯の目標)")
    goal_ids = [str(g["person_id"]) for g in person_goals]
    if len(set(goal_ids)) != len(goal_ids):
        raise PlanRuleViolation("each person has one goal entry in a plan")
    if not roles:
        raise PlanRuleViolation("a plan divides roles (役割分担): name at least one organisation and what it does")
    for role in roles:
        check_role(role)
    dates = sorted(set(monitoring_dates))
    if not dates:
        raise PlanRuleViolation("a plan sets at least one monitoring date (モニタリング時期)")
    if dates[0] <= drafted_on:
        raise PlanRuleViolation("monitoring dates fall after the day the plan is drafted")
    content = {"goal_person_ids": goal_ids, "household_goal": bool(household_goal),
               "roles": [{k: v for k, v in r.items() if k != "description"} for r in roles],
               "monitoring_dates": dates}
    personal = {"person_goals": [{"person_id": str(g["person_id"]), "goal": g["goal"]} for g in person_goals],
                "household_goal": household_goal,
                "role_notes": {r["role_id"]: r.get("description") for r in roles}}
    return content, personal


def check_role(role: dict) -> None:
    check_codes("roles.service", [role["service"]], ROLE_SERVICES, PlanRuleViolation)
    check_codes("roles.task", [role["task"]], ROLE_TASKS, PlanRuleViolation)
    if role["service"] in REQUESTED_SERVICES and not role.get("instance"):
        raise PlanRuleViolation("a role for outreach or participation names the instance its request is sent to")
