"""Test helpers that talk to the real broker and databases directly (publish, inspect, break)."""
from __future__ import annotations

import json
import socket
from datetime import datetime, timezone
from uuid import uuid4

import psycopg
from kombu import Connection, Consumer, Producer, Queue

from kasane.bus.envelope import event_id_for
from kasane.bus.topology import EVERY_EVENT, declare_consumer, events_exchange, routing_key
from kasane.deployment import DeployedInstance

_positions: dict[str, int] = {}


def referral_envelope(origin_instance: str, household_id: str | None = None,
                      position: int | None = None) -> dict:
    """A valid consultation.household_referred v1 from a (pretend) consultation instance."""
    position = position or _positions.setdefault(origin_instance, 0) + 1
    _positions[origin_instance] = position
    now = datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")
    return {
        "event_id": event_id_for(origin_instance, position),
        "type": "consultation.household_referred", "version": 1, "occurred_at": now,
        "household_id": household_id or str(uuid4()),
        "origin": {"service": "consultation", "organisation": "org-test", "instance": origin_instance},
        "position": position, "correlation_id": str(uuid4()), "causation_id": str(uuid4()),
        "payload": {
            "referral_id": str(uuid4()), "consultation_id": str(uuid4()),
            "referring_agency": {"agency_id": "kikan-tokiwadaira", "name": "常盤平基幹相談支援センター ふれあい"},
            "reasons": ["compound_issues"], "issue_categories": ["hikikomori"], "urgency": "normal",
            "referred_at": now, "caseworker_id": "sw-9",
        },
    }


def publish(broker, body, key: str) -> None:
    """Publish straight onto kasane.events, as a misbehaving or test publisher would."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    with Connection(broker.amqp_uri, transport_options={"confirm_publish": True}) as connection:
        Producer(connection.channel(), exchange=events_exchange).publish(
            data, routing_key=key, content_type="application/json", delivery_mode=2, retry=False)


def publish_envelope(broker, envelope: dict) -> None:
    publish(broker, envelope, routing_key(envelope["origin"]["instance"], envelope["type"], envelope["version"]))


def dead_letters(broker, instance: str) -> list:
    """Take every message from the instance's dead-letter queue."""
    taken = []
    with Connection(broker.amqp_uri) as connection:
        channel = connection.channel()
        while (message := channel.basic_get(queue=f"dlq.{instance}", no_ack=True)) is not None:
            taken.append(message)
    return taken


def admin_sql(deployed: DeployedInstance, statement: str, params=(), dbname: str | None = None):
    db = deployed.settings.database
    with psycopg.connect(host=db.host, port=db.port, user=db.admin_user, autocommit=True,
                         dbname=dbname or db.database_for(deployed.settings.instance)) as conn:
        cursor = conn.execute(statement, params or None)
        return cursor.fetchall() if cursor.description else None


def inbox_rows(deployed: DeployedInstance, origin_instance: str) -> list:
    return admin_sql(deployed, "SELECT position FROM kasane_inbox WHERE origin_instance = %s "
                               "ORDER BY position", (origin_instance,))


def tap(platform, name: str) -> str:
    """A queue bound to `ev.#`, hearing every event on the bus (addressed ones included), as the
    audit ledger does: a test's bystander that proves what did and did not travel."""
    with Connection(platform.broker.amqp_uri) as connection:
        declare_consumer(connection.channel(), name, [EVERY_EVENT])
    return name


def take(platform, instance: str, wait: float = 1.0) -> list[dict]:
    """Every message waiting in `inbox.<instance>` (acked), as parsed envelopes."""
    taken = []
    with Connection(platform.broker.amqp_uri) as connection:
        def keep(body, message):
            taken.append(json.loads(body) if isinstance(body, (str, bytes)) else body)
            message.ack()

        with Consumer(connection, queues=[Queue(f"inbox.{instance}", no_declare=True)],
                      callbacks=[keep], accept=["json"]):
            try:
                while True:
                    connection.drain_events(timeout=wait)
            except socket.timeout:
                pass
    return taken
