"""世帯のケース索引 — which outreach cases this instance holds for one household, so that a
支援会議 decision about a household already being reached is recorded on that case instead of
opening a second lead (issue 8). Its id follows from the household id: two messages about one
household racing each other collide on it and the loser retries."""
from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from kasane.keyed import PerHousehold


class HouseholdCases(PerHousehold):
    NAMESPACE = uuid5(NAMESPACE_URL, "https://kasane.example/outreach/household-cases")

    @event("Indexed")
    def __init__(self, household_id: UUID):
        self.household_id = household_id
        self.case_ids: list[UUID] = []

    def add(self, case_id: UUID) -> None:
        if case_id not in self.case_ids:
            self._added(case_id=case_id)

    @event("CaseAdded")
    def _added(self, case_id: UUID) -> None:
        self.case_ids.append(case_id)
