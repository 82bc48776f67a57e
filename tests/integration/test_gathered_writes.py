"""まとめ送り: frames published inside `gathered_writes` reach the broker whole and in order, in
far fewer socket writes; a block that fails sends nothing it gathered."""
import pytest
from kombu import Connection, Exchange, Producer, Queue

from kasane.bus.confirms import PublisherConfirms
from kasane.bus.gathered import gathered_writes

pytestmark = pytest.mark.integration


def counted_sends(connection) -> list:
    transport = connection.connection.transport
    send, sizes = transport._write, []

    def counting(data):
        sizes.append(len(data))
        send(data)

    transport._write = counting
    return sizes


def taken(channel, queue: str, count: int) -> list[bytes]:
    bodies = []
    while len(bodies) < count:
        message = channel.basic_get(queue, no_ack=True)
        assert message is not None, f"only {len(bodies)} of {count} messages arrived"
        bodies.append(message.body)
    return bodies


@pytest.fixture
def tap(platform, unique):
    with Connection(platform.broker.amqp_uri) as connection:
        channel = connection.channel()
        exchange = Exchange(f"test-gathered-{unique}", type="fanout", auto_delete=True)
        queue = Queue(f"test-gathered-{unique}", exchange=exchange, exclusive=True)(channel)
        queue.declare()
        yield connection, channel, exchange, queue.name


def test_a_pass_of_publishes_goes_out_in_a_few_writes_whole_and_in_order(tap):
    connection, channel, exchange, queue = tap
    confirms = PublisherConfirms(connection, channel)
    producer = Producer(channel, exchange=exchange, auto_declare=False)
    sizes = counted_sends(connection)
    with gathered_writes(connection, limit=64 * 1024):
        for n in range(1000):
            producer.publish(f"event {n:04d} ".encode() * 20, retry=False)
            confirms.published()
    confirms.wait_all()
    assert 1 < len(sizes) <= 10  # sent at each 64 kB and at the end, not 1,000 times
    assert taken(channel, queue, 1000) == [f"event {n:04d} ".encode() * 20 for n in range(1000)]


def test_a_block_that_fails_sends_nothing_it_gathered_and_writes_directly_afterwards(tap):
    connection, channel, exchange, queue = tap
    producer = Producer(channel, exchange=exchange, auto_declare=False)
    sizes = counted_sends(connection)
    with pytest.raises(RuntimeError):
        with gathered_writes(connection):
            producer.publish(b"never sent", retry=False)
            raise RuntimeError("the pass failed")
    assert sizes == []
    producer.publish(b"sent at once", retry=False)
    assert len(sizes) == 1
    assert taken(channel, queue, 1) == [b"sent at once"]
