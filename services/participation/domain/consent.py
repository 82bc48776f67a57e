"""撤回された同意 — the consents of a household that consultation reported withdrawn.

A role request carries the ids of the consents it came under; once any of them is withdrawn,
nothing about the person leaves this instance any more (DOMAIN.md §4: a withdrawal stops
further sharing at once).
"""
from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

NAMESPACE = uuid5(NAMESPACE_URL, "https://kasane.example/participation/withdrawn-consents")


class WithdrawnConsents(Aggregate):
    @staticmethod
    def create_id(household_id) -> UUID:
        return uuid5(NAMESPACE, str(household_id))

    @event("Started")
    def __init__(self, household_id: str):
        self.household_id = household_id
        self.consent_ids: list[str] = []

    def withdraw(self, consent_id: str, withdrawn_at: str) -> None:
        if consent_id not in self.consent_ids:
            self._withdrawn(consent_id=consent_id, withdrawn_at=withdrawn_at)

    @event("ConsentWithdrawn")
    def _withdrawn(self, consent_id: str, withdrawn_at: str) -> None:
        self.consent_ids.append(consent_id)

    def any_of(self, consent_ids) -> bool:
        return any(str(c) in self.consent_ids for c in consent_ids or ())
