"""Sessions in the gateway's own database (gateway.storage): a restarted gateway still knows
who is signed in. The rules (timeouts, CSRF, refusals) stay in gateway.domain.sessions; this
table only keeps rows by the digest of the session id."""
from __future__ import annotations

from datetime import datetime

from kasane.store.statements import run_statement

from gateway.domain.sessions import Session
from gateway.storage import SESSIONS

_COLUMNS = "staff_id, login, name, organisation, roles, csrf_token, started_at, last_seen"


class PostgresSessionTable:
    def __init__(self, datastore):
        self.datastore = datastore  # the staff store's pool (eventsourcing's PostgresDatastore)

    def _run(self, statement: str, params: tuple):
        rows = run_statement(self.datastore, statement, params)  # one round trip per request's check
        return rows[0] if rows else None

    def get(self, key: str) -> Session | None:
        row = self._run(f"SELECT {_COLUMNS} FROM {SESSIONS} WHERE session_digest = %s", (key,))
        if row is None:
            return None
        return Session(**{**row, "roles": tuple(row["roles"])})

    def put(self, key: str, session: Session) -> None:
        self._run(f"INSERT INTO {SESSIONS} (session_digest, {_COLUMNS}, expires_at) "
                  "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                  (key, session.staff_id, session.login, session.name, session.organisation,
                   list(session.roles), session.csrf_token, session.started_at, session.last_seen,
                   session.expires_at))

    def touch(self, key: str, session: Session) -> None:
        self._run(f"UPDATE {SESSIONS} SET last_seen = %s, expires_at = %s WHERE session_digest = %s",
                  (session.last_seen, session.expires_at, key))

    def delete(self, key: str) -> None:
        self._run(f"DELETE FROM {SESSIONS} WHERE session_digest = %s", (key,))

    def delete_of(self, staff_id: str) -> None:
        self._run(f"DELETE FROM {SESSIONS} WHERE staff_id = %s", (staff_id,))

    def prune(self, expired_before: datetime) -> None:
        self._run(f"DELETE FROM {SESSIONS} WHERE expires_at < %s", (expired_before,))
