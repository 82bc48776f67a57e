"""The outbox relay of a running consultation process: every recorded event with a contract is
published, in notification order, as a valid integration event with a deterministic id."""
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from kasane_contracts import validate_envelope
from kombu import Connection, Queue

from kasane.bus.envelope import event_id_for
from kasane.bus.topology import events_exchange
from tests.servers import wait_until

pytestmark = pytest.mark.integration


def test_recorded_events_are_published_in_notification_order_with_stable_ids(platform, unique, intake):
    desk = platform.instance("consultation", f"relay-desk-{unique}")
    instance = desk.settings.instance
    with Connection(platform.broker.amqp_uri) as connection:
        channel = connection.channel()
        tap = Queue(f"test-tap-{unique}", exchange=events_exchange, routing_key=f"ev.{instance}.#",
                    exclusive=True)(channel)
        tap.declare()
        platform.start(desk)
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda _: rpc_call(platform, instance, intake()), range(12)))
        messages = wait_until(lambda: collect(channel, tap.name, 12), message="12 published events")
    envelopes = [validate_envelope(json.loads(m.body)) for m in messages]
    positions = [e["position"] for e in envelopes]
    assert positions == sorted(positions) and len(set(positions)) == 12
    assert all(e["event_id"] == event_id_for(instance, e["position"]) for e in envelopes)
    assert all(m.properties["message_id"] == e["event_id"] for m, e in zip(messages, envelopes))
    assert {e["type"] for e in envelopes} == {"consultation.consultation_received"}
    assert all("personal" not in e["payload"] for e in envelopes)


_taken: dict = {}


def collect(channel, queue: str, count: int):
    got = _taken.setdefault(queue, [])
    while (message := channel.basic_get(queue=queue, no_ack=True)) is not None:
        got.append(message)
    return got if len(got) >= count else None


def rpc_call(platform, instance, command):
    with platform.rpc() as rpc:
        return rpc[instance].receive_consultation(command)
