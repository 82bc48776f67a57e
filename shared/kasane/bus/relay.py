"""送信中継 — the outbox relay: the event store's notification log *is* the outbox.

Each pass takes the notifications after the relay's position — handed over by this process's
commits while the relay is caught up (kasane.store.offers), else read from the log — turns those
with a contract into integration events, validates them against their contract, publishes them
to `kasane.events` in notification order with publisher confirms, and only then moves the
position; it is recorded once no commit has come for a moment and at least every
`record_every_seconds` while events flow. A crash anywhere loses nothing: at worst the same
events (with the same event ids) are published again, and consumers' inboxes drop the copies.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, cast

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from kombu import Connection, Producer
from psycopg.sql import SQL, Identifier

from kasane.backoff import Backoff
from kasane.bus.authenticity import SIGNATURE_HEADER, sign_event
from kasane.bus.link import LinkState
from kasane.bus.confirms import PublisherConfirms
from kasane.bus.envelope import Origin, TranslatorRegistry, envelope_for
from kasane.bus.gathered import gathered_writes
from kasane.bus.sealed import Sealer
from kasane.bus.topology import events_exchange, routing_key
from kasane.store.application import KasaneApplication
from kasane.store.offers import Offers
from kasane.store.recorder import RELAY_TABLE, KasaneRecorder
from kasane.store.statements import run_statement

log = logging.getLogger(__name__)

FAULT_CRASH_AFTER_PUBLISH = "relay-crash-after-publish"
RECORD_LINGER = 0.05  # seconds without a commit before the position is recorded


@dataclass
class RelayStats:
    relayed: int = 0
    skipped: int = 0
    position: int = 0
    errors: int = 0
    last_error: str = ""


@dataclass
class OutboxRelay:
    app: KasaneApplication
    translators: TranslatorRegistry
    origin: Origin
    amqp_uri: str
    validate: Callable[[dict], dict]
    signing_key: Ed25519PrivateKey | None = None  # the instance's Ed25519 key: every event leaves signed
    # 封緘: the personal part sealed for its readers after the contract check, before signing
    # (kasane.bus.sealed.Sealer); None only for the benchmark's baseline and unit tests.
    seal: Callable[[dict], dict] | None = None
    faults: frozenset = frozenset()
    batch_size: int = 500
    idle_poll_seconds: float = 1.0
    record_every_seconds: float = 0.5  # the position's recording while events flow (one round trip)
    name: str = "kasane.events"
    stats: RelayStats = field(default_factory=RelayStats)

    def __post_init__(self):
        self._link = LinkState(f"relay {self.origin.instance}", self.stats, log)
        self._backoff = Backoff()
        self._wakeup = threading.Event()
        self._position = None
        self._stopping = threading.Event()
        self._offers = Offers(limit=self.batch_size)
        self._read_log = True  # the next pass reads the log (at start: what was committed meanwhile)
        self._unrecorded: int | None = None  # confirmed, not yet recorded
        self._recorded_at = 0.0

    def wake(self, recordings=()) -> None:
        """After a commit in this process: its recordings offered, and a pass at once."""
        self._offers.offer(recordings)
        self._wakeup.set()

    def stop(self) -> None:
        self._stopping.set()
        self._wakeup.set()

    def run(self) -> None:
        """Relay until stopped, reconnecting with backoff when the broker or database fails."""
        self._backoff = Backoff()
        while not self._stopping.is_set():
            try:
                with Connection(self.amqp_uri, connect_timeout=5) as connection:
                    channel = connection.channel()
                    confirms = PublisherConfirms(connection, channel)
                    producer = Producer(channel, exchange=events_exchange, auto_declare=False)
                    self._user_id = connection.userid  # the broker refuses any other user_id
                    self._position = None  # re-read after any failure
                    self._relay_until_stopped(producer, confirms)
            except Exception as exc:  # noqa: BLE001 — any failure: wait, reconnect, resume
                self.stats.errors += 1
                delay = self._backoff.next()
                self._link.failed(exc, delay)
                self._stopping.wait(delay)
        self._record_pending(quietly=True)  # stopped: a restart need not publish these again

    def _relay_until_stopped(self, producer: Producer, confirms: PublisherConfirms) -> None:
        self._read_log = True
        while not self._stopping.is_set():
            self._wakeup.clear()
            self.relay_once(producer, confirms)
            self._link.recovered()  # a whole pass went through: broker and database answer
            self._backoff.reset()
            if not self._read_log:  # nothing known to wait in the log: until the next commit
                self._read_log = not self._idle()

    def _idle(self) -> bool:
        """Until a commit of this process wakes the relay (True: its offers first) or the idle
        poll (False: the log is read; commits of other processes wake nothing here). The
        position is recorded first, once no commit has come for RECORD_LINGER seconds."""
        if self._unrecorded is not None:
            if self._wakeup.wait(RECORD_LINGER):
                return True
            self._record_pending()
        return self._wakeup.wait(self.idle_poll_seconds)

    def relay_once(self, producer: Producer, confirms: PublisherConfirms) -> int:
        """Publish one pass and wait for its confirms; returns how many notifications it passed."""
        position = self.recorded_position() if self._position is None else self._position
        passing = self._passing(position)
        if not passing:
            return 0
        with gathered_writes(confirms.connection):  # the pass's frames in a few sends, not one each
            for notification, domain_event in passing:
                self._relay_one(notification, domain_event, producer, confirms)
        confirms.wait_all()
        if FAULT_CRASH_AFTER_PUBLISH in self.faults:
            log.error("fault injected: crashing after publish, before recording the position")
            os._exit(137)
        self._position = self._unrecorded = self.stats.position = passing[-1][0].id
        if time.monotonic() - self._recorded_at >= self.record_every_seconds:
            self._record_pending()
        return len(passing)

    def _passing(self, position: int) -> list[tuple]:
        """This pass's (notification, domain event or None): the offered recordings that continue
        the log from `position`, or else the log read from it (and whether to read it next)."""
        run, complete = self._offers.after(position)
        if run and not self._read_log:
            self._read_log = not complete
            return [(r.notification, r.domain_event) for r in run]
        notifications = self.app.recorder.select_notifications(
            start=position, limit=self.batch_size, inclusive_of_start=False)
        self._read_log = len(notifications) == self.batch_size  # a full pass: more may wait
        return [(n, None) for n in notifications]

    def _relay_one(self, notification, domain_event, producer: Producer, confirms: PublisherConfirms) -> None:
        if isinstance(self.seal, Sealer):
            self.seal.saw(notification.topic)  # a rotated key registered: sealed to from here on
        if domain_event is None:
            domain_event = self.app.mapper.to_domain_event(notification)
        outgoing = self.translators.translate(notification.topic, domain_event)
        if outgoing is None:
            self.stats.skipped += 1
            return
        envelope = self.validate(envelope_for(outgoing, domain_event, self.origin, notification.id))
        self._publish(producer, self.seal(envelope) if self.seal else envelope)
        confirms.published()
        self.stats.relayed += 1

    def _publish(self, producer: Producer, envelope: dict) -> None:
        headers = {
            "kasane-type": envelope["type"],
            "kasane-version": envelope["version"],
            "kasane-origin-instance": self.origin.instance,
            "kasane-position": envelope["position"],
        }
        if self.signing_key is not None:
            headers[SIGNATURE_HEADER] = sign_event(self.signing_key, envelope)
        producer.publish(
            orjson.dumps(envelope, option=orjson.OPT_NON_STR_KEYS),  # UTF-8; the signature covers the canonical form
            routing_key=routing_key(self.origin.instance, envelope["type"], envelope["version"],
                                    (envelope.get("recipient") or {}).get("instance")),
            content_type="application/json",
            content_encoding="utf-8",
            delivery_mode=2,
            message_id=envelope["event_id"],
            timestamp=int(time.time()),
            user_id=self._user_id,
            headers=headers,
            retry=False,
        )

    def recorded_position(self) -> int:
        query = SQL("SELECT position FROM {0} WHERE relay = %s").format(Identifier(RELAY_TABLE))
        rows = run_statement(cast(KasaneRecorder, self.app.recorder).datastore, query, (self.name,))
        self.stats.position = rows[0]["position"] if rows else 0
        return self.stats.position

    def _record_pending(self, quietly: bool = False) -> None:
        """Record the confirmed position not yet recorded (quietly: at stop, where a failure
        only means those events are published again after the restart)."""
        if self._unrecorded is None:
            return
        try:
            self.record_position(self._unrecorded)
        except Exception:  # noqa: BLE001
            if not quietly:
                raise
            log.warning("relay %s: position not recorded at stop", self.origin.instance)

    def record_position(self, position: int) -> None:
        query = SQL("SELECT kasane_move_relay(%s, %s)")  # forward only; no UPDATE right needed
        run_statement(cast(KasaneRecorder, self.app.recorder).datastore, query, (self.name, position))
        self.stats.position = position
        if self._unrecorded is not None and self._unrecorded <= position:
            self._unrecorded = None
        self._recorded_at = time.monotonic()
