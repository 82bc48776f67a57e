"""The thread that signs an instance's chain head every few seconds, and once more at stop."""
from __future__ import annotations

import logging
import threading

from kasane.audit.checkpoint import checkpoint_once
from kasane.bus.failures import is_transient

log = logging.getLogger(__name__)


class Checkpointer:
    def __init__(self, app, key, instance: str, interval_seconds: float):
        self.app, self.key, self.instance, self.interval = app, key, instance, interval_seconds
        self._stopping = threading.Event()
        self.signed = 0

    def run(self) -> None:
        while not self._stopping.wait(self.interval):
            self.sign()

    def sign(self) -> None:
        try:
            if checkpoint_once(self.app, self.key, self.instance) is not None:
                self.signed += 1
        except Exception as exc:  # noqa: BLE001 — the next round tries again
            log.warning("checkpoint of %s skipped after %s", self.instance, type(exc).__name__,
                        exc_info=not is_transient(exc))

    def stop(self) -> None:
        self._stopping.set()
