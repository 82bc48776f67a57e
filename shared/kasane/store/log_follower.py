"""Following the instance's notification log: each view sees every stored event once, in order."""
from __future__ import annotations

import threading
from typing import Protocol

ERASED_TOPIC = ":PrivacyLog.SubjectErased"  # kasane.privacy.erasure


class View(Protocol):
    """An in-process read model: sees every stored event once, in log order."""

    def apply(self, domain_event) -> None: ...


class LogFollower:
    """Reads the notification log in pages after the last position seen and feeds the views.

    Catching up under a lock keeps concurrent queries (green threads) from applying an event twice.
    """

    def __init__(self, app, views: list, page_size: int = 500):
        self.app, self.views, self.page_size = app, list(views), page_size
        self.position = 0
        self._lock = threading.Lock()

    def _forget(self, erasure) -> None:
        """Views that keep names in memory drop an erased subject's (the store already reads
        them as 廃棄済み once the key is gone); the keys this process holds unwrapped go too, so
        the erased details stop opening here now, not when the key cache would expire."""
        keys = getattr(self.app, "keys", None)
        if keys is not None and hasattr(keys, "forget_cached"):
            keys.forget_cached()
        for view in self.views:
            if hasattr(view, "forget"):
                view.forget(erasure.subject_id, erasure.household)

    def catch_up(self) -> int:
        with self._lock:
            while True:
                notifications = self.app.recorder.select_notifications(
                    start=self.position, limit=self.page_size, inclusive_of_start=False)
                if not notifications:
                    return self.position
                for notification in notifications:
                    domain_event = self.app.mapper.to_domain_event(notification)
                    for view in self.views:
                        view.apply(domain_event)
                    if notification.topic.endswith(ERASED_TOPIC):  # 削除請求 recorded by city IT
                        self._forget(domain_event)
                    self.position = notification.id
