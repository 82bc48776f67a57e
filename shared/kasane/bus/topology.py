"""Names and declarations of everything kasane puts on RabbitMQ (トポロジー).

- `kasane.events` (topic): every integration event, routing key `ev.{origin instance}.{type}.v{n}`.
  Its alternate exchange `kasane.unrouted` keeps any event no queue was bound for, so a
  deployment mistake loses nothing silently.
- `inbox.{instance}`: one quorum queue per consuming instance, with a single active consumer so
  that each origin's events arrive in their log order, and `kasane.dead` as dead-letter exchange
  (a message that kills its consumer again and again ends there after DELIVERY_LIMIT tries).
- `dlq.{instance}`: where that instance's poison messages wait, reason in their headers.
"""
from __future__ import annotations

from typing import Iterable

from kombu import Exchange, Queue

EVENTS_EXCHANGE = "kasane.events"
UNROUTED_EXCHANGE = "kasane.unrouted"
UNROUTED_QUEUE = "kasane.unrouted"
DEAD_LETTER_EXCHANGE = "kasane.dead"
DELIVERY_LIMIT = 20

events_exchange = Exchange(EVENTS_EXCHANGE, type="topic", durable=True,
                           arguments={"alternate-exchange": UNROUTED_EXCHANGE})
unrouted_exchange = Exchange(UNROUTED_EXCHANGE, type="fanout", durable=True)
# Topic, not direct: RabbitMQ's topic permissions then confine each organisation to its own
# dead letters (they may hold personal details).
dead_letter_exchange = Exchange(DEAD_LETTER_EXCHANGE, type="topic", durable=True)
unrouted_queue = Queue(UNROUTED_QUEUE, exchange=unrouted_exchange, durable=True,
                       queue_arguments={"x-queue-type": "quorum"})
#: Every shared exchange, in the order provisioning declares them.
SHARED_EXCHANGES = (unrouted_exchange, events_exchange, dead_letter_exchange)


ADDRESSED = "addressed"
EVERY_EVENT = ("*", "*")  # the audit ledger's subscription: every event, addressed ones included


def routing_key(instance: str, event_type: str, version: int, recipient: str | None = None) -> str:
    """`ev.<origin>.<type>.v<n>`, or for an event addressed to one instance (宛先指定)
    `ev.<origin>.<type>.v<n>.to.<recipient>` — a key that broadcast bindings never match."""
    key = f"ev.{instance}.{event_type}.v{version}"
    return f"{key}.to.{recipient}" if recipient else key


def binding_key(event_type: str, version: int, addressed_to: str | None = None) -> str:
    """Matches that event type and version from any origin (addressed: only to `addressed_to`)."""
    key = f"ev.*.{event_type}.v{version}"
    return f"{key}.to.{addressed_to}" if addressed_to else key


def subscription_bindings(instance: str, subscriptions: Iterable[tuple]) -> list[str]:
    """A subscription is (type, version) for broadcast events, or (type, version, "addressed")
    for events addressed to this instance."""
    return ["ev.#" if tuple(s) == EVERY_EVENT else
            binding_key(s[0], s[1], instance if s[2:] == (ADDRESSED,) else None)
            for s in subscriptions]


def inbox_queue(instance: str) -> Queue:
    return Queue(
        f"inbox.{instance}",
        durable=True,
        queue_arguments={
            "x-queue-type": "quorum",
            "x-single-active-consumer": True,
            "x-dead-letter-exchange": DEAD_LETTER_EXCHANGE,
            "x-dead-letter-routing-key": instance,
            "x-delivery-limit": DELIVERY_LIMIT,
        },
    )


def dead_letter_queue(instance: str) -> Queue:
    return Queue(f"dlq.{instance}", exchange=dead_letter_exchange, routing_key=instance,
                 durable=True, queue_arguments={"x-queue-type": "quorum"})


def declare_exchanges(channel) -> None:
    """The shared exchanges and the unrouted queue: city IT's provisioning declares them, never a
    service (declaring needs the `configure` right, which would also let it delete them)."""
    unrouted_exchange(channel).declare()
    unrouted_queue(channel).declare()
    events_exchange(channel).declare()
    dead_letter_exchange(channel).declare()


def declare_consumer(channel, instance: str, subscriptions: Iterable[tuple]) -> Queue:
    """Declare (idempotently) an instance's inbox and dead-letter queues and bind them to the
    existing shared exchanges — all an organisation's own credentials allow."""
    dlq = dead_letter_queue(instance)
    channel.queue_declare(queue=dlq.name, durable=True, auto_delete=False,
                          arguments=dlq.queue_arguments)  # type: ignore[attr-defined]  # kombu sets it from Queue.attrs
    channel.queue_bind(queue=dlq.name, exchange=DEAD_LETTER_EXCHANGE, routing_key=instance)
    queue = inbox_queue(instance)
    channel.queue_declare(queue=queue.name, durable=True, auto_delete=False,
                          arguments=queue.queue_arguments)  # type: ignore[attr-defined]  # kombu sets it from Queue.attrs
    for key in subscription_bindings(instance, subscriptions):
        channel.queue_bind(queue=queue.name, exchange=EVENTS_EXCHANGE, routing_key=key)
    return queue(channel)
