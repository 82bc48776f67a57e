"""キューの状況 — what `kasane bus status` tells city IT about each consuming instance.

Per instance: its inbox's depth (ready, unacked), consumers, the age of the oldest message
waiting, and its dead letters with the age of the oldest. The age of a waiting message comes
from the publish time the relay stamps on every message:
- while the instance consumes, from the instance itself (`kasane_inbox_oldest_age_seconds` on
  its metrics port): looking into a queue someone consumes could reorder its deliveries;
- while nobody consumes, by consuming the head for a moment and giving it back (a quorum queue
  with a single active consumer refuses basic.get). The queue counts that look as a delivery
  attempt (one of `DELIVERY_LIMIT`), so a status is cheap but not free: a message left
  unconsumed and looked at that often ends among the dead letters, where nothing is lost and
  `kasane bus dead-letters --replay` brings it back.
Dead letters are peeked freely (their queues have no delivery limit); their age is the time
they were dead-lettered.
"""
from __future__ import annotations

import re
import socket
import time
from dataclasses import dataclass
from datetime import datetime

import requests
from kombu import Connection

from kasane.bus.admin import BrokerAdmin
from kasane.bus.replay import queue_depth
from kasane.bus.topology import UNROUTED_QUEUE
from kasane.config import BrokerSettings

AGE_METRIC = re.compile(r"^kasane_inbox_oldest_age_seconds\{[^}]*\} ([0-9.eE+-]+)$", re.M)


@dataclass(frozen=True)
class InboxReport:
    instance: str
    ready: int
    unacked: int
    consumers: int
    oldest_age: float | None  # seconds; None: empty, or unknown
    dead_letters: int
    oldest_dead_letter_age: float | None

    @property
    def waiting(self) -> int:
        return self.ready + self.unacked


def inbox_reports(broker: BrokerSettings, now: float, metrics_ports: dict[str, int | None] | None = None,
                  metrics_host: str = "127.0.0.1") -> list[InboxReport]:
    admin = BrokerAdmin(broker)
    queues = {q["name"]: q for q in admin.queues(broker.vhost)}
    instances = sorted({name.split(".", 1)[1] for name in queues if name.startswith(("inbox.", "dlq."))})
    reports = []
    for instance in instances:
        inbox, dlq = queues.get(f"inbox.{instance}", {}), queues.get(f"dlq.{instance}", {})
        ready, unacked = inbox.get("messages_ready", 0), inbox.get("messages_unacknowledged", 0)
        consumers, dead = inbox.get("consumers", 0), dlq.get("messages", 0)
        if not ready + unacked:
            oldest = None
        elif consumers:
            oldest = _age_from_metrics(metrics_host, (metrics_ports or {}).get(instance))
        else:
            oldest = _inbox_head_age(broker, f"inbox.{instance}", now)
        reports.append(InboxReport(
            instance=instance, ready=ready, unacked=unacked, consumers=consumers, oldest_age=oldest,
            dead_letters=dead,
            oldest_dead_letter_age=_head_age(admin, broker.vhost, f"dlq.{instance}", now, _dead_lettered_at)
            if dead else None))
    return reports


def unrouted_report(broker: BrokerSettings, now: float) -> tuple[int, float | None]:
    """kasane.unrouted's depth and the age of its oldest event (peeked: it has no delivery limit)."""
    depth = queue_depth(broker, UNROUTED_QUEUE)
    return depth, _head_age(BrokerAdmin(broker), broker.vhost, UNROUTED_QUEUE, now, _published_at) if depth else None


def _head_age(admin: BrokerAdmin, vhost: str, queue: str, now: float, when) -> float | None:
    messages = admin.queue_messages(vhost, queue, 1, requeue=True)
    stamp = when(messages[0]) if messages else None
    return None if stamp is None else max(0.0, now - stamp)


def _inbox_head_age(broker: BrokerSettings, queue: str, now: float) -> float | None:
    """Become the queue's consumer for a moment (prefetch 1), read the head's publish time and
    give the message back unacknowledged."""
    head: list = []
    with Connection(broker.amqp_uri, connect_timeout=5) as connection:
        channel = connection.channel()
        channel.basic_qos(0, 1, False)
        tag = channel.basic_consume(queue, callback=head.append, no_ack=False)
        deadline = time.monotonic() + 2
        while not head and time.monotonic() < deadline:
            try:
                connection.drain_events(timeout=0.2)
            except socket.timeout:
                pass
        channel.basic_cancel(tag)
        for message in head:
            channel.basic_reject(message.delivery_tag, requeue=True)
    stamp = head[0].properties.get("timestamp") if head else None
    if isinstance(stamp, datetime):
        stamp = stamp.timestamp()
    return max(0.0, now - stamp) if isinstance(stamp, (int, float)) else None


def _published_at(message: dict) -> float | None:
    stamp = (message.get("properties") or {}).get("timestamp")
    return float(stamp) if isinstance(stamp, (int, float)) else None


def _dead_lettered_at(message: dict) -> float | None:
    headers = (message.get("properties") or {}).get("headers") or {}
    if "x-kasane-dead-lettered-at" in headers:
        try:
            return datetime.fromisoformat(headers["x-kasane-dead-lettered-at"]).timestamp()
        except (TypeError, ValueError):
            return None
    deaths = headers.get("x-death") or []  # dead-lettered by the broker (delivery limit)
    stamp = deaths[0].get("time") if deaths else None
    return float(stamp) if isinstance(stamp, (int, float)) else _published_at(message)


def _age_from_metrics(host: str, port: int | None) -> float | None:
    if not port:
        return None
    try:
        text = requests.get(f"http://{host}:{port}/metrics", timeout=2).text
    except requests.RequestException:
        return None
    found = AGE_METRIC.search(text)
    return float(found.group(1)) if found else None


def age_text(seconds: float | None) -> str:
    """'—' for nothing waiting or unknown; else seconds, minutes, hours or days."""
    if seconds is None:
        return "—"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f}{unit}"
    return f"{seconds:.0f}s"
