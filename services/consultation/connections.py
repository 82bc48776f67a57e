"""つなぎ・終結・見守り・継続相談 — where a consultation goes: 多機関協働, another agency,
outreach; resolved, watched, or continued (mixed into ConsultationApplication)."""
from __future__ import annotations

from datetime import date, datetime
from uuid import UUID, uuid4

from kasane.clock import in_japan, now
from kasane.store.trace import Trace

from consultation.domain.consultation import Consultation


class Connections:
    # -- つなぎ・終結・見守り・継続相談 ----------------------------------------------------------

    def refer_to_collaboration(self, trace: Trace, *, consultation_id: UUID,
                               referred_at: datetime | None, to_organisation: str | None = None,
                               **referral) -> dict:
        consultation, disclosure, holder = self._sharing(consultation_id, organisation=to_organisation,
                                                         purpose="collaboration")
        referral_id = uuid4()
        consultation.refer_to_collaboration(
            referral_id=referral_id, referred_at=referred_at or now(), disclosure=disclosure,
            to_instance=self.collaboration_instance, **referral)
        self.save_traced(consultation, holder, trace=trace)
        return {"referral_id": str(referral_id), "consultation_id": str(consultation_id),
                "shared_person_ids": list(disclosure.person_ids)}

    def connect_to_agency(self, trace: Trace, *, consultation_id: UUID, to: dict,
                          connected_at: datetime | None, caseworker_id: str,
                          note: str | None) -> dict:
        """他機関へつなぐ — the receiving agency's instance gets it as work awaiting intake. The
        agency must be one of the city's directory, once this instance's copy holds the city."""
        self.directory.require_known(agencies={"to.agency_id": to["agency_id"]})
        consultation, disclosure, holder = self._sharing(consultation_id, organisation=to["organisation"],
                                                         purpose="connection")
        connection_id = uuid4()
        consultation.connect_to_agency(
            connection_id=connection_id, to_instance=to["instance"],
            to_organisation=to["organisation"],
            to_agency={"agency_id": to["agency_id"], "name": to["name"]},
            connected_at=connected_at or now(), caseworker_id=caseworker_id, note=note,
            disclosure=disclosure)
        self.save_traced(consultation, holder, trace=trace)
        return {"connection_id": str(connection_id), "consultation_id": str(consultation_id),
                "shared_person_ids": list(disclosure.person_ids)}

    def request_outreach(self, trace: Trace, *, consultation_id: UUID, to: dict, noticed: list,
                         area: str, caseworker_id: str, note: str | None = None,
                         requested_at: datetime | None = None) -> dict:
        """アウトリーチの依頼 — addressed to one outreach instance; personal only under consent.
        The area must be one of the city's directory, once this instance's copy holds the city."""
        self.directory.require_known(areas={"area": area})
        consultation, disclosure, holder = self._sharing(consultation_id, organisation=to["organisation"],
                                                         purpose="outreach")
        request_id = uuid4()
        consultation.request_outreach(
            request_id=request_id, to_instance=to["instance"], to_organisation=to["organisation"],
            noticed=noticed, area=area, requested_at=requested_at or now(),
            caseworker_id=caseworker_id, disclosure=disclosure, note=note)
        self.save_traced(consultation, holder, trace=trace)
        return {"request_id": str(request_id), "consultation_id": str(consultation_id),
                "shared_person_ids": list(disclosure.person_ids)}

    def resolve(self, trace: Trace, *, consultation_id: UUID, resolved_at: datetime | None,
                caseworker_id: str, note: str | None) -> dict:
        consultation: Consultation = self.repository.get(consultation_id)
        consultation.resolve(resolved_at=resolved_at or now(), caseworker_id=caseworker_id, note=note)
        self.save_traced(consultation, trace=trace)
        return {"consultation_id": str(consultation_id), "status": consultation.status}

    def continue_watch(self, trace: Trace, *, consultation_id: UUID, next_contact_on: date,
                       caseworker_id: str, note: str | None) -> dict:
        consultation: Consultation = self.repository.get(consultation_id)
        consultation.continue_watch(next_contact_on=next_contact_on, decided_at=in_japan(now()),
                                    caseworker_id=caseworker_id, note=note)
        self.save_traced(consultation, trace=trace)
        return {"consultation_id": str(consultation_id), "status": consultation.status,
                "next_contact_on": next_contact_on.isoformat()}

    def record_contact(self, trace: Trace, *, consultation_id: UUID, contacted_at: datetime | None,
                       **contact) -> dict:
        consultation: Consultation = self.repository.get(consultation_id)
        contact_id = uuid4()
        consultation.record_contact(contact_id=contact_id, contacted_at=contacted_at or now(), **contact)
        self.save_traced(consultation, trace=trace)
        return {"contact_id": str(contact_id), "consultation_id": str(consultation_id)}
