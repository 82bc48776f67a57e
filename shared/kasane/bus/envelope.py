"""統合イベント — integration events: what a domain event becomes when it leaves its instance.

A service says which of its domain events have a contract by giving the relay a translator:
domain event -> `Outgoing` (type, version, household, payload with `personal` kept apart) or
None. The relay adds the envelope: a deterministic event id (the same event relayed twice has
the same id, which is what consumers deduplicate on), origin, position and trace.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Callable, Optional
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.utils import get_topic

from kasane.store.trace import meta_of

EVENT_ID_NAMESPACE = uuid5(NAMESPACE_URL, "https://kasane.example/integration-events")


@dataclass(frozen=True)
class Outgoing:
    type: str
    version: int
    household_id: Optional[UUID]
    payload: dict
    personal: Optional[dict] = None
    recipient: Optional[str] = None  # the one instance this event is addressed to (宛先)


@dataclass(frozen=True)
class Origin:
    service: str
    organisation: str
    instance: str


Translator = Callable[[object], Optional[Outgoing]]


def event_id_for(instance: str, position: int | None) -> str:  # None (a body without one): no event's id
    return str(uuid5(EVENT_ID_NAMESPACE, f"{instance}/{position}"))


def utc_iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def envelope_for(outgoing: Outgoing, domain_event, origin: Origin, position: int) -> dict:
    meta = meta_of(domain_event)
    event_id = event_id_for(origin.instance, position)
    payload = dict(outgoing.payload)
    if outgoing.personal is not None and outgoing.recipient:
        # Personal details travel only addressed to one instance (consent names organisations,
        # and only the recipient's queue can bind an addressed key); a broadcast event carries
        # the pseudonymous household id and what happened, never the `personal` part.
        payload["personal"] = outgoing.personal
    envelope = {
        "event_id": event_id,
        "type": outgoing.type,
        "version": outgoing.version,
        "occurred_at": utc_iso(domain_event.timestamp),
        "household_id": str(outgoing.household_id) if outgoing.household_id else None,
        "origin": asdict(origin),
        "position": position,
        "correlation_id": meta.get("correlation_id", event_id),
        "causation_id": meta.get("causation_id", event_id),
        "payload": payload,
    }
    if outgoing.recipient:
        envelope["recipient"] = {"instance": outgoing.recipient}
    return envelope


@dataclass
class TranslatorRegistry:
    """Maps domain event classes to the function that makes their integration event."""

    by_topic: dict = field(default_factory=dict)

    def register(self, event_class, translate: Translator) -> None:
        self.by_topic[get_topic(event_class)] = translate

    def translate(self, topic: str, domain_event) -> Optional[Outgoing]:
        translate = self.by_topic.get(topic)
        return translate(domain_event) if translate else None
