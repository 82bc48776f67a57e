"""死信の確認と再送 — city IT's view of an instance's dead letters (when, under which routing key,
why: the consumer's reason and its detail, which names instances and positions, never personal
values) and the replay of all of them to where they first went (kasane.bus.replay).

Both act as city IT's operator on the bus (kasane.bus.operator: it may read the dead-letter
queues and publish with the original publisher's user_id), never as the organisation's own
user, and only for the organisation's own instances (the page checks that)."""
from __future__ import annotations

from amqp.exceptions import NotFound
from kombu import Connection

from dataclasses import replace

from kasane.bus import credentials
from kasane.bus.operator import OPERATOR
from kasane.bus.replay import dead_letter_key, replay
from kasane.config import BrokerSettings
from kasane.errors import InfrastructureUnavailable

SHOWN = 20


def as_operator(broker: BrokerSettings) -> BrokerSettings:
    """The operator's credentials as city IT's provisioning issued them; a gateway never makes them."""
    creds = credentials.load(OPERATOR, broker.vhost)
    if creds is None:
        raise InfrastructureUnavailable("city IT's operator is not provisioned on this host")
    return replace(broker, user=creds["user"], password=creds["password"])


def queue(instance: str) -> str:
    return f"dlq.{instance}"


def peek(broker: BrokerSettings, instance: str, limit: int = SHOWN) -> tuple[list[dict], int]:
    """The first `limit` dead letters (looked at and given back: never acked) and the depth."""
    with Connection(as_operator(broker).amqp_uri, connect_timeout=10) as connection:
        channel = connection.channel()
        try:
            depth = channel.queue_declare(queue=queue(instance), passive=True).message_count
        except NotFound:
            return [], 0
        shown = []
        while len(shown) < min(limit, depth) and (message := channel.basic_get(queue=queue(instance))):
            shown.append(_letter(message.properties.get("application_headers") or {}))
        channel.close()  # unacked: every message looked at goes back, in its order
        return shown, depth


def _letter(headers: dict) -> dict:
    return {"dead_lettered_at": headers.get("x-kasane-dead-lettered-at"),
            "routing_key": headers.get("x-kasane-original-routing-key") or "",
            "reason": headers.get("x-kasane-reason") or "（理由の記録なし）",
            "detail": headers.get("x-kasane-reason-detail") or ""}


def replay_all(broker: BrokerSettings, instance: str) -> int:
    """Every dead letter of the instance published again under its first routing key; how many."""
    return replay(as_operator(broker), queue(instance), dead_letter_key)
