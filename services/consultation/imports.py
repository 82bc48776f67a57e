"""データ移行 — a city's existing consultation records taken in, one batch of source rows a call.

Each row is an intake sheet (相談受付・申込票) checked by the caseworker's own command schema
(`ReceiveConsultationSchema`) and recorded by the same domain as a caseworker's entry
(`Household.register` / `add_persons`, `Consultation.receive`, `resolve`), marked as imported:
its `source` names the file's SHA-256 and the row number. Nothing goes round the domain.

Exactly once, however often a row comes: the consultation's id is `uuid5(instance, key)`, the
key being the row's idempotency key (the mapping's source-id column, else its normalised
content; `kasane.importing.mapping`). A row whose consultation exists is answered
`already_recorded`; two imports racing for one row collide on the event store's unique
(originator id, version) and the loser's batch is retried by the importer.

Households are matched by the intake's rule (kana and birth date both known and equal,
`views.search`): a source household number makes the household `uuid5(instance, number)`;
without one, exactly one matching household is joined, none makes a new one, and several make
a new one that keeps them as `duplicate_candidates` and is listed as ambiguous (a caseworker
decides; nothing is merged).
"""
from __future__ import annotations

from uuid import UUID, uuid5

from marshmallow import Schema, ValidationError, fields, validate

from kasane.clock import now
from kasane.errors import DomainRuleViolation
from kasane.runtime.command_fields import text
from kasane.runtime.commands import CommandSchema
from kasane.store.trace import Trace
from kasane.store.unit_of_work import UnitOfWork

from consultation.domain.consultation import Consultation
from consultation.domain.consent import HouseholdConsents
from consultation.domain.household import Household, person_record
from consultation.domain.rules import ConsentRuleViolation
from consultation import import_consents
from consultation.intake import intake_details
from consultation.schemas import ReceiveConsultationSchema
from consultation.views.search import kana_key

IMPORT_NAMESPACE = UUID("6f1c2a52-7d0e-4b8e-9a43-1f6a3c0d2b71")  # never change: ids depend on it
BATCH_LIMIT = 200  # rows per call (the kernel's list limit)


class SourceRowSchema(Schema):
    """A row of a source file: its number there and its key in the source system."""

    row = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    key = text(required=True)


class ImportBatchSchema(CommandSchema):
    """データ移行 — one batch of rows of one source file (named by its SHA-256)."""

    file_sha256 = fields.String(required=True, validate=validate.Regexp(
        r"^[0-9a-f]{64}$", error="not a SHA-256 in hex"))
    dry_run = fields.Boolean(load_default=False)


def batch_of(row_schema: type[Schema]) -> fields.List:
    """A batch's rows: one at least, BATCH_LIMIT at most."""
    return fields.List(fields.Nested(row_schema), required=True, validate=validate.Length(min=1, max=BATCH_LIMIT))


class ImportRowSchema(SourceRowSchema):
    household_key = text(load_default=None)
    intake = fields.Dict(required=True)
    resolved_at = fields.AwareDateTime(load_default=None)
    consent = fields.Dict(load_default=None)  # 本人同意 (consultation.import_consents)


class ImportConsultationsSchema(ImportBatchSchema):
    """データ移行 — one batch of source rows of one file."""

    rows = batch_of(ImportRowSchema)


def import_id(instance: str, kind: str, key: str) -> UUID:
    return uuid5(IMPORT_NAMESPACE, f"{instance}\n{kind}\n{key}")


def import_consultations(app, trace: Trace, *, file_sha256: str, rows: list, dry_run: bool,
                         imported_by: str | None = None) -> dict:
    """Record the batch's good rows in one transaction (none with `dry_run`); answer each row."""
    app.views.catch_up()
    matcher = matcher_of(app)
    uow = UnitOfWork(app)
    uow.prefetch([import_id(app.instance, "consultation", r["key"]) for r in rows]
                 + [import_id(app.instance, "household", r["household_key"])
                    for r in rows if r.get("household_key")])
    batch = _Batch(app, uow, matcher.with_overlay(), {"file_sha256": file_sha256,
                                                       "imported_by": imported_by})
    results = [batch.take(row) for row in rows]
    if not dry_run:
        app.save_events(uow.take_events(trace))
    return {"results": results, "dry_run": dry_run}


class _Batch:
    def __init__(self, app, uow: UnitOfWork, matcher: "Matcher", source: dict):
        self.app, self.uow, self.matcher, self.source = app, uow, matcher, source
        self.schema = ReceiveConsultationSchema()  # one per batch: making one costs as much as a load
        self.consents = import_consents.ConsentLoader()

    def take(self, row: dict) -> dict:
        answer = {"row": row["row"]}
        intake, errors = _loaded(self.schema.load, row["intake"])
        consent, more = _loaded(self.consents.load, row.get("consent"), row["intake"])
        if errors or more:
            return {**answer, "status": "refused", "errors": {**errors, **more}}
        consultation_id = import_id(self.app.instance, "consultation", row["key"])
        try:
            if (earlier := self.uow.find(consultation_id)) is not None:
                return {**answer, "status": "already_recorded", "consultation_id": str(consultation_id),
                        **self._later_consent(earlier, row["key"], consent)}
            return {**answer, "status": "recorded", **self._record(row, intake, consultation_id, consent)}
        except DomainRuleViolation as exc:  # messages name the rule, never a value
            return {**answer, "status": "refused", "errors": {"_rule": [str(exc)]}}

    def _record(self, row: dict, intake: dict, consultation_id: UUID, consent: dict | None) -> dict:
        agency = self.app.agency(intake["agency"])
        found = self._household(row, intake["persons"])
        consultation = Consultation.receive(
            consultation_id=consultation_id, household_id=found["household_id"], agency=agency,
            received_at=intake["received_at"], channel=intake["channel"],
            consulted_by=intake["consulted_by"], issue_categories=intake["issue_categories"],
            urgency=intake["urgency"] or "normal", caseworker_id=intake["caseworker_id"],
            persons=found["persons"], summary=intake["summary"],
            source={"kind": "import", "row": row["row"], **self.source},
            details=intake_details(intake["persons"], found["persons"], intake["address"], intake["phone"]))
        if row.get("resolved_at"):
            consultation.resolve(resolved_at=row["resolved_at"],
                                 caseworker_id=intake["caseworker_id"], note=None)
        consenting = self._consent(consent, found, agency, row["key"])
        self._keep_household(found, agency, intake["caseworker_id"])
        self.uow.add(consultation)
        if consenting:
            consenting()
        return {"consultation_id": str(consultation_id), "household_id": str(found["household_id"]),
                "household": found["how"], "candidates": found["candidates"]}

    def _consent(self, consent: dict | None, found: dict, agency: dict, key: str):
        """The row's consent checked by the domain's rules now (nothing is kept yet), and the
        step that records it once the household holds its persons."""
        if consent is None:
            return None
        consent_id = import_id(self.app.instance, "consent", key)
        person_id = found["persons"][consent["person"]]["person_id"]
        import_consents.check(consent, consent_id, found["household_id"], person_id, agency)
        household = lambda: self._current(self.uow.find(found["household_id"]))  # noqa: E731
        return lambda: import_consents.record(self.uow, household(), consent, consent_id, person_id, agency)

    def _later_consent(self, consultation: Consultation, key: str, consent: dict | None) -> dict:
        """A row recorded earlier whose later export brings its consent, or the consent's
        withdrawal (同意の撤回): taken in, so that no export loses a withdrawal. Nothing else of
        the row changes, and a withdrawn consent is never given again."""
        if consent is None:
            return {}
        household = self._current(self.uow.find(consultation.household_id))
        consent_id = import_id(self.app.instance, "consent", key)
        records = self.uow.find(HouseholdConsents.create_id(household.id))
        known = records.consents.get(str(consent_id)) if records is not None else None
        if known is None:
            persons = consultation.person_ids
            if consent["person"] >= len(persons):
                raise ConsentRuleViolation("the person who consented is not among the row's persons")
            import_consents.check(consent, consent_id, household.id, persons[consent["person"]], consultation.agency)
            import_consents.record(self.uow, household, consent, consent_id, persons[consent["person"]], consultation.agency)
            return {"consent": "recorded"}
        if known["status"] == "given" and consent.get("withdrawn_at") is not None:
            import_consents.withdraw(records, consent, consent_id, consultation.agency)
            return {"consent": "withdrawn"}
        return {}

    def _household(self, row: dict, persons: list) -> dict:
        """Which household the row's persons belong to, and their records (ids kept stable)."""
        instance = self.app.instance
        matched = self.matcher.households_of(persons)
        if row.get("household_key"):
            household_id = import_id(instance, "household", row["household_key"])
            candidates = [h for h in matched if h != str(household_id)]
            how = "ambiguous" if candidates else "source"
        elif len(matched) == 1:
            household_id, how, candidates = UUID(matched[0]), "matched", []
        else:
            household_id = import_id(instance, "household", "row:" + row["key"])
            how, candidates = ("ambiguous" if matched else "new"), matched
        household = self._current(self.uow.find(household_id))
        known = self.app._known_persons(household) if household is not None else {}
        records = [_person(household_id, known, p) for p in persons]
        return {"household_id": household.id if household else household_id, "household": household,
                "persons": records, "how": how, "candidates": candidates, "new_persons": [r for r in records if r["person_id"] not in known]}

    def _keep_household(self, found: dict, agency: dict, caseworker_id: str) -> None:
        household, at = found["household"], now()
        if household is None:
            household = Household.register(
                household_id=found["household_id"], persons=found["persons"], registered_at=at,
                agency=agency, caseworker_id=caseworker_id, explicit_choice=False,
                duplicate_candidates=found["candidates"])
        elif found["new_persons"]:
            household.add_persons(found["new_persons"], added_at=at, caseworker_id=caseworker_id)
        self.uow.add(household)
        self.matcher.add(str(household.id), found["new_persons"] if found["household"] else found["persons"])

    def _current(self, household: Household | None) -> Household | None:
        while household is not None and household.merged_into is not None:
            household = self.uow.get(household.merged_into)
        return household


def _loaded(load, *args) -> tuple:
    """(the loaded value, {}) or (None, marshmallow's messages)."""
    try:
        return load(*args), {}
    except ValidationError as exc:
        return None, exc.messages


def _person(household_id: UUID, known: dict, person: dict) -> dict:
    """The person as the household knows them (same kana and birth date, or the same id this
    import gives), else a new record whose id derives from the household and who they are."""
    identity = _identity(person)
    for record in known.values():
        if identity and _identity(record) == identity:
            return record
    person_id = uuid5(household_id, "|".join(str(person.get(k) or "") for k in ("name", "kana", "birth_date")))
    return known.get(str(person_id)) or person_record({**person, "person_id": person_id})


def _identity(person: dict) -> tuple | None:
    kana, birth = kana_key(person.get("kana")), person.get("birth_date")
    return (kana, str(birth)) if kana and birth else None


class Matcher:
    """The intake's duplicate rule (kana and birth date both known and equal) as an index over
    the instance's household search, kept up to date between batches."""

    def __init__(self, search, base: "Matcher | None" = None):
        self.search, self.index, self.seen, self.base = search, {}, 0, base

    def refresh(self) -> "Matcher":
        persons = self.search.persons
        if len(persons) < self.seen:  # a rebuilt view: index it again
            self.index, self.seen = {}, 0
        for record in list(persons.values())[self.seen:]:
            self._put(record["household_id"], record)
        self.seen = len(persons)
        return self

    def _put(self, household_id: str, record: dict) -> None:
        identity = _identity(record)
        if identity:
            self.index.setdefault(identity, set()).add(household_id)

    def with_overlay(self) -> "Matcher":
        """A matcher that also knows one batch's households, forgotten with the batch."""
        return Matcher(self.search, base=self)

    def _households(self, identity) -> set:
        mine = self.index.get(identity, set())
        return mine | self.base._households(identity) if self.base else mine

    def add(self, household_id: str, records: list) -> None:
        for record in records:
            self._put(household_id, record)

    def households_of(self, persons: list) -> list:
        found = []
        for person in persons:
            for household_id in sorted(self._households(_identity(person) or ())):
                found.append(self.search.current_household(household_id))
        return list(dict.fromkeys(found))


def matcher_of(app) -> Matcher:
    if getattr(app, "_import_matcher", None) is None:
        app._import_matcher = Matcher(app.search)
    return app._import_matcher.refresh()
