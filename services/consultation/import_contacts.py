"""データ移行の継続相談 — a city's records of further contacts (支援経過・対応履歴) on consultations
imported earlier, one batch of source rows a call.

Each row names its consultation by the source's own key (the intakes' `source_system:source_id`,
the key the intake row was imported under): the consultation is `uuid5(instance, that key)`.
The contact is checked by the caseworker's own command schema (`RecordContactSchema`) and
recorded by the same domain (`Consultation.record_contact`), with the id
`uuid5(instance, contact row key)`: a row whose contact the consultation holds is answered
`already_recorded`, so re-running a file or an overlapping export records nothing twice.
"""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields

from kasane.errors import DomainRuleViolation
from kasane.runtime.command_fields import text
from kasane.store.trace import Trace
from kasane.store.unit_of_work import UnitOfWork

from consultation.domain.consultation import Consultation
from consultation.imports import ImportBatchSchema, SourceRowSchema, batch_of, import_id
from consultation.schemas import RecordContactSchema

NO_CONSULTATION = "no consultation was imported under this source key (import the intakes first)"


class ImportContactRowSchema(SourceRowSchema):
    consultation_key = text(required=True)
    contact = fields.Dict(required=True)


class ImportContactsSchema(ImportBatchSchema):
    """データ移行 — one batch of contact rows of one file."""

    rows = batch_of(ImportContactRowSchema)


def import_contacts(app, trace: Trace, *, file_sha256: str, rows: list, dry_run: bool,
                    imported_by: str | None = None) -> dict:
    """Record the batch's good rows in one transaction (none with `dry_run`); answer each row."""
    uow = UnitOfWork(app)
    uow.prefetch([import_id(app.instance, "consultation", r["consultation_key"]) for r in rows])
    schema = RecordContactSchema()  # one per batch
    results = [_take(app, uow, schema, row) for row in rows]
    if not dry_run:
        app.save_events(uow.take_events(trace))
    return {"results": results, "dry_run": dry_run}


def _take(app, uow: UnitOfWork, schema: Schema, row: dict) -> dict:
    answer = {"row": row["row"]}
    consultation_id = import_id(app.instance, "consultation", row["consultation_key"])
    try:
        contact = schema.load({**row["contact"], "consultation_id": str(consultation_id)})
    except ValidationError as exc:
        return {**answer, "status": "refused", "errors": exc.messages}
    consultation = uow.find(consultation_id)
    if not isinstance(consultation, Consultation):
        return {**answer, "status": "refused", "errors": {"consultation": [NO_CONSULTATION]}}
    if contact["contacted_at"] is None:
        return {**answer, "status": "refused", "errors": {"contacted_at": ["Missing data for required field."]}}
    contact_id = import_id(app.instance, "contact", row["key"])
    answer.update(consultation_id=str(consultation_id), contact_id=str(contact_id))
    if any(c["contact_id"] == str(contact_id) for c in consultation.contacts):
        return {**answer, "status": "already_recorded"}
    try:
        consultation.record_contact(contact_id=contact_id, contacted_at=contact["contacted_at"],
                                    channel=contact["channel"], caseworker_id=contact["caseworker_id"],
                                    note=contact["note"])
    except DomainRuleViolation as exc:  # messages name the rule, never a value
        return {**answer, "status": "refused", "errors": {"_rule": [str(exc)]}}
    return {**answer, "status": "recorded"}
