"""What a commit hands those who follow the log in its process (手渡し): the recordings it just
made, so that a relay or a view that is caught up takes them without reading them back and
decoding them again (issue 24: the relay saves a round trip and the decoding per pass; the views
the decoding of the events their own process wrote).

The log stays the truth. Writers take notification ids under the writers' lock and commit in
that order, so offered recordings that continue the relay's position without a gap are exactly
what the log holds next; anything else — a gap (another process's commit, an id a rolled-back
transaction took), offers out of order beyond repair, more than a pass holds — is dropped, and
the follower reads the log as before.
"""
from __future__ import annotations

import threading


class Offers:
    """The recordings offered since the follower last looked, at most `limit` of them."""

    def __init__(self, limit: int):
        self.limit = limit
        self._offered: list = []
        self._lock = threading.Lock()  # commits may come from native threads (tests, tpool)

    def offer(self, recordings) -> None:
        with self._lock:
            self._offered.extend(recordings)
            if len(self._offered) > self.limit:  # the follower is behind: it reads the log
                self._offered.clear()

    def after(self, position: int) -> tuple[list, bool]:
        """(the offered recordings that continue the log from `position` without a gap, in
        notification order; whether that is all that was offered beyond `position`). The
        offers are taken either way."""
        with self._lock:
            offered, self._offered = self._offered, []
        run: list = []
        for recording in sorted(offered, key=lambda r: r.notification.id):
            expected = position + 1 + len(run)
            if recording.notification.id < expected:
                continue  # already taken (read from the log meanwhile)
            if recording.notification.id > expected:
                return run, False
            run.append(recording)
        return run, True
