"""データ移行の世帯 — a city's separate sheet of households and their members (世帯員名簿), one
member a row, joined to the intakes by the source's own household number.

A row's household is `uuid5(instance, source system + household number)`, the one an intake row
with that 世帯番号 joins (`consultation.imports`), so either file may come first. Its member is
checked by the intake's own person schema and recorded by the same domain as at intake
(`Household.register`, `add_persons`); a member the household already knows (same kana and birth
date, or the same name, kana and birth date as an earlier import) is answered
`already_recorded`. A member also known in another household is listed as ambiguous for a
caseworker (世帯検索, 世帯の統合); nothing is merged.
"""
from __future__ import annotations

from marshmallow import ValidationError, fields

from kasane.clock import now
from kasane.errors import DomainRuleViolation
from kasane.runtime.command_fields import text
from kasane.store.trace import Trace
from kasane.store.unit_of_work import UnitOfWork

from consultation.domain.household import Household
from consultation.imports import (ImportBatchSchema, Matcher, SourceRowSchema, _person, batch_of, import_id,
                                  matcher_of)
from consultation.schemas import AgencySchema, PersonSchema


class ImportMemberRowSchema(SourceRowSchema):
    household_key = text(required=True)
    person = fields.Dict(required=True)
    agency = fields.Dict(required=True)
    caseworker_id = text(required=True)


class ImportHouseholdsSchema(ImportBatchSchema):
    """データ移行 — one batch of member rows of one household sheet."""

    rows = batch_of(ImportMemberRowSchema)


def import_households(app, trace: Trace, *, file_sha256: str, rows: list, dry_run: bool,
                      imported_by: str | None = None) -> dict:
    """Record the batch's good rows in one transaction (none with `dry_run`); answer each row."""
    app.views.catch_up()
    uow = UnitOfWork(app)
    uow.prefetch([import_id(app.instance, "household", r["household_key"]) for r in rows])
    members = _Members(app, uow, matcher_of(app).with_overlay())
    results = [members.take(row) for row in rows]
    if not dry_run:
        app.save_events(uow.take_events(trace))
    return {"results": results, "dry_run": dry_run}


class _Members:
    def __init__(self, app, uow: UnitOfWork, matcher: Matcher):
        self.app, self.uow, self.matcher = app, uow, matcher
        self.person, self.agency = PersonSchema(), AgencySchema()  # one per batch

    def take(self, row: dict) -> dict:
        answer = {"row": row["row"]}
        errors, loaded = {}, {}
        for name, schema in (("person", self.person), ("agency", self.agency)):
            try:
                loaded[name] = schema.load(row[name])
            except ValidationError as exc:
                errors[name] = exc.messages
        if errors:
            return {**answer, "status": "refused", "errors": errors}
        try:
            return {**answer, **self._member(row, loaded["person"], self.app.agency(loaded["agency"]))}
        except DomainRuleViolation as exc:  # messages name the rule, never a value
            return {**answer, "status": "refused", "errors": {"_rule": [str(exc)]}}

    def _member(self, row: dict, person: dict, agency: dict) -> dict:
        household_id = import_id(self.app.instance, "household", row["household_key"])
        household = self._current(self.uow.find(household_id))
        known = self.app._known_persons(household) if household is not None else {}
        record = _person(household_id, known, person)
        found = {"household_id": str(household.id if household else household_id)}
        if record["person_id"] in known:
            return {**found, "status": "already_recorded"}
        candidates = [h for h in self.matcher.households_of([person]) if h != found["household_id"]]
        if household is None:
            household = Household.register(
                household_id=household_id, persons=[record], registered_at=now(), agency=agency,
                caseworker_id=row["caseworker_id"], explicit_choice=False, duplicate_candidates=candidates)
            self.uow.add(household)
        else:
            household.add_persons([record], added_at=now(), caseworker_id=row["caseworker_id"])
        self.matcher.add(str(household.id), [record])
        return {**found, "status": "recorded", "person_id": record["person_id"], "candidates": candidates,
                "household": "ambiguous" if candidates else "source"}

    def _current(self, household: Household | None) -> Household | None:
        while household is not None and household.merged_into is not None:
            household = self.uow.get(household.merged_into)
        return household
