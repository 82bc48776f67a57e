"""The mapping file (取込定義, YAML): which column is which intake, household and person field, how
a city's words translate to kasane's codes, and what a row without a value takes.

    name: 支援ケース一覧（全国様式）
    source_system: case-list   # with source_id, one record keeps one key across files
    source_id: 相談番号         # the column naming each record (optional: else its content)
    household: 世帯番号         # the column naming each household (optional)
    defaults: {channel: counter, consulted_by: self, caseworker_id: 移行}
    fields:
      received_at: 受付日                       # a column name ...
      channel: {column: 相談方法, codes: {来所: counter}}   # ... or a column with codes
      issue_categories: {column: 相談分類, split: "、"}
    persons:
      - {relation: {value: self}, name: 氏名, kana: ふりがな, birth_date: 生年月日, area: 圏域}

Codes are also recognised by kasane's own Japanese labels (電話, 本人, 介護 …) and by the code
itself. Every refusal names the row, the column and the rule, never the cell's value.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path

import yaml

from kasane.clock import JST
from kasane.importing.consent import ConsentColumns, filled
from kasane.importing.dates import NotADate, parse_day
from kasane.vocabulary import CHANNELS, CONSULTED_BY, ISSUE_CATEGORIES, RELATIONS, URGENCY
from kasane_contracts.vocabulary import CONSENT_GIVEN_BY, CONSENT_METHODS, CONSENT_PURPOSES, SEXES

INTAKE_FIELDS = ("received_at", "resolved_at", "channel", "consulted_by", "summary",
                 "issue_categories", "urgency", "caseworker_id", "agency", "address", "phone")
PERSON_FIELDS = ("name", "kana", "birth_date", "relation", "area", "sex")
VOCABULARIES = {"channel": CHANNELS, "consulted_by": CONSULTED_BY, "urgency": URGENCY,
                "issue_categories": ISSUE_CATEGORIES, "relation": RELATIONS, "sex": SEXES,
                "given_by": CONSENT_GIVEN_BY, "method": CONSENT_METHODS, "purposes": CONSENT_PURPOSES}
MOMENTS = ("received_at", "resolved_at", "given_at", "withdrawn_at", "contacted_at")
LISTS = ("issue_categories", "purposes", "organisations")
ORGANISATION_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,62}$")  # an id of the city's directory
SPLIT = r"[、,，・/／;；\s]+"

REQUIRED = "必須の値がありません"
UNKNOWN_CODE = "対応表にない値です"


class MappingError(ValueError):
    """The mapping file itself is wrong (said in one sentence)."""


@dataclass(frozen=True)
class Rule:
    column: str | None = None
    value: object = None  # a constant instead of a column
    codes: dict = field(default_factory=dict)
    split: str | None = None


@dataclass
class Mapped:
    """One source row as an import row for the service, or why it cannot be one."""

    row: int
    command: dict | None
    errors: list  # [{"row", "column", "rule"}]
    person_slots: list = field(default_factory=list)  # mapping persons[i] of each sent person


def noter(number: int, errors: list):
    """How a row's problems are noted in `errors`: the row, the column (or 既定値), the rule."""
    def note(rule, message: str) -> None:
        errors.append({"row": number, "column": rule.column or "（既定値）", "rule": message})
    return note

class Mapping:
    FIELDS: tuple[str, ...] = INTAKE_FIELDS
    REQUIRED_FIELD: str | None = "received_at"
    rpc = "import_consultations"  # the service's use case the rows are sent to

    def __init__(self, document: dict, agencies=()):
        self.name = document.get("name") or "mapping"
        self.source_system = str(document.get("source_system") or self.name)
        self.source_id, self.household = document.get("source_id"), document.get("household")
        self.header_row, self.sheet = int(document.get("header_row") or 1), document.get("sheet")
        self.encoding = document.get("encoding")
        self.defaults = dict(document.get("defaults") or {})
        self.fields = {k: _rule(k, v) for k, v in (document.get("fields") or {}).items()}
        self.persons = [{k: _rule(k, v) for k, v in p.items()} for p in document.get("persons") or []]
        self.agencies = {a["agency_id"]: a for a in agencies}
        self.consent = ConsentColumns(document.get("consent"), _rule)
        unknown = (set(self.fields) - set(self.FIELDS) | {k for p in self.persons for k in p} - set(PERSON_FIELDS)
                   | self.consent.unknown)
        if unknown:
            raise MappingError(f"取込定義に知らない項目があります: {', '.join(sorted(unknown))}")
        if self.REQUIRED_FIELD and self.REQUIRED_FIELD not in self.fields:
            raise MappingError(f"取込定義に fields.{self.REQUIRED_FIELD} がありません")

    @classmethod
    def load(cls, path: Path, agencies=()) -> "Mapping":
        try:
            document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise MappingError(f"取込定義を読めません: {type(exc).__name__}") from None
        if not isinstance(document, dict):
            raise MappingError("取込定義は YAML の対応表にしてください")
        from kasane.importing.contacts import ContactMapping  # they build on this class
        from kasane.importing.households import HouseholdMapping
        kinds = {"consultations": cls, "contacts": ContactMapping, "households": HouseholdMapping}
        kind = kinds.get(str(document.get("kind") or "consultations"))
        if kind is None:
            raise MappingError("取込定義の kind は consultations・contacts・households のどれかにしてください")
        return kind(document, agencies)

    def columns(self) -> set:
        rules = list(self.fields.values()) + [r for p in self.persons for r in p.values()]
        named = {r.column for r in rules if r.column} | {c for c in (self.source_id, self.household) if c}
        return named | self.consent.columns()

    def missing_columns(self, header: list[str]) -> tuple[list[str], list[str]]:
        """(required columns the file lacks, other mapped columns it lacks — read as empty):
        a template names more columns than most cities' sheets have."""
        first = self.fields[self.REQUIRED_FIELD].column if self.REQUIRED_FIELD else None
        required = {c for c in (first, self.source_id) if c}
        absent = self.columns() - set(header)
        return sorted(absent & required), sorted(absent - required)

    def _also_required(self, found: tuple[list[str], list[str]], header: list[str],
                       column: str) -> tuple[list[str], list[str]]:
        """`found` (as missing_columns answers) with `column` required too."""
        missing, absent = found
        if column not in header:
            missing, absent = sorted({*missing, column}), [a for a in absent if a != column]
        return missing, absent

    def column_of(self, path: tuple, person_slots: list) -> str:
        """The column a service error's field path came from (or the field, when none)."""
        if path and path[0] == "persons" and len(path) > 2 and str(path[1]).isdigit():
            slot = person_slots[int(path[1])] if int(path[1]) < len(person_slots) else None
            rule = self.persons[slot].get(path[2]) if slot is not None else None
            return rule.column if rule and rule.column else ".".join(map(str, path))
        if path and path[0] == "consent":
            return self.consent.column_of(path)
        rule = self.fields.get(path[0]) if path else None
        return rule.column if rule and rule.column else ".".join(map(str, path)) or "（行全体）"

    # -- one row ---------------------------------------------------------------------------------

    def map_row(self, number: int, values: dict) -> Mapped:
        errors: list = []
        note = noter(number, errors)
        intake = self._fields(values, note)
        persons, slots = self._persons(values, note)
        resolved_at = intake.pop("resolved_at", None)
        intake["agency"] = self._agency(intake.get("agency"), note)
        intake.update(persons=persons, new_household=False)
        consent = self.consent.of(self, values, note, slots)
        intake.setdefault("issue_categories", [])
        intake["issue_categories"] = intake["issue_categories"] or []
        self._require(intake, errors, note)
        command = {"row": number, "intake": {k: v for k, v in intake.items() if v is not None},
                   "resolved_at": resolved_at}
        if consent is not None:
            command["consent"] = consent
        household = _text(values.get(self.household)) if self.household else None
        if household:
            command["household_key"] = f"{self.source_system}:{household}"
        command["key"] = self._key(values, command, note)
        return Mapped(number, None if errors else command, errors, slots)

    def _fields(self, values: dict, note) -> dict:
        """The mapped fields of the row, a default where the row gives none."""
        mapped = {k: self._value(k, rule, values, note) for k, rule in self.fields.items()}
        for k, v in self.defaults.items():
            if mapped.get(k) in (None, [], ""):
                mapped[k] = self._value(k, Rule(value=v), values, note)
        return mapped

    def _require(self, mapped: dict, errors: list, note) -> None:
        rule = self.fields[self.REQUIRED_FIELD]
        if mapped.get(self.REQUIRED_FIELD) is None and not any(e["column"] == rule.column for e in errors):
            note(rule, REQUIRED)

    def _value(self, name: str, rule: Rule, values: dict, note):
        raw = values.get(rule.column) if rule.column else None
        if not filled(raw):
            raw = rule.value  # a constant, or the column's value when the cell is empty
        if not filled(raw):
            return None
        try:
            if name in MOMENTS:
                return _moment(raw, end_of_day=name == "resolved_at")
            if name == "birth_date":
                return parse_day(raw)[0].isoformat()
            if name in LISTS:
                parts = [p for p in re.split(rule.split or SPLIT, _text(raw)) if p]
                return list(dict.fromkeys(self._code(name, rule, p) for p in parts))
            if name in VOCABULARIES or name == "agency":
                return self._code(name, rule, raw)
        except NotADate as exc:
            note(rule, str(exc))
            return None
        except LookupError:
            note(rule, UNKNOWN_CODE)
            return None
        return _text(raw)

    def _code(self, name: str, rule: Rule, raw) -> str:
        text = _text(raw)
        if text in rule.codes:
            return rule.codes[text]
        if name == "organisations":  # a directory id as it is; a name only through the codes
            if ORGANISATION_ID.match(text):
                return text
            raise LookupError(name)
        vocabulary = VOCABULARIES.get(name) or {a: a for a in self.agencies}
        if text in vocabulary:
            return text
        by_label = {_text(v): k for k, v in vocabulary.items()}
        if name == "agency":
            by_label.update({_text(a.get("name")): k for k, a in self.agencies.items()})
        if text in by_label:
            return by_label[text]
        if not rule.codes and not self.agencies and name == "agency":
            return text
        raise LookupError(name)

    def _persons(self, values: dict, note) -> tuple[list, list]:
        persons, slots = [], []
        for slot, rules in enumerate(self.persons):
            person = {k: self._value(k, rule, values, note) for k, rule in rules.items()}
            if any(person.get(k) for k in ("name", "kana", "birth_date")):
                persons.append({k: v for k, v in person.items() if v is not None})
                slots.append(slot)
        return persons, slots

    def _agency(self, agency_id: str | None, note) -> dict | None:
        if agency_id is None and len(self.agencies) == 1:
            agency_id = next(iter(self.agencies))
        if agency_id is None:
            note(self.fields.get("agency", Rule()), REQUIRED)
            return None
        named = self.agencies.get(agency_id, {"name": agency_id})
        return {"agency_id": agency_id, "name": named["name"]}

    def _key(self, values: dict, command: dict, note) -> str:
        """The row's idempotency key: its record's id in the source system when the mapping
        names one, else the digest of what it says once mapped (see README, データ移行)."""
        if self.source_id:
            record = _text(values.get(self.source_id))
            if not record:
                note(Rule(column=self.source_id), REQUIRED)
            return f"{self.source_system}:{record}"
        content = {k: v for k, v in command.items() if k != "row"}
        canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, default=str)
        return "content:" + hashlib.sha256(canonical.encode()).hexdigest()


def _rule(name: str, spec) -> Rule:
    if isinstance(spec, str):
        return Rule(column=spec)
    if isinstance(spec, dict) and ("column" in spec or "value" in spec):
        codes = {_text(k): v for k, v in (spec.get("codes") or {}).items()}
        return Rule(column=spec.get("column"), value=spec.get("value"), codes=codes, split=spec.get("split"))
    raise MappingError(f"取込定義の {name} は列名か {{column: 列名}} か {{value: 値}} にしてください")


def _text(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # an .xlsx number cell (相談番号 12 read as 12.0)
    return unicodedata.normalize("NFKC", str(raw)).strip()


def _moment(raw, end_of_day: bool = False) -> str:
    """A day (and time) in Japan as an aware ISO moment; a day alone is taken at 0:00 JST, or at
    its last second for an end (終結日: the contacts of that day come before it)."""
    day, at = parse_day(raw)
    alone = time(23, 59, 59) if end_of_day else time(0)
    return datetime.combine(day, at or alone, tzinfo=JST).isoformat()
