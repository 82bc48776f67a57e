"""ログインセッション — kept on the server, never in the cookie: a new random id at every sign-in,
its CSRF token, idle (30 min) and absolute (8 h) timeouts, and sign-out that forgets it at once.
Only a digest of the id is kept, so the book itself holds no usable cookie.

The book's rules are here; where the sessions are kept is a table (`MemoryTable` here, for
tests of the rules; the gateway's own database in production: gateway.session_store), so a
restarted gateway still knows who is signed in. An expired session is refused but kept a day
longer, so a form posted after it expired is still known to be that person's (their draft:
gateway.drafts); then it is pruned.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=8)
KEPT_AFTER_EXPIRY = timedelta(days=1)


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

    @property
    def expires_at(self) -> datetime:
        return min(self.last_seen + self.idle_timeout, self.started_at + ABSOLUTE_TIMEOUT)

    def expired(self, at: datetime) -> bool:
        return at > self.expires_at

    def csrf_matches(self, token: str | None) -> bool:
        return bool(token and hmac.compare_digest(self.csrf_token, token))


class SessionRefused(Exception):
    """No valid session: `reason` is one of missing, unknown, expired (never the cookie). An
    expired one names its `session` (whose person a posted form belongs to)."""

    def __init__(self, reason: str, session: Session | None = None):
        super().__init__(reason)
        self.reason, self.session = reason, session


class SessionTable(Protocol):
    """Where sessions are kept, by the digest of their id."""

    def get(self, key: str) -> Session | None: ...
    def put(self, key: str, session: Session) -> None: ...
    def touch(self, key: str, session: Session) -> None: ...
    def delete(self, key: str) -> None: ...
    def delete_of(self, staff_id: str) -> None: ...
    def prune(self, expired_before: datetime) -> None: ...


class MemoryTable:
    def __init__(self):
        self.rows: dict[str, Session] = {}

    def get(self, key):
        return self.rows.get(key)

    def put(self, key, session):
        self.rows[key] = session

    def touch(self, key, session):
        self.rows[key] = session

    def delete(self, key):
        self.rows.pop(key, None)

    def delete_of(self, staff_id):
        for key in [k for k, s in self.rows.items() if s.staff_id == staff_id]:
            del self.rows[key]

    def prune(self, expired_before):
        for key in [k for k, s in self.rows.items() if s.expires_at < expired_before]:
            del self.rows[key]


class SessionBook:
    def __init__(self, idle_timeout: timedelta = IDLE_TIMEOUT, table: SessionTable | None = None):
        self.table: SessionTable = table if table is not None else MemoryTable()
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
        self.table.prune(at - KEPT_AFTER_EXPIRY)
        self.table.put(digest(token), session)
        return session

    def find(self, token: str | None, at: datetime) -> Session:
        """The session the cookie names, touched; refused when missing, unknown or expired."""
        if not token:
            raise SessionRefused("missing")
        key = digest(token)
        session = self.table.get(key)
        if session is None:
            raise SessionRefused("unknown")
        session.idle_timeout = self.idle_timeout
        if session.expired(at):
            raise SessionRefused("expired", session)
        if at - session.last_seen > self.idle_timeout / 120:  # 15 s of 30 min: not a write per request
            session.last_seen = at
            self.table.touch(key, session)
        return session

    def close(self, token: str | None) -> None:
        if token:
            self.table.delete(digest(token))

    def close_all_of(self, staff_id: str) -> None:
        """A disabled account, a revoked role or a reset password ends every session of it."""
        self.table.delete_of(staff_id)
