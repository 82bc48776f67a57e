"""照会 — the collaboration application's queries (mixed into CollaborationApplication)."""
from __future__ import annotations

from datetime import date
from uuid import UUID

from kasane import clock

from collaboration.domain.area_issues import AreaIssues
from collaboration.domain.assessment import Assessment
from collaboration.domain.case import Case
from collaboration.domain.households import HouseholdCases
from collaboration.domain.consent import HouseholdConsent
from collaboration.views.caseload import caseload_row, overdue_first
from collaboration.views.records import area_issue_view, case_view, full_record, proposal_view


class Queries:
    def plan_proposals(self, undecided_only: bool = True) -> dict:
        """提出されたプラン — 参加支援・アウトリーチ等事業プラン awaiting (or given) a 重層的支援会議's
        judgement, oldest first, with their goals (under consent) for the meeting to read."""
        self.views.catch_up()
        proposals = [self.repository.get(i) for i in self.proposals.ids]
        return {"proposals": [proposal_view(p) for p in proposals
                              if not (undecided_only and p.judgement)]}

    def case(self, case_id: UUID) -> dict:
        """ケース — one case with the agencies that referred it."""
        return case_view(self.repository.get(case_id))

    def case_record(self, case_id: UUID) -> dict:
        """ケース記録 — the case with its assessments and plans, every revision kept, and the
        outreach and participation plans proposed for its role requests, or for its household by
        a worker's own plan (no role request), with their judgements."""
        case: Case = self.repository.get(case_id)
        plans = [self.repository.get(plan_id) for plan_id in case.plan_ids]
        return {**full_record(case, self.find(Assessment.create_id(case_id)), plans),
                "plan_proposals": [p for p in self.plan_proposals(undecided_only=False)["proposals"]
                                   if p["collaboration_case_id"] == str(case_id)
                                   or (p["collaboration_case_id"] is None
                                       and p["household_id"] == str(case.household_id))]}

    def area_issues(self, area: str | None = None) -> dict:
        """地域課題 — the area issues learnt from 地域づくり, of one area or of all."""
        issues: AreaIssues | None = self.find(AreaIssues.create_id())
        return {"area": area,
                "issues": [area_issue_view(i) for i in (issues.of(area) if issues else [])]}

    def household_consent(self, household_id: UUID) -> dict:
        """同意状況 — the consents this instance learnt for the household (ids, organisations,
        purposes; nothing personal) and whether a 重層的支援会議 may discuss it now."""
        consent: HouseholdConsent | None = self.find(HouseholdConsent.create_id(household_id))
        rows = [] if consent is None else [
            {"consent_id": c["consent_id"], "person_id": c["person_id"],
             "organisations": c["organisations"], "purposes": c["purposes"],
             "recorded_by": c["recorded_by"], "in_force": c["consent_id"] not in consent.withdrawn}
            for c in consent.consents.values()]
        return {"household_id": str(household_id), "consents": rows,
                "allows_collaboration": bool(consent and consent.allows_collaboration(self.organisation))}

    def open_case_of(self, household_id: UUID) -> dict | None:
        index = self.find(HouseholdCases.create_id(household_id))
        if index is None or index.open_case_id is None:
            return None
        return self.case(index.open_case_id)

    def open_cases(self, today: date | None = None) -> dict:
        """支援ケース一覧 — open cases with their next monitoring date, overdue first."""
        today = today or clock.today()
        rows = [caseload_row(case, today) for case in self.listed(self.caseload.open_ids)]
        return {"today": today.isoformat(), "cases": overdue_first(rows)}
