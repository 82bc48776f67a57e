"""つなぎの差し戻し・アセスメント・プラン — the collaboration application's use cases from a
referral to a plan draft (mixed into CollaborationApplication)."""
from __future__ import annotations

from datetime import date, datetime
from uuid import UUID, uuid4

from kasane.clock import now
from kasane.store.conflicts import retry_on_conflict
from kasane.store.trace import Trace

from collaboration.domain.assessment import Assessment
from collaboration.domain.case import Case
from collaboration.domain.plan import SupportPlan, plan_content


class Planning:
    @retry_on_conflict
    def return_referral(self, trace: Trace, *, case_id: UUID, referral_id: UUID, reason: str,
                        caseworker_id: str, note: str | None = None,
                        returned_at: datetime | None = None) -> dict:
        case: Case = self.repository.get(case_id)
        case.return_referral(referral_id=str(referral_id), reason=reason,
                             returned_at=returned_at or now(), caseworker_id=caseworker_id, note=note)
        index = self._ended_in_index(case)
        self.save_traced(case, index, trace=trace)
        return {"case_id": str(case_id), "referral_id": str(referral_id), "status": case.status}

    @retry_on_conflict
    def record_assessment(self, trace: Trace, *, case_id: UUID, assessed_on: date, assessor: dict,
                          persons: list, household: dict) -> dict:
        case: Case = self.repository.get(case_id)
        case.check_open("record an assessment")
        assessment = self.find(Assessment.create_id(case_id)) or Assessment(
            case_id=case_id, household_id=case.household_id)
        assessment.revise(assessed_on=assessed_on, assessor=assessor, persons=persons,
                          household=household)
        self.save_traced(assessment, trace=trace)
        return {"case_id": str(case_id), "revision": assessment.current["revision"]}

    @retry_on_conflict
    def draft_plan(self, trace: Trace, *, case_id: UUID, drafted_on: date, caseworker_id: str,
                   **plan) -> dict:
        self._require_known_agencies(plan)
        case: Case = self.repository.get(case_id)
        content, personal = plan_content(drafted_on=drafted_on, **with_role_ids(plan))
        version = len(case.plan_ids) + 1
        draft = SupportPlan(case_id=case.id, household_id=case.household_id, version=version,
                            content=content, drafted_on=drafted_on, drafted_by=caseworker_id,
                            personal=personal)
        case.plan_drafted(draft.id, version, drafted_on)
        self.save_traced(case, draft, trace=trace)
        return {"plan_id": str(draft.id), "case_id": str(case_id), "version": version,
                "status": draft.status}

    @retry_on_conflict
    def revise_plan(self, trace: Trace, *, plan_id: UUID, revised_on: date, caseworker_id: str,
                    **plan) -> dict:
        self._require_known_agencies(plan)
        draft: SupportPlan = self.repository.get(plan_id)
        content, personal = plan_content(drafted_on=revised_on, **with_role_ids(plan))
        draft.revise(content=content, personal=personal, revised_on=revised_on,
                     revised_by=caseworker_id)
        self.save_traced(draft, trace=trace)
        return {"plan_id": str(plan_id), "revision": draft.revision, "status": draft.status}

    def _require_known_agencies(self, plan: dict) -> None:
        """A plan's roles name agencies of the city's directory, once this instance's copy holds
        the city (名簿の写し; with no directory yet, any agency is accepted)."""
        self.directory.require_known(agencies={
            f"roles.{i}.agency.agency_id": role["agency"]["agency_id"]
            for i, role in enumerate(plan.get("roles") or ())})


def with_role_ids(plan: dict) -> dict:
    roles = [{**role, "role_id": str(uuid4())} for role in plan.get("roles") or []]
    return {**plan, "roles": roles}
