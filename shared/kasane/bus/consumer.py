"""受信処理 — the inbox consumer: at-least-once delivery in, exactly-once effects out.

nameko's own event handler acks a failed message (it is lost) or requeues it forever
(../shared/PITFALLS.md), so kasane consumes its inbox queue itself, inside the nameko container:
- a message that is not valid JSON or breaks its contract, or whose handler fails for a
  reason that retrying cannot cure, is copied to the dead-letter exchange with the reason in
  `x-kasane-reason`, then acked: the queue is never blocked by it;
- a transient failure (the database is down) keeps the batch unacked and retries it with
  backoff until it succeeds: nothing is lost, and a restart meanwhile redelivers it;
- what handlers cause is saved with the inbox entries in one transaction; messages already
  in the inbox are acked without effect.
"""
from __future__ import annotations

import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from kombu import Connection, Consumer, Producer

from kasane.backoff import Backoff
from kasane.bus.authenticity import (POSITION_CONFLICT, OriginCheck, OriginRefused,
                                     Refusal, Sender)
from kasane.bus.dead_letter import dead_letter
from kasane.bus.deliveries import (ConsumerStats, Delivery, _decode, _inbox_entry, _published,
                                   position_conflict)
from kasane.bus.gathered import gathered_writes
from kasane.bus.failures import POISON, ContractBroken, is_transient, is_write_conflict
from kasane.bus.link import LinkState
from kasane.bus.topology import EVERY_EVENT, dead_letter_exchange, declare_consumer
from kasane.store.application import KasaneApplication
from kasane.store.inbox import inbox_state_of, inbox_state_statement
from kasane.store.recorder import INBOX_TABLE
from kasane.store.trace import Trace
from kasane.store.unit_of_work import VIEWS_CAUGHT_UP, UnitOfWork, prefetch_of

log = logging.getLogger(__name__)

Handler = Callable[[dict, UnitOfWork], None]
REGISTRY_MAX_AGE = 30.0  # seconds; see InboxConsumer._read_registry


@dataclass
class InboxConsumer:
    app: KasaneApplication
    instance: str
    amqp_uri: str
    handlers: dict  # (type, version) -> Handler
    validate: Callable[[dict], dict]
    origin_check: OriginCheck
    vhost: str
    subscriptions: list = field(default_factory=list)  # see topology.subscription_bindings
    on_refused: Callable[[Refusal], None] | None = None  # the audit ledger keeps the evidence
    # 開封: the sealed personal part opened with this instance's receiving key, or dropped where it
    # is no reader (kasane.bus.sealed.Opener), before the contract check and the handlers.
    open: Callable[[dict], dict] | None = None
    # A position this far beyond the highest one taken from its origin is refused: a log that
    # jumped a million events at once was not written by its instance.
    position_window: int = 1_000_000
    batch_size: int = 100
    stats: ConsumerStats = field(default_factory=ConsumerStats)

    def __post_init__(self):
        self._stopping = threading.Event()
        self._broker = LinkState(f"consumer {self.instance} (broker)", self.stats, log)
        self._database = LinkState(f"consumer {self.instance} (database)", self.stats, log)
        self._registry_stale, self._registry_read_at = True, 0.0

    def stop(self) -> None:
        self._stopping.set()

    def run(self) -> None:
        backoff = Backoff()
        while not self._stopping.is_set():
            try:
                with Connection(self.amqp_uri, transport_options={"confirm_publish": True},
                                connect_timeout=5) as connection:
                    self._consume(connection, backoff)
            except Exception as exc:  # noqa: BLE001 — reconnect; unacked messages come back
                self.stats.consuming = False
                delay = backoff.next()
                self._broker.failed(exc, delay)
                self._stopping.wait(delay)

    def _consume(self, connection: Connection, backoff: Backoff) -> None:
        channel = connection.channel()
        queue = declare_consumer(channel, self.instance, self.subscriptions or list(self.handlers))
        self._dead_letters = Producer(connection.channel(), exchange=dead_letter_exchange,
                                     auto_declare=False)
        received: list = []
        consumer = Consumer(channel, queues=[queue], on_message=received.append,
                            prefetch_count=self.batch_size * 2, auto_declare=False)
        with consumer:
            self._broker.recovered()  # consuming again: the broker answers
            self.stats.consuming = True
            backoff.reset()
            while not self._stopping.is_set():
                _drain(connection, timeout=1.0)
                while received and len(received) < self.batch_size and _drain(connection, 0.001):
                    pass
                if received:
                    batch, received[:] = list(received), []
                    self.stats.oldest_pending_published = _published(batch[0])
                    self.process(batch)
                self.stats.oldest_pending_published = _published(received[0]) if received else None

    def process(self, messages: list) -> None:
        """Validate, deduplicate, handle and commit one batch, then ack it."""
        if not self._read_registry():
            return  # stopping: unacked, redelivered after restart
        deliveries = [d for d in (self._accept(m) for m in messages) if d is not None]
        backoff = Backoff(first=0.5, ceiling=30.0)
        conflicts: list = []
        while deliveries:
            try:
                conflicts = self._commit(deliveries)
                self._database.recovered()
                break
            except Exception as exc:  # noqa: BLE001 — sorted below
                if is_transient(exc) or is_write_conflict(exc):
                    if not self._wait_to_retry(exc, backoff):
                        return  # unacked: redelivered after restart
                elif len(deliveries) > 1:
                    for delivery in deliveries:  # isolate the one that fails
                        self.process_one(delivery)
                    return
                else:
                    self._dead_letter(deliveries[0].message, f"handler failed: {type(exc).__name__}")
                    return
        self._refuse_conflicts(conflicts)
        refused = {id(d) for d, _ in conflicts}
        _ack_all([d.message for d in deliveries if id(d) not in refused])

    def _read_registry(self) -> bool:
        """The directory's instance registry as this store holds it now, waiting out an outage
        (never believing an origin without it); False when stopping. Only this consumer writes
        the store's copy (directory events), so it is read again after a batch that held one,
        and at least every REGISTRY_MAX_AGE seconds, not before every batch."""
        if not self._registry_stale and time.monotonic() - self._registry_read_at < REGISTRY_MAX_AGE:
            return True
        backoff = Backoff(first=0.5, ceiling=30.0)
        while not self._stopping.is_set():
            try:
                self.origin_check.refresh()
                self._registry_stale, self._registry_read_at = False, time.monotonic()
                return True
            except Exception as exc:  # noqa: BLE001
                if not is_transient(exc):
                    raise
                self._wait_to_retry(exc, backoff)
        return False

    def _wait_to_retry(self, exc: BaseException, backoff: Backoff) -> bool:
        """Wait before running the batch again; False when stopping meanwhile."""
        self.stats.retries += 1
        if is_transient(exc):
            delay = backoff.next()
            self._database.failed(exc, delay)
        else:
            delay = 0.05  # a write conflict: another writer was first, run again on its state
        self._stopping.wait(delay)
        return not self._stopping.is_set()

    def _refuse_conflicts(self, conflicts: list) -> None:
        for delivery, detail in conflicts:
            self._refuse(delivery.message, delivery.envelope, OriginRefused(POSITION_CONFLICT, detail))

    def process_one(self, delivery: Delivery) -> None:
        try:
            conflicts = self._commit([delivery])
        except Exception as exc:  # noqa: BLE001
            if is_transient(exc) or is_write_conflict(exc):
                return self.process([delivery.message])
            self._dead_letter(delivery.message, f"handler failed: {type(exc).__name__}")
            return
        if conflicts:
            return self._refuse_conflicts(conflicts)
        delivery.message.ack()

    def _accept(self, message) -> Delivery | None:
        """The message as a delivery, or None after dead-lettering it (poison, or an origin that
        cannot be shown authentic)."""
        try:
            raw = _decode(message)
            envelope = self.validate(self.open(raw) if self.open else raw)
            self._authenticate(raw, message)
            if self._handler_for(envelope) is None:
                raise ContractBroken(f"no handler for {envelope['type']} v{envelope['version']}")
            recipient = (envelope.get("recipient") or {}).get("instance")
            if recipient not in (None, self.instance) and EVERY_EVENT not in self.handlers:
                raise ContractBroken("addressed to another instance")
        except POISON as exc:
            self._dead_letter(message, str(exc))
            return None
        except OriginRefused as refused:
            self._refuse(message, raw, refused)
            return None
        return Delivery(message, envelope)

    def _authenticate(self, raw: dict, message) -> None:
        """発信元の確認 on the body as it was signed (before the contract drops anything)."""
        self.origin_check.check(raw, Sender.of(message, self.vhost))

    def _refuse(self, message, envelope: dict, refused: OriginRefused) -> None:
        self.stats.refused += 1
        if self.on_refused is not None:
            self.on_refused(Refusal.of(refused, envelope, Sender.of(message, self.vhost)))
        self._dead_letter(message, refused.reason, detail=refused.detail)

    def _handler_for(self, envelope: dict):
        """The handler for the event's type and version, else the catch-all (EVERY_EVENT) one."""
        return self.handlers.get((envelope["type"], envelope["version"]), self.handlers.get(EVERY_EVENT))

    def _commit(self, deliveries: list[Delivery]) -> list[tuple[Delivery, str]]:
        """Handle and save the batch; returns the deliveries refused as position conflicts
        (dead-lettered by the caller once the rest is committed)."""
        uow, events, entries, conflicts = UnitOfWork(self.app), [], [], []
        done, heads = self._read_batch(uow, deliveries)
        fresh = []
        for delivery in deliveries:
            conflict = position_conflict(delivery, done, heads, self.position_window)
            if conflict:
                conflicts.append((delivery, conflict))
            elif delivery.key not in done:
                done[delivery.key] = delivery.envelope["event_id"]  # the same event twice in one batch
                heads[delivery.key[0]] = max(heads.get(delivery.key[0], 0), delivery.key[1])
                fresh.append(delivery)
        for delivery in fresh:
            self._handler_for(delivery.envelope)(delivery.envelope, uow)
            events += uow.take_events(Trace.caused_by(delivery.envelope))
            entries.append(_inbox_entry(delivery.envelope))
        if entries:
            self.app.save_events(events, inbox=entries)
        if any(d.envelope["origin"].get("service") == "directory" for d in fresh):
            self._registry_stale = True  # the copy of the instance registry may have changed
        self.stats.consumed += len(entries)
        self.stats.duplicates += len(deliveries) - len(entries) - len(conflicts)
        return conflicts

    def _read_batch(self, uow: UnitOfWork, deliveries: list[Delivery]) -> tuple[dict, dict]:
        """The inbox state, the batch's aggregates and the log after the views (where the
        application has them) in one round trip; the views caught up with it, kept for the batch
        (VIEWS_CAUGHT_UP). A duplicate's aggregates are read too, and left unused: rarer than
        the round trip saved. Returns the inbox state (done, heads)."""
        wanted = [i for d in deliveries for i in prefetch_of(self._handler_for(d.envelope), d.envelope)]
        views = getattr(self.app, "views", None)
        along = [inbox_state_statement(INBOX_TABLE, [d.key for d in deliveries]),
                 *([views.log_after()] if views is not None else [])]
        rows = uow.prefetch(wanted, along=along)
        if views is not None:
            position = views.take_page(rows[1])
            uow.kept(VIEWS_CAUGHT_UP, lambda: position)
        return inbox_state_of(rows[0])

    def _dead_letter(self, message, reason: str, detail: str = "") -> None:
        dead_letter(self._dead_letters, message, self.instance, reason, detail)
        self.stats.dead_lettered += 1
        log.warning("consumer %s dead-lettered a message: %s%s", self.instance, reason,
                    f" ({detail})" if detail else "")


def _ack_all(messages: list) -> None:
    """Ack a committed batch's messages, their frames sent together (kasane.bus.gathered)."""
    if messages:
        with gathered_writes(messages[0].channel.connection):
            for message in messages:
                message.ack()


def _drain(connection: Connection, timeout: float) -> bool:
    try:
        connection.drain_events(timeout=timeout)
    except socket.timeout:
        return False
    return True
