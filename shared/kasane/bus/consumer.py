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

import json
import logging
import socket
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

from kombu import Connection, Consumer, Producer

from kasane.backoff import Backoff
from kasane.bus.failures import POISON, ContractBroken, is_transient, is_write_conflict
from kasane.bus.topology import EVERY_EVENT, dead_letter_exchange, declare_consumer
from kasane.store.inbox import InboxEntry, already_processed
from kasane.store.recorder import INBOX_TABLE
from kasane.store.trace import Trace
from kasane.store.unit_of_work import UnitOfWork, prefetch_of

log = logging.getLogger(__name__)

Handler = Callable[[dict, UnitOfWork], None]


@dataclass
class ConsumerStats:
    consumed: int = 0
    duplicates: int = 0
    dead_lettered: int = 0
    retries: int = 0
    last_error: str = ""
    # When the oldest message delivered here and not yet acked was published (epoch seconds),
    # None when nothing waits: the age of the inbox's head while this consumer is active.
    oldest_pending_published: float | None = None

    def oldest_pending_age(self, now: float) -> float:
        return 0.0 if self.oldest_pending_published is None else max(0.0, now - self.oldest_pending_published)


@dataclass
class Delivery:
    message: object
    envelope: dict

    @property
    def key(self) -> tuple[str, int]:
        return self.envelope["origin"]["instance"], self.envelope["position"]


@dataclass
class InboxConsumer:
    app: object
    instance: str
    amqp_uri: str
    handlers: dict  # (type, version) -> Handler
    validate: Callable[[dict], dict]
    subscriptions: list = field(default_factory=list)  # see topology.subscription_bindings
    batch_size: int = 100
    stats: ConsumerStats = field(default_factory=ConsumerStats)

    def __post_init__(self):
        self._stopping = threading.Event()

    def stop(self) -> None:
        self._stopping.set()

    def run(self) -> None:
        backoff = Backoff()
        while not self._stopping.is_set():
            try:
                with Connection(self.amqp_uri, transport_options={"confirm_publish": True},
                                connect_timeout=5) as connection:
                    self._consume(connection)
                    backoff.reset()
            except Exception as exc:  # noqa: BLE001 — reconnect; unacked messages come back
                self.stats.last_error = type(exc).__name__
                delay = backoff.next()
                log.warning("consumer %s reconnecting in %.1fs after %s", self.instance, delay,
                            type(exc).__name__, exc_info=not is_transient(exc))
                self._stopping.wait(delay)

    def _consume(self, connection: Connection) -> None:
        channel = connection.channel()
        queue = declare_consumer(channel, self.instance, self.subscriptions or list(self.handlers))
        self._dead_letters = Producer(connection.channel(), exchange=dead_letter_exchange,
                                     auto_declare=False)
        received: list = []
        consumer = Consumer(channel, queues=[queue], on_message=received.append,
                            prefetch_count=self.batch_size * 2, auto_declare=False)
        with consumer:
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
        deliveries = [d for d in (self._accept(m) for m in messages) if d is not None]
        backoff = Backoff(first=0.5, ceiling=30.0)
        while deliveries:
            try:
                self._commit(deliveries)
                break
            except Exception as exc:  # noqa: BLE001 — sorted below
                if is_transient(exc) or is_write_conflict(exc):
                    self.stats.retries += 1
                    delay = backoff.next() if is_transient(exc) else 0.05
                    log.warning("consumer %s: %s, retrying %d message(s) in %.1fs",
                                self.instance, type(exc).__name__, len(deliveries), delay)
                    self._stopping.wait(delay)
                    if self._stopping.is_set():
                        return  # unacked: redelivered after restart
                elif len(deliveries) > 1:
                    for delivery in deliveries:  # isolate the one that fails
                        self.process_one(delivery)
                    return
                else:
                    self._dead_letter(deliveries[0].message, f"handler failed: {type(exc).__name__}")
                    return
        for delivery in deliveries:
            delivery.message.ack()

    def process_one(self, delivery: Delivery) -> None:
        try:
            self._commit([delivery])
        except Exception as exc:  # noqa: BLE001
            if is_transient(exc) or is_write_conflict(exc):
                return self.process([delivery.message])
            self._dead_letter(delivery.message, f"handler failed: {type(exc).__name__}")
            return
        delivery.message.ack()

    def _accept(self, message) -> Delivery | None:
        """The message as a delivery, or None after dead-lettering it as poison."""
        try:
            envelope = self.validate(_decode(message))
            if self._handler_for(envelope) is None:
                raise ContractBroken(f"no handler for {envelope['type']} v{envelope['version']}")
            recipient = (envelope.get("recipient") or {}).get("instance")
            if recipient not in (None, self.instance) and EVERY_EVENT not in self.handlers:
                raise ContractBroken("addressed to another instance")
        except POISON as exc:
            self._dead_letter(message, str(exc))
            return None
        return Delivery(message, envelope)

    def _handler_for(self, envelope: dict):
        """The handler for the event's type and version, else the catch-all (EVERY_EVENT) one."""
        return self.handlers.get((envelope["type"], envelope["version"]), self.handlers.get(EVERY_EVENT))

    def _commit(self, deliveries: list[Delivery]) -> None:
        done = already_processed(self.app.recorder.datastore, INBOX_TABLE,
                                 [d.key for d in deliveries])
        uow, events, entries = UnitOfWork(self.app), [], []
        uow.prefetch([aggregate_id for d in deliveries if d.key not in done
                      for aggregate_id in prefetch_of(self._handler_for(d.envelope), d.envelope)])
        for delivery in deliveries:
            if delivery.key in done:
                continue
            done.add(delivery.key)  # the same event twice in one batch
            self._handler_for(delivery.envelope)(delivery.envelope, uow)
            events += uow.take_events(Trace.caused_by(delivery.envelope))
            entries.append(_inbox_entry(delivery.envelope))
        skipped = len(deliveries) - len(entries)
        if entries:
            self.app.save_events(events, inbox=entries)
        self.stats.consumed += len(entries)
        self.stats.duplicates += skipped

    def _dead_letter(self, message, reason: str) -> None:
        properties = getattr(message, "properties", {}) or {}
        delivery_info = getattr(message, "delivery_info", {}) or {}
        headers = dict(message.headers or {})
        headers.update({
            "x-kasane-reason": reason,
            "x-kasane-consumer": self.instance,
            "x-kasane-original-exchange": delivery_info.get("exchange", ""),
            "x-kasane-original-routing-key": delivery_info.get("routing_key", ""),
            "x-kasane-dead-lettered-at": datetime.now(timezone.utc).isoformat(),
        })
        self._dead_letters.publish(
            message.body, routing_key=self.instance, headers=headers, delivery_mode=2,
            content_type=message.content_type or "application/octet-stream",
            content_encoding=message.content_encoding or "binary",
            message_id=properties.get("message_id"), retry=False,
        )
        message.ack()
        self.stats.dead_lettered += 1
        log.warning("consumer %s dead-lettered a message: %s", self.instance, reason)


def _decode(message) -> dict:
    try:
        body = message.body
        data = json.loads(body.decode("utf-8") if isinstance(body, bytes) else body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ContractBroken("body is not UTF-8 JSON") from exc
    return data


def _inbox_entry(envelope: dict) -> InboxEntry:
    return InboxEntry(origin_instance=envelope["origin"]["instance"],
                      position=envelope["position"], event_id=envelope["event_id"],
                      event_type=envelope["type"])


def _published(message) -> float | None:
    """The publish time the relay stamps on every message (AMQP `timestamp`)."""
    stamp = (getattr(message, "properties", None) or {}).get("timestamp")
    if isinstance(stamp, datetime):
        return stamp.timestamp()
    return float(stamp) if isinstance(stamp, (int, float)) else None


def _drain(connection: Connection, timeout: float) -> bool:
    try:
        connection.drain_events(timeout=timeout)
    except socket.timeout:
        return False
    return True
