"""市のプロファイル — a city's profile file (deploy/profiles/<city>.yaml): its areas
(日常生活圏域), organisations, agencies (相談支援機関・拠点) and yearly KPI targets (数値目標).

Pure Python: `load_profile(path)` reads and checks a file and returns a `Profile`, or raises
`ProfileError` naming the file and every bad field ("agency_tables.2.rows.5.area: …"). A file
extracted from a PDF may carry OCR noise; whatever it holds, the loader reports, never crashes.

A file groups agencies as the seeds tabulate them: one `agency_tables` entry per seed table
(its 市の事業名称, business line, 設置形態, 運営形態, 所管課, …) with one row per 機関名; a row may
override any column. `Profile.agencies` is the flat list, one record per agency.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from marshmallow import ValidationError, fields, validate

from kasane_contracts.vocabulary import BUSINESS_LINES, JUDGED_PLAN_SERVICES, MEETING_BASES
from kasane_contracts.events.directory import (AGENCY_FIELDS, OPERATING_FORMS, ORGANISATION_KINDS, SETTING_FORMS)

from directory.profile_checks import cross_check
from directory.profile_fields import _Strict, _id, _one_of, _text
from directory.profile_kpis import KpiTableSchema, flatten_kpis

PROFILE_VERSION = 1
CITY_NAME = re.compile(r"^[a-z][a-z0-9-]{0,39}$")  # a profile's file name, deploy/profiles/<city>.yaml
#: The columns an agency table gives its rows, in the file's spelling.
AGENCY_COLUMNS = ("business_line", "field", "設置形態", "運営形態", "所管課", "target_group",
                  "area", "covers", "operator", "joint_operators", "sites", "note")


class ProfileError(Exception):
    """A profile file that cannot be used: the file and, per field path, what is wrong."""

    def __init__(self, path: str | Path, errors: dict[str, list[str]]):
        self.path, self.errors = str(path), errors
        super().__init__(str(self))

    def __str__(self) -> str:
        details = "; ".join(f"{where}: {' '.join(why)}" for where, why in sorted(self.errors.items()))
        return f"invalid profile {self.path} ({details})"


class CitySchema(_Strict):
    """市 — which city the profile describes."""

    id = _id(required=True)
    name = _text(required=True)
    日本語名 = _text(required=True)
    prefecture = _text(required=True)


class AreaSchema(_Strict):
    """圏域 — one named area; `kind` when it is not the profile's main term (e.g. 包括圏域)."""

    id = _id(required=True)
    名称 = _text(required=True)
    kind = _text()
    note = fields.String()


class AreasSchema(_Strict):
    """日常生活圏域 — how many the seed says there are, and those it names."""

    term = _text(required=True)
    declared_count = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    source = _text(required=True)
    note = fields.String()
    list = fields.List(fields.Nested(AreaSchema), required=True)


class OrganisationSchema(_Strict):
    """組織 — a city section (所管課), 社会福祉協議会, 社会福祉法人, NPO, 医師会, …"""

    id = _id(required=True)
    name = _text(required=True)
    kind = _one_of(ORGANISATION_KINDS, "the organisation kinds", required=True)
    parent = _id(allow_none=True)
    note = fields.String()


class _AgencyColumns(_Strict):
    business_line = _one_of(BUSINESS_LINES, "the business lines")
    field = _one_of(AGENCY_FIELDS, "the fields", allow_none=True)
    設置形態 = _one_of(SETTING_FORMS, "the 設置形態", allow_none=True)
    運営形態 = _one_of(OPERATING_FORMS, "the 運営形態", allow_none=True)
    所管課 = fields.List(_id())
    target_group = fields.String(allow_none=True)
    area = _id(allow_none=True)
    covers = fields.List(_id())  # 担当地区: the areas a centre serving several covers
    operator = _id(allow_none=True)
    joint_operators = fields.List(_id())
    sites = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=1))
    note = fields.String()


class AgencyRowSchema(_AgencyColumns):
    """機関名 — one agency of a table; any column given here overrides the table's."""

    id = _id(required=True)
    name = _text(required=True)


class AgencyTableSchema(_AgencyColumns):
    """One seed table: 市の事業名称 and the columns its agencies share."""

    table = _text(required=True)
    source = _text(required=True)
    business_line = _one_of(BUSINESS_LINES, "the business lines", required=True)
    rows = fields.List(fields.Nested(AgencyRowSchema), required=True,
                       validate=validate.Length(min=1))


class MeetingBodySchema(_Strict):
    """会議体 — a meeting body the city names itself, under which bases it meets (seed row in
    `source`): 重層的支援会議, 支援会議 (法106条の6), or another kind of meeting."""

    id = _id(required=True)
    名称 = _text(required=True)
    bases = fields.List(_one_of(MEETING_BASES, "the meeting bases"), required=True,
                        validate=validate.Length(min=1))
    所管課 = fields.List(_id(), load_default=list)
    source = _text(required=True)
    note = fields.String()


class PlanJudgementSchema(_Strict):
    """プランの適切性の協議 — whose plans (アウトリーチ等事業プラン, 参加支援事業プラン) the city's
    重層的支援会議 judges before they come into force (seed row in `source`, 001 §1(5)イ(イ)①)."""

    services = fields.List(_one_of(JUDGED_PLAN_SERVICES, "the judged plans"), required=True,
                           validate=validate.Length(min=1))
    source = _text(required=True)


class ProfileSchema(_Strict):
    profile_version = fields.Integer(required=True, strict=True,
                                     validate=validate.Equal(PROFILE_VERSION))
    source = _text(required=True)
    city = fields.Nested(CitySchema, required=True)
    areas = fields.Nested(AreasSchema, required=True)
    organisations = fields.List(fields.Nested(OrganisationSchema), required=True)
    agency_tables = fields.List(fields.Nested(AgencyTableSchema), required=True)
    kpi_tables = fields.List(fields.Nested(KpiTableSchema), load_default=list)
    retention = fields.Dict(keys=_text(), values=fields.Integer(strict=True, validate=validate.Range(min=1)),
                            load_default=dict)  # 保存年限: years after an ending event (kasane.privacy.retention)
    meeting_bodies = fields.List(fields.Nested(MeetingBodySchema), load_default=list)
    plans_judged_at_meeting = fields.Nested(PlanJudgementSchema, load_default=None)


@dataclass(frozen=True)
class Profile:
    """A checked profile: plain dicts, agencies and KPI targets flattened one per record."""

    path: str
    source: str
    city: dict
    area_term: str
    declared_area_count: int
    areas: list[dict]
    organisations: list[dict]
    agencies: list[dict]
    kpi_targets: list[dict] = field(default_factory=list)
    retention: dict = field(default_factory=dict)
    meeting_bodies: list[dict] = field(default_factory=list)
    plans_judged_at_meeting: list[str] = field(default_factory=list)  # outreach, participation

    @property
    def city_id(self) -> str:
        return self.city["id"]

    def main_areas(self) -> list[dict]:
        """The named areas of the profile's main term (日常生活圏域 and its local names)."""
        return [area for area in self.areas if area.get("kind", self.area_term) == self.area_term]


def load_profile(path: str | Path) -> Profile:
    """Read and check one profile file; ProfileError names the file and each bad field."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(path, {"_file": [f"cannot be read as UTF-8 text ({exc.__class__.__name__})."]}) from None
    return parse_profile(text, path)


def parse_profile(text: str, path: str | Path = "<profile>") -> Profile:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"
        raise ProfileError(path, {"_file": [f"is not valid YAML ({where})."]}) from None
    if not isinstance(raw, dict):
        raise ProfileError(path, {"_file": ["must be a YAML mapping (city:, areas:, …)."]})
    try:
        data = ProfileSchema().load(raw)
    except ValidationError as exc:
        raise ProfileError(path, flatten(exc.messages)) from None
    profile = _build(data, str(path))
    errors = cross_check(profile)
    if errors:
        raise ProfileError(path, errors)
    return profile


def _build(data: dict, path: str) -> Profile:
    areas = data["areas"]
    return Profile(
        path=path, source=data["source"], city=data["city"], area_term=areas["term"],
        declared_area_count=areas["declared_count"], areas=areas["list"],
        organisations=data["organisations"],
        agencies=[agency for table in data["agency_tables"] for agency in flatten_table(table)],
        kpi_targets=[kpi for table in data["kpi_tables"] for kpi in flatten_kpis(table)],
        retention=data["retention"],
        meeting_bodies=data["meeting_bodies"],
        plans_judged_at_meeting=list(dict.fromkeys((data["plans_judged_at_meeting"] or {}).get("services", []))))


def flatten_table(table: dict) -> list[dict]:
    """One agency record per row: the table's columns, overridden by the row's own."""
    shared = {column: table[column] for column in AGENCY_COLUMNS if column in table}
    records = []
    for row in table["rows"]:
        merged = {**shared, **row}
        records.append({
            "id": merged["id"], "name": merged["name"], "table": table["table"],
            "source": table["source"], "business_line": merged["business_line"],
            "field": merged.get("field"), "設置形態": merged.get("設置形態"),
            "運営形態": merged.get("運営形態"), "所管課": list(merged.get("所管課", [])),
            "target_group": merged.get("target_group"), "area": merged.get("area"),
            "covers": list(merged.get("covers", [])),
            "operator": merged.get("operator"),
            "joint_operators": list(merged.get("joint_operators", [])),
            "sites": merged.get("sites"), "note": merged.get("note"),
        })
    return records


def flatten(messages, path: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages as {"agency_tables.2.rows.5.area": [...]}."""
    if isinstance(messages, dict):
        found: dict[str, list[str]] = {}
        for key, inner in messages.items():
            where = path if key == "_schema" else (f"{path}.{key}" if path else str(key))
            for field_path, texts in flatten(inner, where).items():
                found.setdefault(field_path, []).extend(texts)
        return found
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return {path or "_file": list(messages)}
    return {path or "_file": [str(messages)]}


def profile_path(profiles_dir: str | Path, city: str) -> Path:
    """deploy/profiles/<city>.yaml — the city name is checked so it cannot leave the directory."""
    if not isinstance(city, str) or not CITY_NAME.match(city):
        raise ProfileError(f"{profiles_dir}/?", {"profile": ["Not a city profile name "
                                                             "(lower-case ASCII, e.g. matsudo)."]})
    return Path(profiles_dir) / f"{city}.yaml"
