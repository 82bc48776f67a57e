"""The gateway's own tables beside its event store: sessions and drafts change and go (a session
is touched at every request and deleted at sign-out), which an append-only store cannot do.
Provisioning creates them as the schema's owner and lets the service role SELECT, INSERT,
UPDATE and DELETE them (kasane.store.provision); nothing else of the store becomes mutable.

A session row holds the SHA-256 of its id, never the id (the cookie); a draft holds the form as
typed only sealed (AES-256-GCM under the gateway's secrets key, gateway.sealing)."""
from __future__ import annotations

SESSIONS, DRAFTS = "gateway_sessions", "gateway_drafts"

OWN_TABLES = (SESSIONS, DRAFTS)

OWN_TABLES_DDL = [
    f"""
    CREATE TABLE IF NOT EXISTS {SESSIONS} (
        session_digest text PRIMARY KEY,
        staff_id text NOT NULL,
        login text NOT NULL,
        name text NOT NULL,
        organisation text NOT NULL,
        roles text[] NOT NULL,
        csrf_token text NOT NULL,
        started_at timestamptz NOT NULL,
        last_seen timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
    )
    """,
    f"CREATE INDEX IF NOT EXISTS {SESSIONS}_staff ON {SESSIONS} (staff_id)",
    f"CREATE INDEX IF NOT EXISTS {SESSIONS}_expiry ON {SESSIONS} (expires_at)",
    f"""
    CREATE TABLE IF NOT EXISTS {DRAFTS} (
        draft_id uuid PRIMARY KEY,
        staff_id text NOT NULL,
        path_digest text NOT NULL,
        sealed text NOT NULL,
        saved_at timestamptz NOT NULL
    )
    """,
    f"CREATE INDEX IF NOT EXISTS {DRAFTS}_staff ON {DRAFTS} (staff_id, saved_at)",
]
