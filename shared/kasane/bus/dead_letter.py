"""死信 — a message the consumer will not take, kept in its dead-letter queue with why.

The headers say which consumer refused it, why (`x-kasane-reason`, and a detail naming instances
and positions, never personal values), where it came from and who sent it (the original
`user_id`, which a replay keeps: kasane.bus.replay). Then the message is acked: a poison
message never blocks the inbox.
"""
from __future__ import annotations

from datetime import datetime, timezone

from kombu import Producer

from kasane.bus.authenticity import ORIGINAL_USER_HEADER


def dead_letter(producer: Producer, message, instance: str, reason: str, detail: str = "") -> None:
    properties = getattr(message, "properties", {}) or {}
    delivery_info = getattr(message, "delivery_info", {}) or {}
    headers = dict(message.headers or {})
    headers.update({
        "x-kasane-reason": reason,
        "x-kasane-reason-detail": detail,
        ORIGINAL_USER_HEADER: properties.get("user_id") or "",
        "x-kasane-consumer": instance,
        "x-kasane-original-exchange": delivery_info.get("exchange", ""),
        "x-kasane-original-routing-key": delivery_info.get("routing_key", ""),
        "x-kasane-dead-lettered-at": datetime.now(timezone.utc).isoformat(),
    })
    producer.publish(
        message.body, routing_key=instance, headers=headers, delivery_mode=2,
        content_type=message.content_type or "application/octet-stream",
        content_encoding=message.content_encoding or "binary",
        message_id=properties.get("message_id"), retry=False,
    )
    message.ack()
