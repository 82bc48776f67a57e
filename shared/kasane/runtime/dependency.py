"""The nameko side of the kernel: one dependency that owns an instance's event store, its outbox
relay and its inbox consumer, started and stopped with the nameko container.

Entrypoints receive a `RuntimeHandle` (`self.kasane.app`, `self.kasane.settings`).
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Callable, Optional

import psycopg
from nameko.extensions import DependencyProvider

from kasane.audit.checkpointer import Checkpointer
from kasane.audit.keys import SigningKeyMismatch, check_signing_key
from kasane.audit.reads import identified, reader_from, record_reads
from kasane.audit.signing import ensure_key, load_key
from kasane.bus.access import user_name
from kasane.bus.authenticity import RECEIVING_SUFFIX, OriginCheck, RegisteredKeys
from kasane.bus.compiled_contracts import validate_fast
from kasane.bus.consumer import InboxConsumer
from kasane.bus.envelope import Origin
from kasane.bus.relay import OutboxRelay
from kasane.bus.receiving_keys import ReceivingKeys
from kasane.bus.sealed import Opener, Sealer, ensure_receiving_key
from kasane.directory_copy.handlers import keeps_copy
from kasane.directory_copy.instances import REGISTRY_TOPIC, RegistryView
from kasane.config import (InstanceSettings, bus_sealing, receiving_key_file, signing_key_file,
                           state_dir)
from kasane.errors import InfrastructureUnavailable, Unidentified
from kasane.runtime import metrics
from kasane.runtime.rpc import CALLER_USER
from kasane.runtime.wiring import Wiring
from kasane.services import handlers_of, integration_of, subscriptions, translators_of
from kasane.privacy.provision import check_key_store
from kasane.store.application import KasaneApplication, postgres_env

log = logging.getLogger(__name__)

Bootstrap = Callable[[InstanceSettings, dict], Wiring]


@dataclass
class RuntimeHandle:
    settings: InstanceSettings
    app: KasaneApplication
    relay: Optional[OutboxRelay]
    consumer: Optional[InboxConsumer]
    checkpointer: Checkpointer

    def health(self) -> dict:
        return {
            "service": self.settings.service,
            "instance": self.settings.instance,
            "organisation": self.settings.organisation,
            "relay": vars(self.relay.stats) if self.relay else None,
            "consumer": vars(self.consumer.stats) if self.consumer else None,
            "checkpoints_signed": self.checkpointer.signed,
        }


#: Entrypoints of a business line that show nothing of a person: callable without one.
IMPERSONAL_ENTRYPOINTS = frozenset({
    "health", "directory_cities", "directory_instances", "directory_agencies",
    "directory_organisations", "directory_areas", "directory_kpi_targets", "directory_meeting_bodies"})


@dataclass
class CallHandle:
    """What one entrypoint call sees: the instance's runtime and who is calling. A business
    line's use cases are reached only with a person in the call's authenticated context."""

    runtime: RuntimeHandle
    reader: dict
    entrypoint: str = ""
    caller_user: str | None = None  # the bus user the broker vouched for (kasane.runtime.rpc)

    @property
    def app(self):
        if (not identified(self.reader) and keeps_copy(self.settings.service)
                and self.entrypoint not in IMPERSONAL_ENTRYPOINTS):
            raise Unidentified("この操作には、呼び出した職員（ログイン中の本人）が必要です "
                               "(no person in the call's context)")
        return self.runtime.app

    @property
    def settings(self) -> InstanceSettings:
        return self.runtime.settings

    def health(self) -> dict:
        return self.runtime.health()

    def vouched_reader(self) -> dict:
        """The reader, where the broker vouches that the call came from the reader's own
        organisation (its bus user sent it). An entrypoint that other organisations may call
        (kasane.bus.access.SHARED_CALLS) reads with this one: elsewhere the reader's organisation
        could be anything the caller wrote. Unvouched, the reader is no organisation's member."""
        claimed = self.reader.get("organisation")
        if self.caller_user and claimed and self.caller_user == user_name(claimed, self.settings.broker.vhost):
            return self.reader
        return {**self.reader, "organisation": f"unvouched ({claimed})"}

    def record_read(self, query: str, household_ids, record_ids=()) -> None:
        """閲覧記録 — call after a query that showed these households' personal details."""
        record_reads(self.app, self.settings.instance, self.reader,
                     f"{self.settings.service}.{query}", household_ids, record_ids)


class KasaneRuntime(DependencyProvider):
    def __init__(self, bootstrap: Bootstrap):
        self.bootstrap = bootstrap
        self.handle: Optional[RuntimeHandle] = None

    def setup(self):
        settings = InstanceSettings.from_env()
        check_database(settings)
        check_key_store(settings)
        wiring = self.bootstrap(settings, postgres_env(settings))
        # The service's integration table says what it consumes and publishes; every business
        # line keeps its copy of the city's directory (名簿の写し) through the same inbox.
        handlers = handlers_of(settings.service, integration_of(settings.service).handlers(wiring.app))
        translators = translators_of(settings.service, settings.audit_instance)
        checkpointer = _checkpointer(settings, wiring.app)
        key = checkpointer.key
        relay = consumer = None
        if settings.relay_enabled:
            relay = OutboxRelay(
                app=wiring.app, translators=translators,
                origin=Origin(settings.service, settings.organisation, settings.instance),
                amqp_uri=settings.broker.amqp_uri, validate=validate_fast,
                signing_key=key, faults=settings.faults, seal=sealer(settings, wiring.app))
            wiring.app.on_saved(relay.wake)
        if handlers:
            consumer = InboxConsumer(app=wiring.app, instance=settings.instance,
                                     amqp_uri=settings.broker.amqp_uri, handlers=handlers,
                                     validate=validate_fast, vhost=settings.broker.vhost,
                                     origin_check=origin_check(settings, wiring.app),
                                     on_refused=wiring.on_refused, open=opener(settings),
                                     subscriptions=subscriptions(settings.service))
        self.handle = RuntimeHandle(settings, wiring.app, relay, consumer, checkpointer)

    def start(self):
        settings = self.handle.settings
        if settings.metrics_port:  # first: a taken port stops the instance before it works
            listener = metrics.listen(settings.metrics_host, settings.metrics_port)
            self.container.spawn_managed_thread(lambda: metrics.serve(self.handle, listener),
                                                identifier="metrics")
        if self.handle.relay:
            self.container.spawn_managed_thread(self.handle.relay.run, identifier="outbox-relay")
        if self.handle.consumer:
            self.container.spawn_managed_thread(lambda: consume(self.handle), identifier="inbox-consumer")
        self.container.spawn_managed_thread(self.handle.checkpointer.run, identifier="checkpointer")

    def stop(self):
        for part in (self.handle.relay, self.handle.consumer, self.handle.checkpointer):
            if part:
                part.stop()
        self.handle.checkpointer.sign()  # a stopped instance leaves its head signed
        self.handle.app.close()

    def kill(self):
        self.stop()

    def get_dependency(self, worker_ctx) -> "CallHandle":
        assert self.handle is not None  # set in setup(), before any worker runs
        return CallHandle(self.handle, reader_from(worker_ctx.data), worker_ctx.entrypoint.method_name,
                          worker_ctx.data.get(CALLER_USER))


def consume(handle: RuntimeHandle) -> None:
    """The inbox consumer, once the in-memory views have read the log: a handler that consults
    them (同一人物の確認) would otherwise rebuild them on the first message after a restart, and
    every message behind it would wait (seconds, for a store of thousands of cases). Without
    the database the consumer starts anyway: its handlers catch the views up when they can."""
    views = getattr(handle.app, "views", None)
    if views is not None:
        started = time.monotonic()
        try:
            position = views.catch_up()
            log.info("views read the log up to %s in %.1f s", position, time.monotonic() - started)
        except Exception as exc:  # noqa: BLE001 — the consumer retries with its own backoff
            log.warning("views not caught up before consuming: %s", type(exc).__name__)
    assert handle.consumer is not None
    handle.consumer.run()


def origin_check(settings: InstanceSettings, app) -> OriginCheck:
    """発信元の確認: the instances and keys the directory's registry lists, as this instance's copy
    holds them (business lines); the keys city IT registered in the keys folder otherwise, and
    for instances the registry does not list yet."""
    files = RegisteredKeys(state_dir() / "keys")
    if not keeps_copy(settings.service):
        return OriginCheck(public_key=files)
    registry = RegistryView(app)
    return OriginCheck(public_key=registry_first(registry.public_key, files),
                       instances_of=registry.instances_of, refresh=registry.refresh)


def registry_first(registered, files):
    """The key the directory's registry lists for an instance; the keys folder's where it lists none."""
    return lambda instance: registered(instance) or files(instance)


def sealer(settings: InstanceSettings, app) -> Sealer | None:
    """封緘: personal parts sealed for the recipient and the audit ledger, to the receiving keys
    the directory's registry lists (this instance's copy, re-read when the relay passes a change of it), and to those
    city IT put in the keys folder for instances it lists none for."""
    if not bus_sealing():
        return None
    files = RegisteredKeys(state_dir() / "keys", RECEIVING_SUFFIX)
    if not keeps_copy(settings.service):
        return Sealer(public_key=files, ledger=settings.audit_instance)
    registry = RegistryView(app)
    return Sealer(public_key=registry_first(registry.receiving_key, files),
                  ledger=settings.audit_instance, refresh=registry.refresh, refresh_on=REGISTRY_TOPIC)


def opener(settings: InstanceSettings) -> Opener:
    """The key in force and, after a rotation, the previous one, re-read when either changes."""
    key_file = receiving_key_file(settings.instance)
    ensure_receiving_key(key_file)
    return Opener(settings.instance, ReceivingKeys(key_file), sealing=bus_sealing())


def _checkpointer(settings: InstanceSettings, app) -> Checkpointer:
    """The instance signs with the key it was given, and only if its store knows that key."""
    key_file = signing_key_file(settings.instance)
    ensure_key(key_file)
    key = load_key(key_file)
    try:
        check_signing_key(app, settings.instance, key, key_file)
    except SigningKeyMismatch:
        app.close()
        raise
    return Checkpointer(app, key, settings.instance, settings.checkpoint_seconds)


def preflight(settings: InstanceSettings) -> None:
    """What must hold before the container starts, each refused in one sentence: the database,
    the signing key, the metrics port (nameko would log a traceback for each)."""
    check_database(settings)
    check_key_store(settings)
    app = KasaneApplication(env=postgres_env(settings, pool_size=1))
    try:
        key_file = signing_key_file(settings.instance)
        ensure_key(key_file)
        check_signing_key(app, settings.instance, load_key(key_file), key_file)
        ensure_receiving_key(receiving_key_file(settings.instance))
    finally:
        app.close()
    if settings.metrics_port:
        metrics.listen(settings.metrics_host, settings.metrics_port).close()


def check_database(settings: InstanceSettings) -> None:
    """Fail at once, in one sentence, when the instance's database cannot be used."""
    db = settings.database
    name, role = db.database_for(settings.instance), db.service_role_for(settings.instance)
    try:
        psycopg.connect(host=db.host, port=db.port, dbname=name, user=role,
                        connect_timeout=db.connect_timeout).close()
    except psycopg.OperationalError as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        if "does not exist" not in reason and "refused" not in reason:  # e.g. no connection slots left
            raise InfrastructureUnavailable(f"database {name} refused role {role} at {db.host}:{db.port}: "
                                            f"{reason.split('FATAL:')[-1].strip()}") from exc
        raise InfrastructureUnavailable(
            f"database {name} is not usable as role {role} at {db.host}:{db.port}; "
            "create it with `kasane provision` (is PostgreSQL running?)"
        ) from exc
