"""What the inbox consumer (kasane.bus.consumer) keeps of each message and of its own progress,
and the plain rules it applies to a batch: decoding, the inbox entry, the position check."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import orjson
from kombu.message import Message

from kasane.bus.failures import ContractBroken
from kasane.store.inbox import InboxEntry


@dataclass
class ConsumerStats:
    consumed: int = 0
    duplicates: int = 0
    dead_lettered: int = 0
    refused: int = 0  # messages whose origin could not be shown authentic (發信元の確認)
    retries: int = 0
    last_error: str = ""
    consuming: bool = False  # taking messages from its queue (after start-up and reconnections)
    # When the oldest message delivered here and not yet acked was published (epoch seconds),
    # None when nothing waits: the age of the inbox's head while this consumer is active.
    oldest_pending_published: float | None = None

    def oldest_pending_age(self, now: float) -> float:
        return 0.0 if self.oldest_pending_published is None else max(0.0, now - self.oldest_pending_published)


@dataclass
class Delivery:
    message: Message
    envelope: dict

    @property
    def key(self) -> tuple[str, int]:
        return self.envelope["origin"]["instance"], self.envelope["position"]


def position_conflict(delivery: Delivery, done: dict, heads: dict, window: int) -> str | None:
    """Why the delivery may not take its (origin, position), or None. Only a true redelivery
    (the same event id) of a processed position is skipped as a duplicate."""
    origin, position = delivery.key
    if delivery.key in done:
        if str(done[delivery.key]) != str(delivery.envelope["event_id"]):
            return f"position {position} of {origin} was taken by another event"
        return None
    head = heads.get(origin)
    if head is not None and position > head + window:
        return f"position {position} is far beyond {origin}'s known head {head}"
    return None


def _decode(message) -> dict:
    try:
        body = message.body
        data = orjson.loads(body)  # its JSONDecodeError is a ValueError, as are bad UTF-8's
    except (UnicodeDecodeError, ValueError) as exc:
        raise ContractBroken("body is not UTF-8 JSON") from exc
    return data


def _inbox_entry(envelope: dict) -> InboxEntry:
    return InboxEntry(origin_instance=envelope["origin"]["instance"],
                      position=envelope["position"], event_id=envelope["event_id"],
                      event_type=envelope["type"])


def _published(message) -> float | None:
    """The publish time the relay stamps on every message (AMQP `timestamp`)."""
    stamp = (getattr(message, "properties", None) or {}).get("timestamp")
    if isinstance(stamp, datetime):
        return stamp.timestamp()
    return float(stamp) if isinstance(stamp, (int, float)) else None
