"""ケース — a household's case in multi-agency collaboration (多機関協働事業).

A household has at most one open case: a referral for a household whose case is open joins
that case instead of opening another (issue 5). Which case is open for a household is kept by
`HouseholdCases`, an aggregate whose id is derived from the household id, so that two
referrals for one household racing each other collide on the same aggregate version and the
loser retries against the winner's case.
"""
from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

HOUSEHOLD_CASES_NAMESPACE = uuid5(NAMESPACE_URL, "https://kasane.example/collaboration/household-cases")


class Case(Aggregate):
    """A case opened from a referral (つなぎ) by a consultation agency."""

    @event("Opened")
    def __init__(self, household_id: UUID, referral: dict, opened_at: datetime):
        self.household_id = household_id
        self.opened_at = opened_at
        self.status = "open"
        self.referrals = [referral]

    def accept_referral(self, referral: dict, joined_at: datetime) -> bool:
        """Join a further referral; False (and nothing recorded) if it is already part of the case."""
        if self.has_referral(referral["referral_id"]):
            return False
        self._referral_joined(household_id=self.household_id, referral=referral, joined_at=joined_at)
        return True

    @event("ReferralJoined")
    def _referral_joined(self, household_id: UUID, referral: dict, joined_at: datetime) -> None:
        self.referrals.append(referral)

    def has_referral(self, referral_id: str) -> bool:
        return any(r["referral_id"] == referral_id for r in self.referrals)

    @property
    def first_referral(self) -> dict:
        return self.referrals[0]


class HouseholdCases(Aggregate):
    """世帯のケース索引 — which case, if any, is open for one household."""

    @staticmethod
    def create_id(household_id: UUID) -> UUID:
        return uuid5(HOUSEHOLD_CASES_NAMESPACE, str(household_id))

    @event("Indexed")
    def __init__(self, household_id: UUID):
        self.household_id = household_id
        self.open_case_id: UUID | None = None
        self.case_ids: list[UUID] = []

    @event("CaseOpened")
    def case_opened(self, case_id: UUID) -> None:
        self.open_case_id = case_id
        self.case_ids.append(case_id)


def take_referral(index: HouseholdCases | None, open_case: Case | None, household_id: UUID,
                  referral: dict, now: datetime) -> tuple[HouseholdCases, Case]:
    """受理 — open a case for the household, or join the referral to the case already open."""
    index = index or HouseholdCases(household_id=household_id)
    if open_case is None:
        case = Case(household_id=household_id, referral=referral, opened_at=now)
        index.case_opened(case.id)
        return index, case
    open_case.accept_referral(referral, now)
    return index, open_case
