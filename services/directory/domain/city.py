"""市のプロファイル — what the directory keeps of a city beyond its entries: the city, its areas
(日常生活圏域), its KPI targets (数値目標), and the ids of every organisation and agency it ever
listed (so that one gone from a later profile can be found and withdrawn).
"""
from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from kasane.directory_copy.aggregate import CityList, changed_fields

from directory.domain.entry import DIRECTORY_NAMESPACE, entry_uuid

CITIES_ID = uuid5(DIRECTORY_NAMESPACE, "cities")


class CityProfile(Aggregate):
    """市 — one city's profile as last applied."""

    @staticmethod
    def create_id(city: str, record: dict) -> UUID:
        return entry_uuid("city", city, city)

    @event("Registered")
    def __init__(self, city: str, record: dict):
        self.city, self.record = city, record

    def revise(self, record: dict) -> str | None:
        """Take the profile's city record; says "changed" or None. The city's own names are
        compared one by one ("city.日本語名"), so that a change says which of them changed."""
        changed = changed_fields(_flat(self.record), _flat(record))
        if not changed:
            return None
        self._changed(record=record, changed=changed)
        return "changed"

    def announce(self) -> None:
        """再告知 — tell the bus again the city's areas and KPI targets as last applied."""
        self._announced(record=self.record)

    @event("Announced")
    def _announced(self, record: dict) -> None:
        pass

    @event("Changed")
    def _changed(self, record: dict, changed: list) -> None:
        self.record = record


def _flat(record: dict) -> dict:
    """The record with its `city` mapping spread into "city.<key>" fields."""
    flat = {key: value for key, value in record.items() if key != "city"}
    flat.update({f"city.{key}": value for key, value in (record.get("city") or {}).items()})
    return flat


class Cities(CityList):
    """市の一覧 — the cities this directory instance holds."""

    @staticmethod
    def create_id() -> UUID:
        return CITIES_ID
