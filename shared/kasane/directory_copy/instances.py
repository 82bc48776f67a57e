"""接続インスタンス名簿の写し — this instance's copy of the directory's instance registry: which
instances each organisation runs on the bus, the key each signs its events with and (from v2) the
key senders seal its personal parts to (受信鍵, kasane.bus.sealed).

The consumer asks it, before a message touches the inbox, whether the message's origin instance
is one the directory lists for the organisation whose bus user sent it (issue 14). Until the
first registry arrives the copy answers None ("not known yet") and only the routing-key, user_id
and signature checks apply. Every registry event carries the whole registry, so the first one
makes the copy complete.
"""
from __future__ import annotations

from uuid import NAMESPACE_URL, uuid5

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import event
from eventsourcing.utils import get_topic

from kasane.keyed import KeyedAggregate
from kasane.store.unit_of_work import UnitOfWork


class InstanceRegistryCopy(KeyedAggregate):
    NAMESPACE, KIND = uuid5(NAMESPACE_URL, "https://kasane.example/directory-copy/instances"), "registry"

    @event("Started")
    def __init__(self):
        self.instances: dict[str, dict] = {}

    def take(self, records: list[dict]) -> bool:
        """The registry as the directory published it, whole; False when the copy had it."""
        wanted = {r["instance"]: dict(r) for r in records}
        if wanted == self.instances:
            return False
        self._taken(instances=wanted)
        return True

    @event("Taken")
    def _taken(self, instances: dict) -> None:
        self.instances = instances

    def instances_of(self, organisation: str) -> set[str]:
        return {i for i, r in self.instances.items() if r["organisation"] == organisation}

    def public_key(self, instance: str) -> str | None:
        return (self.instances.get(instance) or {}).get("public_key")

    def receiving_key(self, instance: str) -> str | None:
        """None when the registry lists no receiving key for it (v1, or none registered)."""
        return (self.instances.get(instance) or {}).get("receiving_key")


#: Where the copy's events' topics start: the relay re-reads the copy when it passes one.
REGISTRY_TOPIC = get_topic(InstanceRegistryCopy) + "."


def registry_taken(envelope: dict, uow: UnitOfWork) -> None:
    """インスタンス名簿の登録 → the copy keeps the whole registry (from the directory only)."""
    if envelope["origin"]["service"] != "directory":
        return
    copy = uow.find(InstanceRegistryCopy.create_id())
    if copy is None:
        copy = InstanceRegistryCopy()
    if copy.take(envelope["payload"]["instances"]):
        uow.add(copy)


def registry_of(app) -> InstanceRegistryCopy | None:
    try:
        return app.repository.get(InstanceRegistryCopy.create_id())
    except AggregateNotFoundError:
        return None


class RegistryView:
    """What the consumer asks, read from the instance's own store once per batch (`refresh`)."""

    def __init__(self, app):
        self.app = app
        self._copy: InstanceRegistryCopy | None = None

    def refresh(self) -> None:
        self._copy = registry_of(self.app)

    def instances_of(self, organisation: str) -> set | None:
        return None if self._copy is None else self._copy.instances_of(organisation)

    def public_key(self, instance: str) -> str | None:
        return None if self._copy is None else self._copy.public_key(instance)

    def receiving_key(self, instance: str) -> str | None:
        return None if self._copy is None else self._copy.receiving_key(instance)
