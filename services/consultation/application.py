"""The consultation application: one method per use case (受付, つなぎ, 照会)."""
from __future__ import annotations

from datetime import datetime, timezone
from uuid import UUID, uuid4

from kasane.store.application import KasaneApplication
from kasane.store.trace import Trace

from consultation.domain.consultation import Consultation


class ConsultationApplication(KasaneApplication):
    def receive_consultation(self, trace: Trace, *, household_id: UUID | None, persons: list,
                             **intake) -> dict:
        persons = [_person(p) for p in persons]
        consultation = Consultation.receive(household_id=household_id or uuid4(), persons=persons,
                                            **intake)
        self.save_traced(consultation, trace=trace)
        return {"consultation_id": str(consultation.id),
                "household_id": str(consultation.household_id)}

    def refer_to_collaboration(self, trace: Trace, *, consultation_id: UUID,
                               referred_at: datetime | None, **referral) -> dict:
        consultation: Consultation = self.repository.get(consultation_id)
        referral_id = uuid4()
        consultation.refer_to_collaboration(
            referral_id=referral_id, referred_at=referred_at or datetime.now(timezone.utc),
            **referral)
        self.save_traced(consultation, trace=trace)
        return {"referral_id": str(referral_id), "consultation_id": str(consultation_id)}

    def consultation(self, consultation_id: UUID) -> dict:
        """相談記録 — the consultation as this instance knows it."""
        c: Consultation = self.repository.get(consultation_id)
        return {
            "consultation_id": str(c.id), "household_id": str(c.household_id),
            "agency": c.agency, "received_at": c.received_at.isoformat(), "channel": c.channel,
            "consulted_by": c.consulted_by, "issue_categories": c.issue_categories,
            "urgency": c.urgency, "caseworker_id": c.caseworker_id, "status": c.status,
            "referrals": [{**r, "referral_id": str(r["referral_id"]),
                           "referred_at": r["referred_at"].isoformat()} for r in c.referrals],
        }


def _person(person: dict) -> dict:
    """A person as stored: a stable id, the birth date as ISO text (parts may be unknown)."""
    birth_date = person.get("birth_date")
    return {**person, "person_id": str(person.get("person_id") or uuid4()),
            "birth_date": birth_date.isoformat() if birth_date else None}
