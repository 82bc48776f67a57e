"""What the collaboration service tells the others, and which events it listens to."""
from __future__ import annotations

from kasane.bus.envelope import Outgoing, TranslatorRegistry, utc_iso

from collaboration.domain.case import Case


def _referral_payload(case_id, referral: dict) -> dict:
    return {
        "case_id": str(case_id), "referral_id": referral["referral_id"],
        "consultation_id": referral["consultation_id"],
        "referring_agency": referral["referring_agency"],
        "origin_instance": referral["origin_instance"], "reasons": referral["reasons"],
    }


def case_opened(e) -> Outgoing:
    payload = {**_referral_payload(e.originator_id, e.referral), "opened_at": utc_iso(e.opened_at)}
    return Outgoing(type="collaboration.case_opened", version=1, household_id=e.household_id,
                    payload=payload)


def referral_joined(e) -> Outgoing:
    payload = {**_referral_payload(e.originator_id, e.referral), "joined_at": utc_iso(e.joined_at)}
    return Outgoing(type="collaboration.referral_joined_case", version=1,
                    household_id=e.household_id, payload=payload)


def translators() -> TranslatorRegistry:
    registry = TranslatorRegistry()
    registry.register(Case.Opened, case_opened)
    registry.register(Case.ReferralJoined, referral_joined)
    return registry


SUBSCRIPTIONS = [("consultation.household_referred", 1)]


def handlers(app) -> dict:
    handler_for = {("consultation.household_referred", 1): app.on_household_referred}
    return {subscription[:2]: handler_for[subscription[:2]] for subscription in SUBSCRIPTIONS}
