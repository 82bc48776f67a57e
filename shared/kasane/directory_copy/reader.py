"""名簿の写しの照会 — what an instance's copy of the directory says, and the check a command runs
before it records a chosen agency or area.

The check (`require_known`) refuses, with InvalidCommand and before anything is stored:
- an area id that is not an area of a city whose profile the copy holds, once it holds one;
- an agency id that is not a current (not withdrawn) agency, once the copy holds the whole
  directory of the city the id belongs to (see aggregate: `complete`).
While the copy knows no city (no directory in this deployment yet) everything is accepted as
before. Messages name the field, never the value given.
"""
from __future__ import annotations

from eventsourcing.application import AggregateNotFoundError

from kasane.directory_copy.aggregate import DirectoryCopy, KnownCities
from kasane.directory_copy.instances import registry_of
from kasane.errors import InvalidCommand
from kasane_contracts.events.directory import CITY_WIDE  # an agency's area serving the whole city

UNKNOWN_AREA = "Not an area of the city's directory (名簿にない圏域)."
UNKNOWN_BODY = "Not a meeting body of the city's directory (名簿にない会議体)."
WRONG_BASIS = "This meeting body does not meet as this kind of meeting (会議体の位置付けが違う)."
UNKNOWN_AGENCY = "Not a current agency of the city's directory (名簿にない、または廃止された機関)."
STATUS_LABELS = {True: "掲載中", False: "廃止・無効"}


class DirectoryCopyReader:
    """Reads the copy from the instance's own repository (no broker, no other instance)."""

    def __init__(self, app):
        self.app = app

    # -- the copies ---------------------------------------------------------------------------

    def cities(self) -> list[str]:
        try:
            return list(self.app.repository.get(KnownCities.create_id()).cities)
        except AggregateNotFoundError:
            return []

    def copies(self) -> list[DirectoryCopy]:
        return [self.app.repository.get(DirectoryCopy.create_id(city)) for city in self.cities()]

    def copy(self, city: str) -> DirectoryCopy | None:
        try:
            return self.app.repository.get(DirectoryCopy.create_id(city))
        except AggregateNotFoundError:
            return None

    # -- 照会 -----------------------------------------------------------------------------------

    def summary(self) -> list[dict]:
        """名簿の写しの市一覧 — each city, how much of it is known, whether it is whole."""
        return [{"city": c.city, "name_ja": (c.profile or {}).get("name_ja"),
                 "areas": len(c.areas()), "agencies": len(c.active("agency")),
                 "organisations": len(c.active("organisation")), "complete": c.complete}
                for c in self.copies()]

    def agencies(self, business_line: str | None = None, area: str | None = None,
                 include_withdrawn: bool = False) -> list[dict]:
        """機関一覧 — by business line; by area, where an area's agencies are those placed in it,
        those covering it and the city-wide ones of its city (as the directory lists them)."""
        found = []
        for copy in self.copies():
            if area is not None and area not in copy.area_ids():
                continue
            for entry in copy.entries["agency"].values():
                record = entry["record"]
                if not (entry["active"] or include_withdrawn):
                    continue
                if business_line not in (None, record.get("business_line")):
                    continue
                if area is None or record.get("area") in (area, CITY_WIDE) or area in record.get("covers", []):
                    found.append(_shown(entry))
        return sorted(found, key=lambda r: (r["city"], r["agency_id"]))

    def organisations(self, city: str | None = None, include_disabled: bool = False) -> list[dict]:
        """組織一覧 — the organisations the copy knows (of one city, or of all)."""
        return sorted((_shown(entry) for copy in self.copies() if city in (None, copy.city)
                       for entry in copy.entries["organisation"].values()
                       if entry["active"] or include_disabled),
                      key=lambda r: (r["city"], r["organisation_id"]))

    def areas(self, city: str) -> dict:
        """圏域一覧 — the city's areas (日常生活圏域 …) as its profile was last applied."""
        copy = self.copy(city)
        profile = (copy.profile if copy else None) or {}
        return {"city": city, "known": bool(profile), "name_ja": profile.get("name_ja"),
                "area_term": profile.get("area_term"),
                "declared_area_count": profile.get("declared_area_count"),
                "areas": copy.areas() if copy else []}

    def kpi_targets(self, city: str, fiscal_year: int | None = None) -> dict:
        """数値目標 — the city's yearly targets, of one fiscal year (年度) or all."""
        copy = self.copy(city)
        return {"city": city, "known": bool(copy and copy.profile), "fiscal_year": fiscal_year,
                "kpi_targets": copy.kpi_targets(fiscal_year) if copy else []}

    def meeting_bodies(self, basis: str | None = None) -> list[dict]:
        """会議体一覧 — the city's own meeting bodies the copy's profiles (v2) list, of one basis
        (multi_layered, support) or all: what a page offers where a meeting is recorded."""
        return [{"body_id": b["body_id"], "name": b["name"], "bases": list(b["bases"]), "city": c.city}
                for c in self.copies() if (p := c.profile) and p.get("meeting_bodies")
                for b in p["meeting_bodies"] if basis in (None, *b["bases"])]

    def meeting_body(self, field: str, body_id: str, basis: str) -> dict:
        """会議体 — the city's own meeting body `body_id`, meeting as `basis` (multi_layered,
        support); InvalidCommand naming `field` when the copy's profiles (v2) list meeting bodies
        and this is none of them or does not meet so. With no such profile it is taken as given
        (its name unknown)."""
        listing = [p["meeting_bodies"] for c in self.copies()
                   if (p := c.profile) and p.get("meeting_bodies") is not None]
        if not listing:
            return {"body_id": body_id, "name": None, "basis": basis}
        body = next((b for bodies in listing for b in bodies if b["body_id"] == body_id), None)
        if body is None or basis not in body["bases"]:
            raise InvalidCommand({field: [UNKNOWN_BODY if body is None else WRONG_BASIS]})
        return {"body_id": body_id, "name": body["name"], "basis": basis}

    def organisation_of(self, instance: str) -> str | None:
        """The organisation the directory's instance registry says runs `instance`, or None."""
        registry = registry_of(self.app)
        return (registry.instances.get(instance) or {}).get("organisation") if registry else None

    def plans_judged_at_meeting(self, service: str) -> bool:
        """Whether the city's profile has this line's plans (outreach, participation) judged by a
        重層的支援会議 before they come into force (seed 001 §1(5)イ(イ)①); False while no profile
        of the copy (v3) says so."""
        return any(service in (c.profile or {}).get("plans_judged_at_meeting", []) for c in self.copies())

    # -- 検証 ----------------------------------------------------------------------------------

    def require_known(self, *, areas: dict | None = None, agencies: dict | None = None) -> None:
        """Refuse (InvalidCommand naming the fields) chosen areas and agencies the copy does not
        know; `areas` and `agencies` map a command's field path to the id it gives (None: not
        given). With no copy of any city, nothing is refused."""
        given_areas = {f: v for f, v in (areas or {}).items() if v is not None}
        given_agencies = {f: v for f, v in (agencies or {}).items() if v is not None}
        if not (given_areas or given_agencies):
            return
        copies = self.copies()
        errors: dict[str, list[str]] = {}
        with_profile = [c for c in copies if c.profile]
        if with_profile:
            known_areas = set().union(*(c.area_ids() for c in with_profile))
            errors.update({f: [UNKNOWN_AREA] for f, v in given_areas.items() if v not in known_areas})
        for field, agency_id in given_agencies.items():
            if _agency_refused(copies, agency_id):
                errors[field] = [UNKNOWN_AGENCY]
        if errors:
            raise InvalidCommand(errors)


def _agency_refused(copies: list[DirectoryCopy], agency_id: str) -> bool:
    heard = [entry for entry in (c.entry("agency", agency_id) for c in copies) if entry]
    if heard:
        return not any(entry["active"] for entry in heard)  # withdrawn (廃止) is refused
    # Directory ids start with their city's id: the city the id would belong to.
    owners = sorted((c for c in copies if agency_id.startswith(f"{c.city}-")),
                    key=lambda c: len(c.city), reverse=True)
    if owners:
        return owners[0].complete  # a partial copy cannot tell an unheard-of agency from a wrong one
    return any(c.complete for c in copies)


def _shown(entry: dict) -> dict:
    return {**entry["record"], "active": entry["active"], "status_label": STATUS_LABELS[entry["active"]],
            "since": entry["since"]}
