"""名簿の写し — one city's directory as this instance learnt it from the directory's events.

Plain Python. The copy never deletes: an agency withdrawn (廃止) or an organisation disabled
(無効) stays with `active` False, and comes back when the directory registers it again. A fact
the copy already holds (an event delivered again, a record unchanged) records nothing.

`complete` says whether the copy holds the city's WHOLE directory: it does once it has received
the city's first application (directory.city_profile_applied with `changed` []), which the
directory publishes after every organisation and agency of that application, in log order. An
instance whose inbox was bound only after that knows the areas (every city_profile_applied
carries them all) but only part of the agencies: it must not refuse an agency it never heard of.
"""
from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from kasane.keyed import KeyedAggregate

COPY_NAMESPACE = uuid5(NAMESPACE_URL, "https://kasane.example/directory-copy")
KINDS = ("organisation", "agency")


def id_field(kind: str) -> str:
    return f"{kind}_id"


def changed_fields(old: dict, new: dict) -> list[str]:
    """The fields whose values differ (a field missing on one side counts as None)."""
    return sorted(key for key in set(old) | set(new) if old.get(key) != new.get(key))


class DirectoryCopy(KeyedAggregate):
    """名簿の写し — one city: its profile (city, areas, KPI targets), organisations, agencies."""

    KEY, NAMESPACE, KIND = "city", COPY_NAMESPACE, "city/"

    @event("Started")
    def __init__(self, city: str):
        self.city = city
        self.profile: dict | None = None  # the city_profile_applied payload, as last applied
        self.complete = False
        self.entries: dict[str, dict] = {kind: {} for kind in KINDS}  # id -> entry

    # -- 組織・機関 ------------------------------------------------------------------------------

    def take_entry(self, kind: str, record: dict, at: str) -> str | None:
        """登録・変更 — the directory's current record of an organisation or agency; says what
        was recorded ("registered", "reinstated", "changed") or None when the copy had it."""
        entry_id = record[id_field(kind)]
        known = self.entries[kind].get(entry_id)
        if known is None:
            self._entry_registered(kind=kind, record=record, at=at)
            return "registered"
        if not known["active"]:
            self._entry_reinstated(kind=kind, record=record, at=at)
            return "reinstated"
        changed = changed_fields(known["record"], record)
        if not changed:
            return None
        self._entry_changed(kind=kind, record=record, changed=changed, at=at)
        return "changed"

    def retire_entry(self, kind: str, entry_id: str, at: str, record: dict | None = None) -> str | None:
        """廃止・無効 — the entry left the city's profile; its record stays in the copy. One the
        copy never heard of (it joined later) is kept as retired with what the event says."""
        known = self.entries[kind].get(entry_id)
        if known is None and record is None or known is not None and not known["active"]:
            return None
        self._entry_retired(kind=kind, entry_id=entry_id, at=at,
                            record=None if known is not None else record)
        return "retired"

    @event("EntryRegistered")
    def _entry_registered(self, kind: str, record: dict, at: str) -> None:
        self.entries[kind][record[id_field(kind)]] = {"record": record, "active": True, "since": at}

    @event("EntryChanged")
    def _entry_changed(self, kind: str, record: dict, changed: list, at: str) -> None:
        self.entries[kind][record[id_field(kind)]].update(record=record, since=at)

    @event("EntryRetired")
    def _entry_retired(self, kind: str, entry_id: str, at: str, record: dict | None = None) -> None:
        entry = self.entries[kind].setdefault(entry_id, {"record": record})
        entry.update(active=False, since=at)

    @event("EntryReinstated")
    def _entry_reinstated(self, kind: str, record: dict, at: str) -> None:
        self.entries[kind][record[id_field(kind)]] = {"record": record, "active": True, "since": at}

    # -- 圏域・数値目標 ---------------------------------------------------------------------------

    def take_profile(self, profile: dict, first: bool, at: str) -> bool:
        """市のプロファイル — the city, its areas and KPI targets as applied; `first` when this is
        the city's first application (then the copy holds the whole directory). False when the
        copy already had exactly this."""
        if profile == self.profile and (self.complete or not first):
            return False
        self._profile_taken(profile=profile, first=first, at=at)
        return True

    @event("ProfileTaken")
    def _profile_taken(self, profile: dict, first: bool, at: str) -> None:
        self.profile = profile
        self.complete = self.complete or first

    # -- 照会 -------------------------------------------------------------------------------------

    def active(self, kind: str) -> list[dict]:
        return [e["record"] for e in self.entries[kind].values() if e["active"]]

    def entry(self, kind: str, entry_id: str) -> dict | None:
        return self.entries[kind].get(entry_id)

    def areas(self) -> list[dict]:
        return list(self.profile["areas"]) if self.profile else []

    def area_ids(self) -> set[str]:
        return {a["area_id"] for a in self.areas()}

    def kpi_targets(self, fiscal_year: int | None = None) -> list[dict]:
        targets = self.profile["kpi_targets"] if self.profile else []
        return [k for k in targets if fiscal_year is None or k["fiscal_year"] == fiscal_year]


class CityList(Aggregate):
    """市の一覧 — cities, each once: the directory's own list and each copy's (KnownCities).

    Its event is declared here and triggered as `self.CityAdded`: eventsourcing redefines it in
    each subclass, so each keeps the topic its stored events were written under."""

    @event("Started")
    def __init__(self):
        self.cities: list[str] = []

    class CityAdded(Aggregate.Event):
        city: str

        def apply(self, aggregate) -> None:
            aggregate.cities.append(self.city)

    def include(self, city: str) -> bool:
        if city in self.cities:
            return False
        self.trigger_event(self.CityAdded, city=city)
        return True


class KnownCities(CityList):
    """名簿の写しの市一覧 — which cities this instance holds a copy of."""

    @staticmethod
    def create_id() -> UUID:
        return uuid5(COPY_NAMESPACE, "cities")
