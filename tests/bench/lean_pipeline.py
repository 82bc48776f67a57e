"""The lean reference pipeline (issue 24): the same parts as kasane's write path, without a
framework — so that `make bench` prints kasane's figures as ratios to what the parts cost.

- writer: one PostgreSQL transaction per event into an outbox table (its BIGSERIAL is the log);
- relay: reads the outbox after its recorded position, publishes each row with publisher
  confirms to a durable queue (quorum, as kasane's inboxes), records the position;
- consumer: per message, one transaction writing the effect and an inbox row (unique message
  id: a redelivery changes nothing), then the ack.
Plain threads, psycopg 3 and kombu; no eventlet, no nameko, no schemas.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field

import psycopg
from kombu import Connection, Exchange, Producer, Queue

SCHEMA = """
CREATE TABLE outbox (position BIGSERIAL PRIMARY KEY, body JSONB NOT NULL);
CREATE TABLE relay_position (id INT PRIMARY KEY, position BIGINT NOT NULL);
INSERT INTO relay_position VALUES (1, 0);
CREATE TABLE inbox (message_id BIGINT PRIMARY KEY);
CREATE TABLE effects (message_id BIGINT PRIMARY KEY, written_at DOUBLE PRECISION NOT NULL,
                      received_at DOUBLE PRECISION NOT NULL);
"""
BATCH = 100


@dataclass
class LeanPipeline:
    dsn: str
    amqp_uri: str
    queue_name: str
    stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self):
        self.exchange = Exchange(f"{self.queue_name}.x", type="direct", durable=True)
        self.queue = Queue(self.queue_name, self.exchange, routing_key="e", durable=True,
                           queue_arguments={"x-queue-type": "quorum"})

    def create(self) -> None:
        with psycopg.connect(self.dsn, autocommit=True) as db:
            db.execute(SCHEMA)
        with Connection(self.amqp_uri) as connection:
            self.queue(connection.channel()).declare()

    def write(self, count: int, rate: float | None = None) -> None:
        """`count` events, each its own transaction; paced at `rate`/s when given."""
        started = time.perf_counter()
        with psycopg.connect(self.dsn, autocommit=True) as db:
            for i in range(count):
                if rate:
                    time.sleep(max(0.0, started + i / rate - time.perf_counter()))
                with db.transaction():
                    db.execute("INSERT INTO outbox (body) VALUES (%s)",
                               (json.dumps({"written_at": time.time(), "n": i}),))

    def relay(self) -> None:
        with psycopg.connect(self.dsn, autocommit=True) as db, \
                Connection(self.amqp_uri, transport_options={"confirm_publish": True},
                           connect_timeout=30) as connection:
            producer = Producer(connection.channel(), exchange=self.exchange, routing_key="e")
            position = db.execute("SELECT position FROM relay_position").fetchone()[0]
            while not self.stop.is_set():
                rows = db.execute("SELECT position, body FROM outbox WHERE position > %s ORDER BY position "
                                  "LIMIT %s", (position, BATCH)).fetchall()
                if not rows:
                    time.sleep(0.001)
                    continue
                for row_position, body in rows:
                    producer.publish({"id": row_position, **body}, serializer="json", delivery_mode=2)
                position = rows[-1][0]
                db.execute("UPDATE relay_position SET position = %s", (position,))

    def consume(self) -> None:
        with psycopg.connect(self.dsn) as db, Connection(self.amqp_uri, connect_timeout=30) as connection:
            def on_message(body, message):
                with db.transaction():
                    inserted = db.execute("INSERT INTO inbox VALUES (%s) ON CONFLICT DO NOTHING",
                                          (body["id"],)).rowcount
                    if inserted:
                        db.execute("INSERT INTO effects VALUES (%s, %s, %s)",
                                   (body["id"], body["written_at"], time.time()))
                message.ack()

            with connection.Consumer(self.queue, callbacks=[on_message], prefetch_count=BATCH):
                db.autocommit = True
                while not self.stop.is_set():
                    try:
                        connection.drain_events(timeout=0.2)
                    except TimeoutError:
                        pass

    def effects(self) -> int:
        with psycopg.connect(self.dsn) as db:
            return db.execute("SELECT count(*) FROM effects").fetchone()[0]

    def latencies(self) -> list[float]:
        with psycopg.connect(self.dsn) as db:
            return [r[0] for r in db.execute("SELECT received_at - written_at FROM effects").fetchall()]

    def reset(self) -> None:
        with psycopg.connect(self.dsn, autocommit=True) as db:
            db.execute("TRUNCATE effects, inbox")


def run_lean(dsn: str, amqp_uri: str, queue_name: str, events: int, rate: float, seconds: int) -> dict:
    """Saturated end to end (writing included) and the latency at `rate`/s offered."""
    lean = LeanPipeline(dsn, amqp_uri, queue_name)
    lean.create()
    threads = [threading.Thread(target=part, daemon=True) for part in (lean.relay, lean.consume)]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    lean.write(events)
    while lean.effects() < events:
        time.sleep(0.01)
    saturated = events / (time.perf_counter() - started)
    lean.reset()
    paced = int(rate * seconds)
    lean.write(paced, rate=rate)
    while lean.effects() < paced:
        time.sleep(0.01)
    latencies = sorted(lean.latencies())
    lean.stop.set()
    for thread in threads:
        thread.join(timeout=5)
    return {"saturated": saturated, "latencies": latencies}
