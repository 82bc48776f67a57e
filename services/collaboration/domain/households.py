"""世帯のケース索引 — which case, if any, is open for one household, and taking a referral in
(受理): a household has at most one open case (case.py).

`HouseholdCases` was defined in case.py: the events stored then name it there, and that topic
is registered for the class here (eventsourcing's topic registration).
"""
from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event
from eventsourcing.utils import register_topic

from kasane.keyed import PerHousehold

from collaboration.domain.case import Case
from collaboration.domain.rules import CaseRuleViolation


class HouseholdCases(PerHousehold):
    """世帯のケース索引 — which case, if any, is open for one household."""

    NAMESPACE = uuid5(NAMESPACE_URL, "https://kasane.example/collaboration/household-cases")

    @event("Indexed")
    def __init__(self, household_id: UUID):
        self.household_id = household_id
        self.open_case_id: UUID | None = None
        self.case_ids: list[UUID] = []

    @event("CaseOpened")
    def case_opened(self, case_id: UUID) -> None:
        self.open_case_id = case_id
        self.case_ids.append(case_id)

    def case_resumed(self, case_id: UUID) -> None:
        """再開 — a suspended case is the household's open case again, unless another is open."""
        if self.open_case_id not in (None, case_id):
            raise CaseRuleViolation("the household has another open case: join the work there "
                                    "instead of resuming this one")
        self._case_resumed(case_id=case_id)

    @event("CaseResumed")
    def _case_resumed(self, case_id: UUID) -> None:
        self.open_case_id = case_id

    def case_ended(self, case_id: UUID) -> None:
        if self.open_case_id == case_id:
            self._case_ended(case_id=case_id)

    @event("CaseEnded")
    def _case_ended(self, case_id: UUID) -> None:
        self.open_case_id = None


register_topic("collaboration.domain.case:HouseholdCases", HouseholdCases)


def take_referral(index: HouseholdCases | None, open_case: Case | None, household_id: UUID,
                  referral: dict, now: datetime, personal: dict | None = None
                  ) -> tuple[HouseholdCases, Case]:
    """受理 — open a case for the household, or join the referral to the case already open."""
    index = index or HouseholdCases(household_id=household_id)
    if open_case is None or not open_case.is_open:
        case = Case(household_id=household_id, referral=referral, opened_at=now, personal=personal)
        index.case_opened(case.id)
        return index, case
    open_case.accept_referral(referral, now, personal)
    return index, open_case
