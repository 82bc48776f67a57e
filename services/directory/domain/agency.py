"""相談支援機関・拠点 — an agency of a city: one row of the seed's tables (name, business line,
field, 設置形態, 運営形態, 所管課, target group, area, operating organisation).

An agency is never deleted: one that leaves the profile is withdrawn (廃止), and one that comes
back is reinstated with its record.
"""
from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from kasane.directory_copy.aggregate import changed_fields

from directory.domain.entry import entry_uuid


class Agency(Aggregate):
    """相談支援機関 — one agency's record as its city's profile gives it."""

    @staticmethod
    def create_id(city: str, entry_id: str, record: dict) -> UUID:
        return entry_uuid("agency", city, entry_id)

    @event("Registered")
    def __init__(self, city: str, entry_id: str, record: dict):
        self.city, self.entry_id, self.record = city, entry_id, record
        self.active = True

    def revise(self, record: dict) -> str | None:
        """Take the profile's record; says what was recorded ("reinstated", "changed") or None."""
        if not self.active:
            self._reinstated(record=record)
            return "reinstated"
        changed = changed_fields(self.record, record)
        if not changed:
            return None
        self._changed(record=record, changed=changed,
                      previous={name: self.record.get(name) for name in changed})
        return "changed"

    def retire(self) -> str | None:
        """廃止 — the agency is gone from the profile; its history stays."""
        if not self.active:
            return None
        self._withdrawn(record=self.record)
        return "withdrawn"

    def announce(self) -> None:
        """再告知 — tell the bus again what this entry is now (registered, or withdrawn), for an
        instance that joined after the profile was applied (DirectoryApplication.announce)."""
        self._announced(record=self.record, active=self.active)

    @event("Announced")
    def _announced(self, record: dict, active: bool) -> None:
        pass  # nothing changes here: the announcement is for the others

    @event("Changed")
    def _changed(self, record: dict, changed: list, previous: dict) -> None:
        self.record = record

    @event("Withdrawn")
    def _withdrawn(self, record: dict) -> None:
        self.active = False

    @event("Reinstated")
    def _reinstated(self, record: dict) -> None:
        self.record, self.active = record, True
