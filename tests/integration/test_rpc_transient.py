"""RPC requests and answers travel transient (issue 24): neither is written to the broker's disk.

A request or an answer lives only as long as its caller waits for the answer: one the broker
lost on a restart is a timeout for the caller either way (kasane.runtime.rpc, kasane.client).
Persisting them cost the broker a disk write per message, and confirming the answers a round
trip per call. Checked on the messages as the broker delivers them.
"""
from __future__ import annotations

import uuid

import kombu

from tests.servers import running_instance, wait_until

desk = running_instance("consultation", "transient-desk")
NON_PERSISTENT = 1
RPC_EXCHANGE = kombu.Exchange("nameko-rpc", type="topic")


def test_a_request_sent_through_the_rpc_client_is_not_persistent(platform, desk):
    instance = desk.settings.instance
    with kombu.Connection(platform.broker.amqp_uri) as conn:
        tap = kombu.Queue(f"tap-{uuid.uuid4().hex}", RPC_EXCHANGE,
                          routing_key=f"{instance}.health", exclusive=True, channel=conn.default_channel)
        tap.declare()
        with platform.rpc() as rpc:
            assert rpc[instance].health()["instance"] == instance
        request = tap.get(no_ack=True)
        assert request is not None and request.properties["delivery_mode"] == NON_PERSISTENT


def test_an_instance_answers_with_a_message_that_is_not_persistent(platform, desk):
    instance = desk.settings.instance
    with kombu.Connection(platform.broker.amqp_uri) as conn:
        channel = conn.default_channel
        # nameko answers through its exchange, keyed by reply_to: a uuid, as the broker's rights require
        reply_to = str(uuid.uuid4())
        answers = kombu.Queue(f"answers-{reply_to}", RPC_EXCHANGE, routing_key=reply_to, exclusive=True,
                              channel=channel)
        answers.declare()
        kombu.Producer(channel).publish(
            {"args": [], "kwargs": {}}, exchange="nameko-rpc", routing_key=f"{instance}.health",
            reply_to=reply_to, correlation_id="c-1", serializer="json")
        answer = _wait_for(answers)
        assert answer.properties["correlation_id"] == "c-1"
        assert answer.payload["error"] is None and answer.payload["result"]["instance"] == instance
        assert answer.properties["delivery_mode"] == NON_PERSISTENT


def _wait_for(queue: kombu.Queue, timeout: float = 30):
    got: list = []
    wait_until(lambda: got.append(queue.get(no_ack=True)) or got[-1] is not None, timeout=timeout,
               message="the instance's answer")
    return got[-1]


def test_a_request_whose_reply_to_the_broker_would_refuse_leaves_the_answers_to_others_intact(platform, desk):
    """Answers go unconfirmed: a refused one (its routing key outside the instance's rights)
    would close the publishing channel unnoticed and silently drop every later answer sent on
    it. Such a request is not answered at all; the next caller is."""
    instance = desk.settings.instance
    with kombu.Connection(platform.broker.amqp_uri) as conn:
        for _ in range(3):
            kombu.Producer(conn.default_channel).publish(
                {"args": [], "kwargs": {}}, exchange="nameko-rpc", routing_key=f"{instance}.health",
                reply_to="not-a-uuid", correlation_id="c-0", serializer="json")
    for _ in range(20):
        with platform.rpc(timeout=10) as rpc:
            assert rpc[instance].health()["instance"] == instance
