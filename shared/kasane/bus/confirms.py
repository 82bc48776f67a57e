"""Publisher confirms, pipelined: publish a whole batch, then wait once until the broker has
confirmed every message of it (RabbitMQ confirms a persistent message to a quorum queue only
once it is written to disk, so waiting message by message would cost one disk write each).
"""
from __future__ import annotations

import socket
import time


class PublishNotConfirmed(Exception):
    """The broker refused (nack) or did not confirm a published message in time."""


class PublisherConfirms:
    def __init__(self, connection, channel):
        self.connection = connection
        channel.confirm_select()
        self._published = 0
        self._pending: set[int] = set()
        self._refused = False
        channel.events["basic_ack"].add(self._on_ack)
        channel.events["basic_nack"].add(self._on_nack)

    def published(self) -> None:
        """Call after each publish on the channel: the broker numbers deliveries from 1."""
        self._published += 1
        self._pending.add(self._published)

    def wait_all(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while self._pending and not self._refused:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PublishNotConfirmed(f"{len(self._pending)} message(s) unconfirmed after {timeout}s")
            try:
                self.connection.drain_events(timeout=min(remaining, 1.0))
            except socket.timeout:
                continue
        if self._refused:
            raise PublishNotConfirmed("the broker refused a message (nack)")

    def _settle(self, delivery_tag: int, multiple: bool) -> None:
        if multiple:
            self._pending = {tag for tag in self._pending if tag > delivery_tag}
        else:
            self._pending.discard(delivery_tag)

    def _on_ack(self, delivery_tag, multiple):
        self._settle(delivery_tag, multiple)

    def _on_nack(self, delivery_tag, multiple):
        self._settle(delivery_tag, multiple)
        self._refused = True
