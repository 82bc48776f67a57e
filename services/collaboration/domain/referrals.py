"""つなぎの参照 — what a case reads from its referrals and its state (plain methods, mixed into Case)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from collaboration.domain.rules import CaseRuleViolation

#: A case's statuses once it has ended (統合: its referral went on in another case).
ENDED = ("closed", "suspended", "returned", "joined")


class CaseReferrals:
    """The referrals of a case: which one is named, which are active, whom to hand back to."""

    if TYPE_CHECKING:  # the Case's own state; not annotated at run time (eventsourcing would
        referrals: list[dict]  # take class annotations for event fields)
        returned: dict[str, str]
        decisions: list[dict]
        host_problems: list[dict]
        persons: dict[str, dict]
        status: str

    @property
    def path(self) -> str:
        """Which meeting carried the case last: 重層的支援会議 (multi_layered) or 支援会議."""
        return self.decisions[-1]["body"] if self.decisions else "multi_layered"

    @property
    def open_issues(self) -> list[dict]:
        """未対応の課題 — host problem reports no monitoring has reviewed yet."""
        return [p for p in self.host_problems if p["reviewed_on"] is None]

    @property
    def is_open(self) -> bool:
        return self.status not in ENDED

    def check_open(self, action: str) -> None:
        if not self.is_open:
            raise CaseRuleViolation(f"the case has ended ({self.status}): cannot {action}")

    def _learn_persons(self, personal: dict | None) -> None:
        for person in (personal or {}).get("persons") or []:
            self.persons[person["person_id"]] = person

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
