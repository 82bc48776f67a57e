"""宛先指定 — an event addressed to one instance reaches that instance's inbox only."""
import pytest
from kombu import Connection

from kasane.bus.topology import ADDRESSED, declare_consumer, declare_exchanges

from tests.bus_helpers import publish, referral_envelope

pytestmark = pytest.mark.integration

TYPE = ("consultation.household_referred", 1)


def depth(channel, queue: str) -> int:
    return channel.queue_declare(queue=queue, passive=True).message_count


def test_an_addressed_event_reaches_only_its_recipient_and_no_broadcast_subscriber(platform, unique):
    a, b, listener = f"addr-a-{unique}", f"addr-b-{unique}", f"addr-all-{unique}"
    with Connection(platform.broker.amqp_uri) as connection:
        channel = connection.channel()
        declare_exchanges(channel)
        for instance in (a, b):
            declare_consumer(channel, instance, [(*TYPE, ADDRESSED)])
        declare_consumer(channel, listener, [TYPE])
        envelope = {**referral_envelope(f"addr-desk-{unique}"), "recipient": {"instance": a}}
        publish(platform.broker, envelope,
                f"ev.{envelope['origin']['instance']}.consultation.household_referred.v1.to.{a}")
        publish(platform.broker, referral_envelope(f"addr-desk-{unique}"),
                f"ev.addr-desk-{unique}.consultation.household_referred.v1")
        counts = {q: depth(channel, f"inbox.{q}") for q in (a, b, listener)}
    assert counts == {a: 1, b: 0, listener: 1}
