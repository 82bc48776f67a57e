"""名簿の記載 — what organisations and agencies share: a stable id per city and the life of a
record (field diffs are the kernel's `kasane.directory_copy.aggregate.changed_fields`, shared
with every copy)."""
from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from kasane.directory_copy.aggregate import changed_fields

DIRECTORY_NAMESPACE = uuid5(NAMESPACE_URL, "https://kasane.example/directory")


def entry_uuid(kind: str, city: str, entry_id: str) -> UUID:
    """The aggregate id of one entry: the same city and id always name the same aggregate, so
    two applications of one profile racing each other collide instead of registering twice."""
    return uuid5(DIRECTORY_NAMESPACE, f"{kind}/{city}/{entry_id}")


class DirectoryEntry(Aggregate):
    """名簿の記載 — one organisation's or agency's record as its city's profile gives it. An entry
    is never deleted: one that leaves the profile is retired (each kind names its own retirement
    event: 廃止 `Withdrawn`, 無効 `Disabled`), and one that comes back is reinstated.

    The events are declared here and triggered as `self.<Event>`: eventsourcing redefines them
    in each subclass, so stored events keep their topics (directory.domain.agency:Agency.Changed).
    """

    kind = "entry"  # "agency", "organisation": part of the stable id

    @classmethod
    def create_id(cls, city: str, entry_id: str, record: dict) -> UUID:
        return entry_uuid(cls.kind, city, entry_id)

    @event("Registered")
    def __init__(self, city: str, entry_id: str, record: dict):
        self.city, self.entry_id, self.record = city, entry_id, record
        self.active = True

    class Changed(Aggregate.Event):
        record: dict
        changed: list
        previous: dict

        def apply(self, aggregate) -> None:
            aggregate.record = self.record

    class Retired(Aggregate.Event):
        record: dict

        def apply(self, aggregate) -> None:
            aggregate.active = False

    class Reinstated(Aggregate.Event):
        record: dict

        def apply(self, aggregate) -> None:
            aggregate.record, aggregate.active = self.record, True

    class Announced(Aggregate.Event):
        record: dict
        active: bool

        def apply(self, aggregate) -> None:
            pass  # nothing changes here: the announcement is for the others

    #: The name of the subclass's own retirement event (a subclass of Retired), and what
    #: `retire` says; a name, as eventsourcing redefines the class in the aggregate.
    retirement, retired = "Retired", "retired"

    def revise(self, record: dict) -> str | None:
        """Take the profile's record; says what was recorded ("reinstated", "changed") or None."""
        if not self.active:
            self.trigger_event(self.Reinstated, record=record)
            return "reinstated"
        changed = changed_fields(self.record, record)
        if not changed:
            return None
        self.trigger_event(self.Changed, record=record, changed=changed,
                           previous={name: self.record.get(name) for name in changed})
        return "changed"

    def retire(self) -> str | None:
        """The entry is gone from the profile; its history stays."""
        if not self.active:
            return None
        self.trigger_event(getattr(self, self.retirement), record=self.record)
        return self.retired

    def announce(self) -> None:
        """再告知 — tell the bus again what this entry is now (registered, or retired), for an
        instance that joined after the profile was applied (DirectoryApplication.announce)."""
        self.trigger_event(self.Announced, record=self.record, active=self.active)
