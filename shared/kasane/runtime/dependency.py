"""The nameko side of the kernel: one dependency that owns an instance's event store, its outbox
relay and its inbox consumer, started and stopped with the nameko container.

Entrypoints receive a `RuntimeHandle` (`self.kasane.app`, `self.kasane.settings`).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable, Optional

import psycopg
from kasane_contracts import validate_envelope
from nameko.extensions import DependencyProvider

from kasane.bus.consumer import InboxConsumer
from kasane.bus.envelope import Origin
from kasane.bus.relay import OutboxRelay
from kasane.config import InstanceSettings
from kasane.errors import InfrastructureUnavailable
from kasane.runtime.wiring import Wiring
from kasane.store.application import postgres_env

log = logging.getLogger(__name__)

Bootstrap = Callable[[InstanceSettings, dict], Wiring]


@dataclass
class RuntimeHandle:
    settings: InstanceSettings
    app: object
    relay: Optional[OutboxRelay]
    consumer: Optional[InboxConsumer]

    def health(self) -> dict:
        return {
            "service": self.settings.service,
            "instance": self.settings.instance,
            "organisation": self.settings.organisation,
            "relay": vars(self.relay.stats) if self.relay else None,
            "consumer": vars(self.consumer.stats) if self.consumer else None,
        }


class KasaneRuntime(DependencyProvider):
    def __init__(self, bootstrap: Bootstrap):
        self.bootstrap = bootstrap
        self.handle: Optional[RuntimeHandle] = None

    def setup(self):
        settings = InstanceSettings.from_env()
        check_database(settings)
        wiring = self.bootstrap(settings, postgres_env(settings))
        relay = consumer = None
        if settings.relay_enabled:
            relay = OutboxRelay(
                app=wiring.app, translators=wiring.translators,
                origin=Origin(settings.service, settings.organisation, settings.instance),
                amqp_uri=settings.broker.amqp_uri, validate=validate_envelope,
                faults=settings.faults)
            wiring.app.on_saved(relay.wake)
        if wiring.handlers:
            consumer = InboxConsumer(app=wiring.app, instance=settings.instance,
                                     amqp_uri=settings.broker.amqp_uri, handlers=wiring.handlers,
                                     validate=validate_envelope)
        self.handle = RuntimeHandle(settings, wiring.app, relay, consumer)

    def start(self):
        if self.handle.relay:
            self.container.spawn_managed_thread(self.handle.relay.run, identifier="outbox-relay")
        if self.handle.consumer:
            self.container.spawn_managed_thread(self.handle.consumer.run, identifier="inbox-consumer")

    def stop(self):
        for part in (self.handle.relay, self.handle.consumer):
            if part:
                part.stop()

        self.handle.app.close()

    def kill(self):
        self.stop()

    def get_dependency(self, worker_ctx) -> RuntimeHandle:
        return self.handle


def check_database(settings: InstanceSettings) -> None:
    """Fail at once, in one sentence, when the instance's database cannot be used."""
    db = settings.database
    name, role = db.database_for(settings.instance), db.service_role_for(settings.instance)
    try:
        psycopg.connect(host=db.host, port=db.port, dbname=name, user=role,
                        connect_timeout=db.connect_timeout).close()
    except psycopg.OperationalError as exc:
        raise InfrastructureUnavailable(
            f"database {name} is not usable as role {role} at {db.host}:{db.port}; "
            "create it with `kasane provision` (is PostgreSQL running?)"
        ) from exc
