"""The collaboration application: referrals in, cases out, and the queries on them."""
from __future__ import annotations

from datetime import datetime, timezone
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from kasane.store.application import KasaneApplication
from kasane.store.unit_of_work import UnitOfWork

from collaboration.domain.case import Case, HouseholdCases, take_referral


class CollaborationApplication(KasaneApplication):
    def on_household_referred(self, envelope: dict, uow: UnitOfWork) -> None:
        """A consultation agency referred a household (consultation.household_referred v1)."""
        household_id = UUID(envelope["household_id"])
        index = uow.find(HouseholdCases.create_id(household_id))
        open_case = uow.get(index.open_case_id) if index and index.open_case_id else None
        index, case = take_referral(index, open_case, household_id,
                                    referral_from(envelope), datetime.now(timezone.utc))
        uow.add(index)
        uow.add(case)

    def case(self, case_id: UUID) -> dict:
        """ケース記録 — one case with the agencies that referred it."""
        return case_view(self.repository.get(case_id))

    def open_case_of(self, household_id: UUID) -> dict | None:
        index = self._household_cases(household_id)
        if index is None or index.open_case_id is None:
            return None
        return self.case(index.open_case_id)

    def _household_cases(self, household_id: UUID) -> HouseholdCases | None:
        try:
            return self.repository.get(HouseholdCases.create_id(household_id))
        except AggregateNotFoundError:
            return None


def referral_from(envelope: dict) -> dict:
    payload = envelope["payload"]
    return {
        "referral_id": payload["referral_id"],
        "consultation_id": payload["consultation_id"],
        "referring_agency": payload["referring_agency"],
        "origin_instance": envelope["origin"]["instance"],
        "origin_organisation": envelope["origin"]["organisation"],
        "reasons": payload["reasons"],
        "issue_categories": payload["issue_categories"],
        "urgency": payload["urgency"],
        "referred_at": payload["referred_at"],
    }


def case_view(case: Case) -> dict:
    return {
        "case_id": str(case.id),
        "household_id": str(case.household_id),
        "status": case.status,
        "opened_at": case.opened_at.isoformat(),
        "referring_agency": case.first_referral["referring_agency"],
        "referrals": case.referrals,
    }
