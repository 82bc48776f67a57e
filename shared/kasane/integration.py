"""統合の表 — one declarative table per service (its `integration.INTEGRATION`): the integration
events it consumes (type, version, broadcast or addressed to this instance → handler) and those
it publishes (domain event class → translator). From it the kernel derives the bus bindings
(kasane.bus.topology), the inbox consumer's handlers and the outbox relay's translators, so
each is written once (kasane.services, kasane.runtime.dependency).

A handler is the name of an application method taking (envelope, uow), or a function taking
(app, envelope, uow) — the service's inbound parsing, in its integration modules.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

from kasane.audit.checkpoint import CheckpointLog, checkpoint_signed
from kasane.audit.reads import ReadLog, personal_data_read
from kasane.bus.envelope import TranslatorRegistry
from kasane.bus.topology import ADDRESSED


@dataclass(frozen=True)
class Consumes:
    """An integration event the service takes in: broadcast, or only those addressed to this
    instance (宛先指定). `("*", "*")` is every event (the audit ledger)."""

    type: str
    version: int | str
    handler: str | Callable
    addressed: bool = False

    @property
    def subscription(self) -> tuple:
        return (self.type, self.version, ADDRESSED) if self.addressed else (self.type, self.version)

    def bound_to(self, app) -> Callable:
        if isinstance(self.handler, str):
            return getattr(app, self.handler)
        handler = partial(self.handler, app)
        prefetch = getattr(self.handler, "prefetch", None)  # kasane.store.unit_of_work.prefetching
        if prefetch is not None:
            handler.prefetch = prefetch  # type: ignore[attr-defined]
        return handler


@dataclass(frozen=True)
class Publishes:
    """A domain event (or several) the relay turns into an integration event, by `translator`
    (which may return None: that event is not published)."""

    events: type | tuple[type, ...]
    translator: Callable


@dataclass(frozen=True)
class Integration:
    consumes: tuple[Consumes, ...] = ()
    publishes: tuple[Publishes, ...] = ()

    def subscriptions(self) -> list[tuple]:
        """What the service's inbox queue is bound to (one entry per broadcast/addressed kind)."""
        return [c.subscription for c in self.consumes]

    def handlers(self, app) -> dict:
        """(type, version) → handler(envelope, uow), for the inbox consumer."""
        return {(c.type, c.version): c.bound_to(app) for c in self.consumes}

    def translators(self, also: tuple[Publishes, ...] = ()) -> TranslatorRegistry:
        registry = TranslatorRegistry()
        for publishes in (*self.publishes, *also):
            events = publishes.events if isinstance(publishes.events, tuple) else (publishes.events,)
            for event_class in events:
                registry.register(event_class, publishes.translator)
        return registry


def kernel_publications(audit_instance: str | None = None) -> tuple[Publishes, ...]:
    """What every instance publishes besides its service's own: its signed checkpoints, and its
    read records (閲覧記録), addressed to the audit ledger when the deployment names one."""
    # Ignored attr-defined: eventsourcing's @event("Name") makes these event classes at import.
    return (Publishes(CheckpointLog.CheckpointSigned, checkpoint_signed),  # type: ignore[attr-defined]
            Publishes(ReadLog.PersonalDataRead,  # type: ignore[attr-defined]
                      partial(personal_data_read, ledger=audit_instance)))
