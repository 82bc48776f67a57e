"""拒否した要求の記録 — every request the door refused (no session, a forged, replayed or expired
session, a missing CSRF token, a role without the right), one small record each: why, at which
endpoint, whose session if it was a real one — never the cookie, a token, a password or a code."""
from __future__ import annotations

from eventsourcing.domain import Aggregate, event


class RefusedRequest(Aggregate):
    @event("Recorded")
    def __init__(self, reason: str, endpoint: str, method: str, staff_id: str | None = None,
                 cookie_ref: str | None = None):
        """cookie_ref: the first characters of the SHA-256 of a presented cookie (tells repeated
        forgeries apart without keeping anything usable)."""
        self.reason, self.endpoint, self.method = reason, endpoint, method
        self.staff_id, self.cookie_ref = staff_id, cookie_ref
