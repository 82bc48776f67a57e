"""ログインセッション — kept on the server (in the gateway's memory, never in the cookie): a new
random id at every sign-in, its CSRF token, idle (30 min) and absolute (8 h) timeouts, and
sign-out that forgets it at once. Only a digest of the id is kept, so the book itself holds no
usable cookie. A restarted gateway has forgotten every session: people sign in again.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=8)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Session:
    staff_id: str
    login: str
    name: str
    organisation: str
    roles: tuple
    csrf_token: str
    started_at: datetime
    last_seen: datetime = field(default=None)  # type: ignore[assignment]

    idle_timeout: timedelta = IDLE_TIMEOUT

    def expired(self, at: datetime) -> bool:
        return at - self.last_seen > self.idle_timeout or at - self.started_at > ABSOLUTE_TIMEOUT

    def csrf_matches(self, token: str | None) -> bool:
        return bool(token and hmac.compare_digest(self.csrf_token, token))


class SessionRefused(Exception):
    """No valid session: `reason` is one of missing, unknown, expired (never the cookie)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class SessionBook:
    def __init__(self, idle_timeout: timedelta = IDLE_TIMEOUT):
        self._sessions: dict[str, Session] = {}
        self.idle_timeout = idle_timeout

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    def open(self, account, at: datetime, token: str) -> Session:
        """A new session under a new token (the cookie's value) for a signed-in account."""
        session = Session(staff_id=str(account.id), login=account.login, name=account.name,
                          organisation=account.organisation, roles=tuple(sorted(account.roles)),
                          csrf_token=secrets.token_urlsafe(32), started_at=at, last_seen=at,
                          idle_timeout=self.idle_timeout)
        self._sessions[digest(token)] = session
        return session

    def find(self, token: str | None, at: datetime) -> Session:
        """The session the cookie names, touched; refused when missing, unknown or expired."""
        if not token:
            raise SessionRefused("missing")
        key = digest(token)
        session = self._sessions.get(key)
        if session is None:
            raise SessionRefused("unknown")
        if session.expired(at):
            del self._sessions[key]
            raise SessionRefused("expired")
        session.last_seen = at
        return session

    def close(self, token: str) -> None:
        self._sessions.pop(digest(token), None)

    def close_all_of(self, staff_id: str) -> None:
        """A disabled account, a revoked role or a reset password ends every session of it."""
        for key in [k for k, s in self._sessions.items() if s.staff_id == staff_id]:
            del self._sessions[key]
