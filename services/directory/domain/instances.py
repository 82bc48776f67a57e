"""接続インスタンス名簿 — the instances on the city's bus, as city IT registers them: who runs each,
which service it is, and the public key it signs its events with. Plain Python."""
from __future__ import annotations

from uuid import NAMESPACE_URL, uuid5

from eventsourcing.domain import event

from kasane.keyed import KeyedAggregate


class InstanceRegistry(KeyedAggregate):
    """One per directory: the whole registry, replaced by each registration that changes it."""

    NAMESPACE, KIND = uuid5(NAMESPACE_URL, "https://kasane.example/directory/instances"), "registry"

    @event("Started")
    def __init__(self):
        self.instances: dict[str, dict] = {}

    def register(self, records: list[dict], keep_others: bool = True) -> list[str]:
        """登録 — take these instances' records; the others stay unless `keep_others` is False.
        Returns the instance ids added, changed or removed ([] when nothing differs)."""
        wanted = {**(self.instances if keep_others else {}), **{r["instance"]: dict(r) for r in records}}
        changed = sorted(i for i in set(wanted) | set(self.instances)
                         if wanted.get(i) != self.instances.get(i))
        if changed:
            self._registered(instances=wanted, changed=changed)
        return changed

    @event("Registered")
    def _registered(self, instances: dict, changed: list) -> None:
        self.instances = instances

    def announce(self) -> None:
        """再告知 — publish the registry again, unchanged."""
        self._announced(instances=self.instances)

    @event("Announced")
    def _announced(self, instances: dict) -> None:
        pass
