"""再送 — publishing kept messages (dead letters, unrouted events) again to kasane.events.

A replayed message keeps its original properties (message_id, timestamp, headers, `user_id`…):
consumers check `user_id` against the event's origin, so the replay connects as city IT's
operator, whose `impersonator` tag lets the broker accept another user's `user_id`. At most the
queue's depth at the start is replayed: an event still unroutable returns to kasane.unrouted
and is not taken again in the same pass.
"""
from __future__ import annotations

from typing import Callable

from amqp import Message
from amqp.exceptions import NotFound
from kombu import Connection

from kasane.bus.admin import BrokerAdmin
from kasane.bus.operator import as_operator
from kasane.bus.topology import EVENTS_EXCHANGE
from kasane.config import BrokerSettings

ORIGINAL_KEY = "x-kasane-original-routing-key"
ORIGINAL_USER = "x-kasane-original-user-id"  # a consumer that dead-letters keeps the publisher's here


def dead_letter_key(message) -> tuple[str | None, dict, dict]:
    """A dead letter goes back under the routing key, and the user_id, it first travelled with."""
    headers = dict(message.properties.get("application_headers") or {})
    user = headers.pop(ORIGINAL_USER, None)
    return headers.pop(ORIGINAL_KEY, None), headers, ({"user_id": user} if user else {})


def unrouted_key(message) -> tuple[str | None, dict, dict]:
    """An unrouted event kept its routing key and every property through the alternate exchange."""
    return message.delivery_info.get("routing_key"), dict(message.properties.get("application_headers") or {}), {}


def replay(broker: BrokerSettings, queue: str, key_of: Callable) -> int:
    """Take each kept message once and publish it again, confirmed; returns how many."""
    replayed, depth = 0, queue_depth(broker, queue)
    with Connection(as_operator(broker).amqp_uri, connect_timeout=10) as connection:
        channel = connection.channel()
        channel.confirm_select()
        while replayed < depth and (message := channel.basic_get(queue=queue, no_ack=False)) is not None:
            key, headers, restored = key_of(message)
            if not key:
                channel.basic_reject(message.delivery_tag, requeue=True)
                break
            properties = {**message.properties, "application_headers": headers, **restored}
            channel.basic_publish_confirm(Message(message.body, **properties),
                                          exchange=EVENTS_EXCHANGE, routing_key=key)
            channel.basic_ack(message.delivery_tag)
            replayed += 1
    return replayed


def page(broker: BrokerSettings, queue: str, limit: int, offset: int) -> tuple[list[dict], int]:
    """Messages offset … offset+limit of the queue, looked at and left in place, and its depth."""
    depth = queue_depth(broker, queue)
    if limit <= 0 or offset >= depth:
        return [], depth
    return BrokerAdmin(broker).queue_messages(broker.vhost, queue, offset + limit, requeue=True)[offset:], depth


def queue_depth(broker: BrokerSettings, queue: str) -> int:
    """The queue's depth now (the management API's statistics lag by seconds)."""
    with Connection(broker.amqp_uri, connect_timeout=10) as connection:
        try:
            return connection.channel().queue_declare(queue=queue, passive=True).message_count
        except NotFound:  # not provisioned (yet): nothing kept
            return 0
