"""接続状態 — what the relay and the consumer say about a broker or database that fails.

A broker that refuses a connection, or a database that is down, fails every retry the same way:
logging each retry (with a traceback) buried nine instances' logs in tens of thousands of lines.
A `LinkState` logs one line when the state changes — the first failure of a kind, with the
backoff it waits, and the recovery — and keeps `last_error` only while the failure lasts.
"""
from __future__ import annotations

import logging

from kasane.bus.failures import is_transient


class LinkState:
    def __init__(self, name: str, stats, logger: logging.Logger):
        self.name, self.stats, self.log = name, stats, logger
        self.failures = 0
        self._kind: str | None = None

    @property
    def failing(self) -> bool:
        return self._kind is not None

    def failed(self, exc: BaseException, delay: float) -> None:
        """One line when this kind of failure starts (a traceback only for an unexpected kind)."""
        kind = f"{type(exc).__name__} {getattr(exc, 'reason', '') or ''}".strip()
        self.failures += 1
        self.stats.last_error = type(exc).__name__
        if kind == self._kind:
            self.log.debug("%s: still %s (failure %d), next try in %.1fs", self.name, kind, self.failures, delay)
            return
        self._kind = kind
        self.log.warning("%s: %s; retrying with backoff, next in %.1fs (said once until it changes)",
                         self.name, kind, delay, exc_info=not is_transient(exc))

    def recovered(self) -> None:
        """One line when a failure ends; the error is cleared."""
        if self._kind is not None:
            self.log.warning("%s: recovered after %d failure(s) (%s)", self.name, self.failures, self._kind)
        self._kind, self.failures = None, 0
        self.stats.last_error = ""
