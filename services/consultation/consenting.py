"""本人同意 — recording and withdrawing a household's consents, and what a sharing may
carry under them (mixed into ConsultationApplication)."""
from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from kasane.clock import now
from kasane.store.trace import Trace
from kasane.store.unit_of_work import UnitOfWork

from consultation.domain.consent import HouseholdConsents, disclosure_for
from consultation.domain.consultation import Consultation
from consultation.domain.household import Household
from consultation.domain.rules import ConsentRuleViolation


class Consenting:
    # -- 本人同意 ------------------------------------------------------------------------------

    def record_consent(self, trace: Trace, *, household_id: UUID, person_id: UUID,
                       given_at: datetime | None, agency: dict, **consent) -> dict:
        """同意の記録 — the person (or a representative) consents to sharing, for some
        organisations or purposes."""
        agency = self.agency(agency)
        household, reads = self._household_read(household_id)
        records = self._consents(household, reads) or HouseholdConsents(household_id=household.id)
        consent_id = uuid4()
        record_on(records, household, consent_id=consent_id, person_id=person_id,
                  given_at=given_at or now(), agency=agency, **consent)
        self.save_traced(records, trace=trace)
        return {"consent_id": str(consent_id), "household_id": str(household.id)}

    def withdraw_consent(self, trace: Trace, *, household_id: UUID, consent_id: UUID,
                         withdrawn_at: datetime | None, caseworker_id: str, agency: dict) -> dict:
        """同意の撤回 — stops every further sharing under the consent, at once."""
        agency = self.agency(agency)
        household, reads = self._household_read(household_id)
        holder = next((r for r in self._all_consents(household, reads) if str(consent_id) in r.consents), None)
        if holder is None:
            raise ConsentRuleViolation("no such consent is recorded for this household")
        holder.withdraw(consent_id=consent_id, withdrawn_at=withdrawn_at or now(),
                        caseworker_id=caseworker_id, agency=agency)
        self.save_traced(holder, trace=trace)
        return {"consent_id": str(consent_id), "status": "withdrawn"}

    def _household_read(self, household_id, reads: UnitOfWork | None = None) -> tuple[Household, UnitOfWork]:
        """The household (the one it was merged into, if so) and the unit of work it was read
        in: the household and its consent records are read in one round trip, not one after
        the other (issue 24); none if `reads` holds them already."""
        reads = reads or UnitOfWork(self)
        reads.prefetch(_with_consents(household_id))
        return self._current(reads.get(household_id)), reads

    def _sharing_read(self, consultation_id) -> tuple[Consultation, UnitOfWork]:
        """A consultation about to share, read with its household and the household's consent
        records in one round trip when the caseload names the household: a consultation's
        household never changes, so the view's word is enough to ask (the consultation read
        decides; a household it does not name is read after)."""
        reads = UnitOfWork(self)
        household_id = self.caseload.household_of(str(consultation_id))
        reads.prefetch([consultation_id, *(_with_consents(UUID(household_id)) if household_id else [])])
        return reads.get(consultation_id), reads

    def _consents(self, household: Household, reads: UnitOfWork | None = None) -> HouseholdConsents | None:
        return (reads or self).find(HouseholdConsents.create_id(household.id))

    def _all_consents(self, household: Household, reads: UnitOfWork | None = None) -> list:
        """The consent records of the household and of every household merged into it."""
        records = [self._consents(household, reads)]
        for absorbed_id in household.merged_households:
            records += self._all_consents(self.repository.get(absorbed_id))
        return [r for r in records if r is not None]

    def _sharing(self, consultation_id, *, organisation: str | None, purpose: str):
        """A consultation about to share (紹介, つなぎ, アウトリーチの依頼) and what the sharing may
        carry under the household's consents: (consultation, disclosure, the consent record that
        notes the disclosure or None)."""
        consultation, reads = self._sharing_read(consultation_id)
        household, reads = self._household_read(consultation.household_id, reads)
        records = self._all_consents(household, reads)
        disclosure = disclosure_for(records, consultation.person_ids, organisation=organisation,
                                    purpose=purpose, at=now())
        holder = next((r for r in records if set(disclosure.consent_ids) & set(r.consents)), None)
        if holder is not None and disclosure.shares_anything:
            holder.record_disclosure(disclosure, disclosure_id=uuid4(), disclosed_at=now())
        return consultation, disclosure, holder


def _with_consents(household_id: UUID) -> list:
    """The ids of a household and of its consent records, read together."""
    return [household_id, HouseholdConsents.create_id(household_id)]


def record_on(records: HouseholdConsents, household: Household, *, consent_id: UUID,
              person_id, **consent) -> None:
    """The consent of a member of the household, on its consent records: a caseworker's entry
    and an imported row (consultation.import_consents) alike."""
    if str(person_id) not in household.person_ids:
        raise ConsentRuleViolation("the person is not a member of this household")
    records.record(consent_id=consent_id, person_id=str(person_id), **consent)
