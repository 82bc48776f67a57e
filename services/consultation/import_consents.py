"""データ移行の本人同意 — a row's consent (and its withdrawal, 同意の撤回) taken in with its intake.

The consent is checked by the caseworker's own command schemas (`RecordConsentSchema`,
`WithdrawConsentSchema`) and recorded by the same rule and domain as a caseworker's entry
(`consenting.record_on`, `HouseholdConsents.record` / `withdraw`), in the batch's transaction
with the row's consultation. Its id is `uuid5(instance, row key)`: it is recorded exactly when
the row's consultation is, never twice. The domain's rules run first on a scratch record, so a
refused consent leaves its whole row unrecorded (the row is refused, nothing of it is stored).

A consent without its own date is taken as given on the day of the intake (受付日): the national
相談受付・申込票 carries the consent box on the intake sheet itself.
"""
from __future__ import annotations

from uuid import UUID

from marshmallow import Schema, ValidationError, fields, validate

from kasane.store.unit_of_work import UnitOfWork

from consultation.consenting import record_on
from consultation.domain.consent import HouseholdConsents
from consultation.domain.household import Household
from consultation.schemas import RecordConsentSchema, WithdrawConsentSchema

OWN = ("person", "withdrawn_at")  # the import's own parts; the rest is the caseworker's command


class ImportedConsentSchema(Schema):
    person = fields.Integer(load_default=0, strict=True, validate=validate.Range(min=0))


class ConsentLoader:
    """One per batch (making a schema costs as much as a load)."""

    def __init__(self):
        self.own = ImportedConsentSchema()
        self.given = RecordConsentSchema(exclude=("household_id", "person_id", "command_id", "correlation_id"))
        self.withdrawal = WithdrawConsentSchema(only=("withdrawn_at",))

    def load(self, consent: dict | None, intake: dict) -> dict | None:
        """The row's consent, checked; ValidationError naming `consent.<field>` otherwise."""
        if consent is None:
            return None
        given = {k: v for k, v in consent.items() if k not in OWN}
        given = {"caseworker_id": intake.get("caseworker_id"), "agency": intake.get("agency"),
                 "given_at": intake.get("received_at"), **given}
        errors, loaded = {}, {}
        for schema, data in ((self.own, {k: consent[k] for k in ("person",) if k in consent}),
                             (self.given, given),
                             (self.withdrawal, {k: consent[k] for k in ("withdrawn_at",) if k in consent})):
            try:
                loaded.update(schema.load(data))
            except ValidationError as exc:
                errors.update(exc.messages_dict)
        if not errors and loaded["person"] >= len(intake.get("persons") or []):
            errors["person"] = ["the person who consented is not among the row's persons"]
        if errors:
            raise ValidationError({"consent": errors})
        return loaded


def check(consent: dict, consent_id: UUID, household_id: UUID, person_id: str, agency: dict) -> None:
    """The domain's rules on a scratch record: DomainRuleViolation before anything is kept."""
    _apply(HouseholdConsents(household_id=household_id), None, consent, consent_id, person_id, agency)


def record(uow: UnitOfWork, household: Household, consent: dict, consent_id: UUID,
           person_id: str, agency: dict) -> None:
    records = uow.find_or_add(HouseholdConsents.create_id(household.id),
                              lambda: HouseholdConsents(household_id=household.id))
    _apply(records, household, consent, consent_id, person_id, agency)


def _apply(records: HouseholdConsents, household: Household | None, consent: dict,
           consent_id: UUID, person_id: str, agency: dict) -> None:
    given = {k: v for k, v in consent.items() if k not in OWN and k != "agency"}
    if household is None:  # the scratch check: the person is the row's own
        records.record(consent_id=consent_id, person_id=person_id, agency=agency, **given)
    else:
        record_on(records, household, consent_id=consent_id, person_id=person_id, agency=agency, **given)
    if consent.get("withdrawn_at") is not None:
        withdraw(records, consent, consent_id, agency)


def withdraw(records: HouseholdConsents, consent: dict, consent_id: UUID, agency: dict) -> None:
    """同意の撤回 as the caseworker's use case records it (`HouseholdConsents.withdraw`)."""
    records.withdraw(consent_id=consent_id, withdrawn_at=consent["withdrawn_at"],
                     caseworker_id=consent["caseworker_id"], agency=agency)
