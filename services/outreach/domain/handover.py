"""引き継ぎの規則 — what a hand-over from outreach must name, and what it may carry: the person's
details under their consent naming the receiver (that person only), or under a 支援会議 decision
in force naming the receiver as a member (the household's persons); else nothing leaves."""
from __future__ import annotations

from kasane_contracts.vocabulary import OUTREACH_HANDOVER_TARGETS, REFERRAL_REASONS

from outreach.domain.rules import ConsentRequired, OutreachRuleViolation, check_codes


def check_hand_over(to_service: str, issue_categories: list, reasons: list, *,
                    household_known: bool) -> None:
    check_codes("to_service", [to_service], OUTREACH_HANDOVER_TARGETS)
    check_codes("reasons", reasons, REFERRAL_REASONS)
    if not issue_categories or not reasons:
        raise OutreachRuleViolation("a hand-over names the issue categories and the reasons")
    if to_service == "collaboration" and not household_known:
        raise OutreachRuleViolation("多機関協働 takes in a household: the case names its household id")


def handover_ground(basis: dict | None, persons: dict) -> tuple[list, dict]:
    """The persons a hand-over carries and the ground it states (本人同意 or 支援会議の決定)."""
    if basis is None:
        raise ConsentRequired(
            "without the person's consent naming the receiver (本人同意) or a 支援会議 decision "
            "in force naming it as a member (法106条の6), only pseudonymous facts leave outreach")
    if basis["kind"] == "consent":
        consent = basis["consent"]
        return [persons[consent["person_id"]]], {
            "kind": "consent",
            "consent": {k: consent[k] for k in ("consent_id", "given_by", "method", "given_at")}}
    decision = basis["decision"]
    return list(persons.values()), {
        "kind": "support_meeting",
        "support_meeting": {k: decision[k] for k in ("meeting_id", "decision_id", "held_on", "sharing_until")}}
