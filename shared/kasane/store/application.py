"""The base of every service's application (アプリケーション層): an eventsourcing Application
on the instance's own PostgreSQL database, saving with a trace and, when it processes an
incoming event, with the inbox entry in the same transaction.
"""
from __future__ import annotations

from typing import Callable, Iterable, Sequence

from eventsourcing.application import Application, ProcessingEvent

from kasane.config import InstanceSettings
from kasane.store.group_commit import GroupCommit
from kasane.store.inbox import InboxEntry
from kasane.store.trace import Trace, stamp
from kasane.store.transcodings import DateAsISO

RECORDER_TOPIC = "kasane.store.recorder:KasaneRecorder"


def postgres_env(settings: InstanceSettings, *, user: str | None = None,
                 create_table: bool = False, pool_size: int | None = None) -> dict:
    """The eventsourcing environment for one instance's database, as a given role."""
    db = settings.database
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "APPLICATION_RECORDER_TOPIC": RECORDER_TOPIC,
        "POSTGRES_DBNAME": db.database_for(settings.instance),
        "POSTGRES_HOST": db.host,
        "POSTGRES_PORT": str(db.port),
        "POSTGRES_USER": user or db.service_role_for(settings.instance),
        "POSTGRES_PASSWORD": "",
        "POSTGRES_CONNECT_TIMEOUT": str(db.connect_timeout),
        "POSTGRES_POOL_SIZE": str(pool_size or db.pool_size),
        "POSTGRES_MAX_OVERFLOW": "5",
        "POSTGRES_LOCK_TIMEOUT": "10",
        # No ping before each use: a connection broken by a restart fails once, and that
        # failure is retried (eventsourcing's recorder, the consumer's backoff).
        "POSTGRES_PRE_PING": "n",
        "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "30",
        "CREATE_TABLE": "y" if create_table else "n",
        # Personal parts sealed under the instance's key store (kasane.privacy.sealing)
        **(sealing_env(settings) if settings.sealing else {"KASANE_SEALING_INSTANCE": ""}),
    }


def sealing_env(settings: InstanceSettings) -> dict:
    """Where the instance's key store is, for its application's sealing mapper."""
    db = settings.database
    return {"KASANE_SEALING_INSTANCE": settings.instance,
            "KASANE_KEYSTORE_DBNAME": db.keys_database_for(settings.instance),
            "KASANE_KEYSTORE_USER": db.keys_role_for(settings.instance),
            "KASANE_KEY_CACHE_SECONDS": str(settings.key_cache_seconds)}


IN_MEMORY_ENV = {"PERSISTENCE_MODULE": "eventsourcing.popo"}


class KasaneApplication(Application):
    """An instance's event-sourced application. Subclasses add one method per use case."""

    name = "kasane"  # tables are kasane_events, kasane_inbox, kasane_relay

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.name = "kasane"  # every service's tables carry the same names in its own database

    def __init__(self, env: dict | None = None):
        super().__init__(env=env if env is not None else IN_MEMORY_ENV)
        self._after_save: list[Callable[[list], None]] = []
        self._group = GroupCommit(self._write_events, self._hand_saved)

    def construct_mapper(self):
        """Seals personal parts when the environment names the instance whose key store holds
        their keys (postgres_env does); in memory, events are kept as they are."""
        instance = self.env.get("KASANE_SEALING_INSTANCE")
        if not instance:
            return super().construct_mapper()
        from kasane.privacy.keystore import PostgresKeyStore
        from kasane.privacy.master import load_master_key
        from kasane.privacy.sealing import SealingMapper

        env = self.env
        self.keys = PostgresKeyStore(
            {"host": env.get("POSTGRES_HOST"), "port": int(env.get("POSTGRES_PORT") or 5432),
             "dbname": env.get("KASANE_KEYSTORE_DBNAME"), "user": env.get("KASANE_KEYSTORE_USER"),
             "connect_timeout": int(env.get("POSTGRES_CONNECT_TIMEOUT") or 5)},
            load_master_key(instance), cache_seconds=float(env.get("KASANE_KEY_CACHE_SECONDS") or 60))
        return SealingMapper(self.construct_transcoder(), keys=self.keys)

    def close(self) -> None:
        if getattr(self, "keys", None) is not None:
            self.keys.close()
        super().close()

    def register_transcodings(self, transcoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())  # calendar days (会議の日, 訪問日, 年度の集計日)

    def on_saved(self, callback: Callable[[list], None]) -> None:
        """Called after each commit with its recordings (the relay publishes them at once
        instead of polling, without reading them back: kasane.store.offers)."""
        self._after_save.append(callback)

    def save_traced(self, *aggregates, trace: Trace, inbox: Sequence[InboxEntry] = ()):
        """Store the aggregates' pending events, each stamped with the trace, in one transaction."""
        events = collect_stamped(aggregates, trace)
        return self.save_events(events, inbox=inbox)

    def save_events(self, events: Iterable, inbox: Sequence[InboxEntry] = ()):
        """Store the events (and inbox entries) in one transaction, shared with the saves other
        threads of this process make meanwhile (kasane.store.group_commit); their recordings."""
        return self._group.save(list(events), inbox)

    def _write_events(self, events: list, inbox: list) -> list:
        prepare = getattr(self.mapper, "prepare", None)
        if prepare is not None:
            prepare(events)  # the batch's new data keys in one round trip, not one per person
        return self._save_domain_events(events, inbox=inbox)

    def _hand_saved(self, recordings: list) -> None:
        for callback in self._after_save:
            callback(recordings)

    def _save_domain_events(self, events: list, **kwargs):
        """Application.save for domain events already collected: its `collect_events` asks of
        every object whether it is a DomainEventProtocol (a runtime Protocol check, ~10 µs each:
        4 % of a consumer's CPU draining a backlog), which these are."""
        processing_event: ProcessingEvent = ProcessingEvent()
        processing_event.events.extend(events)
        processing_event.saved_kwargs.update(kwargs)
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        return recordings


def collect_stamped(aggregates, trace: Trace) -> list:
    events = []
    for aggregate in aggregates:
        if aggregate is None:
            continue
        for domain_event in aggregate.collect_events():
            stamp(domain_event, trace)
            events.append(domain_event)
    return events
