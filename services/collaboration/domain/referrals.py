"""つなぎの参照 — what a case reads from its referrals (plain methods, mixed into Case)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from collaboration.domain.rules import CaseRuleViolation


class CaseReferrals:
    """The referrals of a case: which one is named, which are active, whom to hand back to."""

    if TYPE_CHECKING:  # the Case's own state; not annotated at run time (eventsourcing would
        referrals: list[dict]  # take class annotations for event fields)
        returned: dict[str, str]

    def has_referral(self, referral_id: str) -> bool:
        return any(r["referral_id"] == referral_id for r in self.referrals)

    def referral(self, referral_id: str) -> dict:
        for r in self.referrals:
            if r["referral_id"] == str(referral_id):
                return r
        raise CaseRuleViolation("the referral named is not part of this case")

    def active_referrals(self) -> list[dict]:
        return [r for r in self.referrals if r["referral_id"] not in self.returned]

    @property
    def first_referral(self) -> dict:
        return self.referrals[0]

    @property
    def issue_categories(self) -> list[str]:
        return list(dict.fromkeys(c for r in self.referrals for c in r.get("issue_categories", [])))

    def default_hand_back(self) -> dict:
        """つなぎ戻し先 by default: the agency that referred the household (its first active referral)."""
        referral = (self.active_referrals() or self.referrals)[0]
        return {"to_agency": referral["referring_agency"], "to_instance": referral["origin_instance"],
                "to_organisation": referral.get("origin_organisation") or referral["origin_instance"],
                "consultation_id": referral.get("consultation_id")}
