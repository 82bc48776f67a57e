"""What a city profile's schema alone cannot see (profile.py runs it after the schema): unique
ids of the city, references that resolve, the declared area count, KPI years that agree."""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from kasane.fiscal_year import REIWA_OFFSET  # 令和元年度 = FY2019, so R7 = FY2025 (DOMAIN §6)
from kasane_contracts.events.directory import CITY_WIDE
from kasane_contracts.vocabulary import REPORT_COUNTERS

if TYPE_CHECKING:
    from directory.profile import Profile

Fail = Callable[[str, str], None]


def cross_check(profile: Profile) -> dict[str, list[str]]:
    """Each problem by where it is (e.g. "agencies.ise-yorisoi.area") and why."""
    errors: dict[str, list[str]] = {}

    def fail(where: str, why: str) -> None:
        errors.setdefault(where, []).append(why)

    _check_ids(profile, fail)
    if len(profile.main_areas()) > profile.declared_area_count:
        fail("areas.list", f"names {len(profile.main_areas())} {profile.area_term} but "
                           f"declared_count is {profile.declared_area_count}.")
    organisations = {o["id"]: o for o in profile.organisations}
    for org in profile.organisations:
        if org.get("parent") and org["parent"] not in organisations:
            fail(f"organisations.{org['id']}.parent", f"unknown organisation {org['parent']!r}.")
    areas = {a["id"] for a in profile.areas}
    for agency in profile.agencies:
        _check_agency(agency, organisations, areas, fail)
    agencies = {a["id"] for a in profile.agencies}
    bodies = {b["id"] for b in profile.meeting_bodies}
    for kpi in profile.kpi_targets:
        _check_kpi(kpi, agencies, fail)
        if (kpi.get("agencies") or "").startswith("body:") and kpi["agencies"][5:] not in bodies:
            fail(f"kpi_targets.{kpi['id']}.agencies", f"unknown meeting body {kpi['agencies'][5:]!r}.")
    for body in profile.meeting_bodies:
        for section in body["所管課"]:
            if organisations.get(section, {}).get("kind") not in ("city", "city_section"):
                fail(f"meeting_bodies.{body['id']}.所管課", f"{section!r} is not a city section of the profile.")
    return errors


def _check_ids(profile: Profile, fail: Fail) -> None:
    prefix = f"{profile.city_id}-"
    groups = {"areas": profile.areas, "organisations": profile.organisations,
              "agencies": profile.agencies, "kpi_targets": profile.kpi_targets,
              "meeting_bodies": profile.meeting_bodies}
    for name, records in groups.items():
        seen: set[str] = set()
        for record in records:
            if record["id"] in seen:
                fail(f"{name}.{record['id']}", "id used twice.")
            seen.add(record["id"])
            if not record["id"].startswith(prefix):
                fail(f"{name}.{record['id']}", f"id must start with the city id ({prefix}).")


def _check_agency(agency: dict, organisations: dict, areas: set, fail: Fail) -> None:
    where = f"agencies.{agency['id']}"
    for section in agency["所管課"]:
        kind = organisations.get(section, {}).get("kind")
        if kind not in ("city", "city_section"):
            fail(f"{where}.所管課", f"{section!r} is not a city section of the profile.")
    for operator in filter(None, [agency["operator"], *agency["joint_operators"]]):
        if operator not in organisations:
            fail(f"{where}.operator", f"unknown organisation {operator!r}.")
    if agency["area"] not in (None, CITY_WIDE) and agency["area"] not in areas:
        fail(f"{where}.area", f"unknown area {agency['area']!r} (an area id or {CITY_WIDE}).")
    for covered in agency["covers"]:
        if covered not in areas:
            fail(f"{where}.covers", f"unknown area {covered!r}.")


def _check_kpi(kpi: dict, agencies: set, fail: Fail) -> None:
    where = f"kpi_targets.{kpi['id']}"
    if kpi["fiscal_year"] != REIWA_OFFSET + int(kpi["年度"][1:]):
        fail(f"{where}.fiscal_year", f"{kpi['年度']} is FY{REIWA_OFFSET + int(kpi['年度'][1:])}, "
                                     f"not {kpi['fiscal_year']}.")
    if kpi["business_line"] is None:
        fail(f"{where}.business_line", "Missing: give it on the row or the table.")
    if kpi["agency"] is not None and kpi["agency"] not in agencies:
        fail(f"{where}.agency", f"unknown agency {kpi['agency']!r}.")
    counters = REPORT_COUNTERS.get(kpi["business_line"], {})
    if kpi.get("counter") and kpi["counter"] not in counters:
        fail(f"{where}.counter", f"{kpi['counter']!r} is not a counter of {kpi['business_line']} "
                                 f"({', '.join(counters)}).")
    if kpi.get("agencies") == "row" and kpi["agency"] is None:
        fail(f"{where}.agencies", "row names the row's agency, and the row names none.")
