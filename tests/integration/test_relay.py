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
        tap = tap_of(channel, unique, instance)
        platform.start(desk)
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda _: rpc_call(platform, instance, intake()), range(12)))
        messages = wait_until(lambda: collect(channel, tap, 12), message="12 published events")
    envelopes = [validate_envelope(json.loads(m.body)) for m in messages]
    positions = [e["position"] for e in envelopes]
    assert positions == sorted(positions) and len(set(positions)) == 12
    assert all(e["event_id"] == event_id_for(instance, e["position"]) for e in envelopes)
    assert all(m.properties["message_id"] == e["event_id"] for m, e in zip(messages, envelopes))
    assert {e["type"] for e in envelopes} == {"consultation.consultation_received"}
    assert all("personal" not in e["payload"] for e in envelopes)


_taken: dict = {}


def tap_of(channel, unique: str, instance: str) -> str:
    """A queue of the test's own, bound to every event the instance publishes."""
    tap = Queue(f"test-tap-{unique}", exchange=events_exchange, routing_key=f"ev.{instance}.#",
                exclusive=True)(channel)
    tap.declare()
    return tap.name


def collect(channel, queue: str, count: int):
    got = _taken.setdefault(queue, [])
    while (message := channel.basic_get(queue=queue, no_ack=True)) is not None:
        got.append(message)
    return got if len(got) >= count else None


def rpc_call(platform, instance, command):
    with platform.rpc() as rpc:
        return rpc[instance].receive_consultation(command)


def test_commits_of_another_process_between_the_instances_own_are_published_once_in_order(
        platform, unique, intake):
    """The relay publishes its own process's commits as they were handed to it, without reading
    them back (kasane.store.offers). Another process's commit in between (the CLI's, an import)
    leaves a gap in what it was handed: the relay reads the log instead, and every event of
    both writers arrives once, in the log's order."""
    from consultation.application import ConsultationApplication
    from consultation.schemas import ReceiveConsultationSchema
    from kasane.runtime.commands import load_command
    from kasane.store.application import postgres_env

    desk = platform.instance("consultation", f"relay-two-{unique}")
    instance = desk.settings.instance
    other = ConsultationApplication(env=postgres_env(desk.settings, pool_size=1), instance=instance,
                                    organisation=desk.settings.organisation, agencies=desk.agencies)
    with Connection(platform.broker.amqp_uri) as connection:
        channel = connection.channel()
        tap = tap_of(channel, unique, instance)
        platform.start(desk)
        try:
            for _ in range(5):
                rpc_call(platform, instance, intake())
                data, trace = load_command(ReceiveConsultationSchema(), intake())
                other.receive_consultation(trace, **data)
            rpc_call(platform, instance, intake())  # the barrier: the instance's own, after the last gap
            messages = wait_until(lambda: collect(channel, tap, 11), message="11 published events")
        finally:
            other.close()
    positions = [validate_envelope(json.loads(m.body))["position"] for m in messages]
    assert len(positions) == 11 and positions == sorted(set(positions))
