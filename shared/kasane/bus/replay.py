"""再送 — publishing kept messages again (dead letters after a fix), as their sender sent them.

Consumers believe a message's origin only when its AMQP `user_id` names the organisation the
body claims, and the broker lets a connection set only its own user as `user_id`. A replay by
city IT therefore publishes through a short-lived bus user with RabbitMQ's `impersonator` tag,
made for this replay alone and deleted after it, keeping the original `user_id` and the
origin's signature: a replay can bring back what an organisation sent, never forge what it did
not (the signature is the origin instance's, see kasane.bus.authenticity).
"""
from __future__ import annotations

import re
import secrets
from contextlib import contextmanager

from kombu import Connection, Producer

from kasane.bus.access import user_name
from kasane.bus.admin import BrokerAdmin
from kasane.bus.authenticity import ORIGINAL_USER_HEADER
from kasane.bus.topology import EVENTS_EXCHANGE, events_exchange
from kasane.config import BrokerSettings

#: Headers the consumer adds when it dead-letters; a replayed message starts afresh without them.
DEAD_LETTER_HEADERS = ("x-kasane-reason", "x-kasane-reason-detail", "x-kasane-consumer",
                       "x-kasane-original-exchange", "x-kasane-original-routing-key",
                       "x-kasane-dead-lettered-at", ORIGINAL_USER_HEADER)


@contextmanager
def replaying_publisher(broker: BrokerSettings):
    """A Producer on kasane.events whose connection may keep each message's original user_id."""
    admin = BrokerAdmin(broker)
    user, password = user_name(f"replay-{secrets.token_hex(4)}", broker.vhost), secrets.token_urlsafe(24)
    admin.put_user(user, password, tags="impersonator")
    try:
        admin.grant(broker.vhost, user, {"configure": "^$", "write": f"^{re.escape(EVENTS_EXCHANGE)}$",
                                         "read": "^$"},
                    [{"exchange": EVENTS_EXCHANGE, "write": r"^ev\.", "read": "^$"}])
        uri = f"amqp://{user}:{password}@{broker.host}:{broker.port}/{broker.vhost}"
        with Connection(uri, transport_options={"confirm_publish": True}) as connection:
            yield Producer(connection.channel(), exchange=events_exchange, auto_declare=False)
    finally:
        admin.close_connections(user)
        admin.delete_user(user)


def republish(producer: Producer, message, routing_key: str) -> None:
    """Publish the kept message again under `routing_key`, with its sender's user_id."""
    headers = dict(message.headers or {})
    properties = message.properties or {}
    user_id = headers.get(ORIGINAL_USER_HEADER) or properties.get("user_id")
    for name in DEAD_LETTER_HEADERS:
        headers.pop(name, None)
    extra = {"user_id": user_id} if user_id else {}
    producer.publish(message.body, routing_key=routing_key, headers=headers, delivery_mode=2,
                     content_type=message.content_type, content_encoding=message.content_encoding,
                     message_id=properties.get("message_id"), timestamp=properties.get("timestamp"),
                     retry=False, **extra)
