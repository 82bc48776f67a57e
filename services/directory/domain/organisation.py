"""組織 — an organisation of a city: its sections (所管課), 社会福祉協議会, 社会福祉法人, NPO, 医師会.

An organisation is never deleted: one that leaves the profile is disabled (無効), and one that
comes back is reinstated with its record.
"""
from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from kasane.directory_copy.aggregate import changed_fields

from directory.domain.entry import entry_uuid


class Organisation(Aggregate):
    """組織 — one organisation's record as its city's profile gives it."""

    @staticmethod
    def create_id(city: str, entry_id: str, record: dict) -> UUID:
        return entry_uuid("organisation", city, entry_id)

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
        """無効 — the organisation is gone from the profile; its history stays."""
        if not self.active:
            return None
        self._disabled(record=self.record)
        return "disabled"

    def announce(self) -> None:
        """再告知 — tell the bus again what this entry is now (registered, or disabled), for an
        instance that joined after the profile was applied (DirectoryApplication.announce)."""
        self._announced(record=self.record, active=self.active)

    @event("Announced")
    def _announced(self, record: dict, active: bool) -> None:
        pass  # nothing changes here: the announcement is for the others

    @event("Changed")
    def _changed(self, record: dict, changed: list, previous: dict) -> None:
        self.record = record

    @event("Disabled")
    def _disabled(self, record: dict) -> None:
        self.active = False

    @event("Reinstated")
    def _reinstated(self, record: dict) -> None:
        self.record, self.active = record, True
