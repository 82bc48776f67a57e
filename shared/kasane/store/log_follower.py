"""Following the instance's notification log: each view sees every stored event once, in order."""
from __future__ import annotations

import threading
from typing import Protocol

from kasane.store.offers import Offers
from kasane.store.recorder import notifications_of

ERASED_TOPIC = ":PrivacyLog.SubjectErased"  # kasane.privacy.erasure


class View(Protocol):
    """An in-process read model: sees every stored event once, in log order."""

    def apply(self, domain_event) -> None: ...


class LogFollower:
    """Reads the notification log in pages after the last position seen and feeds the views.

    Catching up under a lock keeps concurrent queries (green threads) from applying an event twice.
    The events this process commits are handed over as they are (kasane.store.offers): those that
    continue the position are applied without decoding them again; the log is read after them.
    """

    def __init__(self, app, views: list, page_size: int = 500):
        self.app, self.views, self.page_size = app, list(views), page_size
        self.position = 0
        self._lock = threading.Lock()
        self._offers = Offers(limit=page_size)
        app.on_saved(self._offers.offer)

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
            self._take_offers()
            while True:
                notifications = self.app.recorder.select_notifications(
                    start=self.position, limit=self.page_size, inclusive_of_start=False)
                if not notifications:
                    return self.position
                for notification in notifications:
                    self._see(notification, self.app.mapper.to_domain_event(notification))

    def log_after(self) -> tuple:
        """(statement, params): one page of the log after the position, for a caller that sends
        it along its own round trip (the inbox consumer's batch reads) and gives the rows to
        `take_page` — a catch-up without a round trip of its own (a PostgreSQL store only)."""
        return self.app.recorder.notifications_after_statement(self.position, self.page_size)

    def take_page(self, rows: list) -> int:
        """Caught up with the rows `log_after` read (those after the position now), then with
        what this process committed since; a full page reads on."""
        with self._lock:
            for notification in notifications_of(rows):
                if notification.id > self.position:
                    self._see(notification, self.app.mapper.to_domain_event(notification))
            self._take_offers()
        return self.catch_up() if len(rows) >= self.page_size else self.position

    def _take_offers(self) -> None:
        for recording in self._offers.after(self.position)[0]:
            self._see(recording.notification, recording.domain_event)

    def _see(self, notification, domain_event) -> None:
        for view in self.views:
            view.apply(domain_event)
        if notification.topic.endswith(ERASED_TOPIC):  # 削除請求 recorded by city IT
            self._forget(domain_event)
        self.position = notification.id
