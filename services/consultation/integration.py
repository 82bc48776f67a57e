"""What the consultation service tells the others: its domain events as integration events.

Until consent (本人同意) is recorded (issue 4), nothing personal leaves the instance: the
`personal` part of the events stays home and the bus sees the household id and what happened.
"""
from __future__ import annotations

from kasane.bus.envelope import Outgoing, TranslatorRegistry, utc_iso

from consultation.domain.consultation import Consultation


def consultation_received(e) -> Outgoing:
    return Outgoing(
        type="consultation.consultation_received", version=1, household_id=e.household_id,
        payload={
            "consultation_id": str(e.originator_id), "agency": e.agency,
            "received_at": utc_iso(e.received_at), "channel": e.channel,
            "consulted_by": e.consulted_by, "issue_categories": e.issue_categories,
            "urgency": e.urgency, "caseworker_id": e.caseworker_id,
        })


def household_referred(e) -> Outgoing:
    return Outgoing(
        type="consultation.household_referred", version=1, household_id=e.household_id,
        payload={
            "referral_id": str(e.referral_id), "consultation_id": str(e.originator_id),
            "referring_agency": e.referring_agency, "reasons": e.reasons,
            "issue_categories": e.issue_categories, "urgency": e.urgency,
            "referred_at": utc_iso(e.referred_at), "caseworker_id": e.caseworker_id,
        })


def translators() -> TranslatorRegistry:
    registry = TranslatorRegistry()
    registry.register(Consultation.Received, consultation_received)
    registry.register(Consultation.ReferredToCollaboration, household_referred)
    return registry
