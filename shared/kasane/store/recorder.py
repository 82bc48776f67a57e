"""The event store's recorder: eventsourcing's PostgreSQL recorder made append-only,
with the inbox and the relay position beside the events in the same database.

Four changes to the library's recorder, each for a stated reason:
- writers serialise on a transaction-scoped advisory lock instead of `LOCK TABLE … IN
  EXCLUSIVE MODE`, because PostgreSQL grants that table lock only to roles holding UPDATE,
  DELETE or TRUNCATE — the very rights the service role must not have. Every insert still
  goes through this recorder, so notification order still equals commit order.
- triggers refuse UPDATE, DELETE and TRUNCATE on the events, the chain and the inbox, even for
  the schema owner; the relay position only moves forward, through `kasane_move_relay`. The
  owner role cannot log in (provisioning acts as the administrator and `SET ROLE`s to it), so
  no role that logs in may disable a trigger; a superuser still can: that is what tamper
  evidence is for.
- a trigger chains every stored event to its predecessor by SHA-256 (see CHAIN_DDL);
- no NOTIFY on insert (see `_notify_channel`);
- a save's BEGIN, statements and COMMIT go in one round trip (see `insert_events`), its events
  sent as four arrays rather than one of a composite type (see `_insert_stored_events`).
- `save(..., inbox=[...])` writes the processed (origin instance, position) pairs in the
  same transaction as the events they caused: a redelivered message then causes nothing twice.
"""
from __future__ import annotations

from typing import Any, Sequence

from eventsourcing.persistence import InterfaceError, Notification, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import retry
from psycopg.sql import SQL, Composed, Identifier

from kasane.store import pipelines  # noqa: F401  (every pipeline sends everything before it waits)
from kasane.store.inbox import InboxEntry

EVENTS_TABLE = "kasane_events"
INBOX_TABLE = "kasane_inbox"
RELAY_TABLE = "kasane_relay"
CHAIN_TABLE = "kasane_chain"
# Any constant works: it only has to be the same for every writer of this database.
WRITER_LOCK_KEY = 0x6B6173616E65  # "kasane"
BEGIN, COMMIT = SQL("BEGIN"), SQL("COMMIT")


def refusing(table: str, changes: str = "UPDATE OR DELETE") -> list[str]:
    """The triggers that refuse `changes` and TRUNCATE on `table`, even for its owner."""
    return [f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}",
            f"CREATE TRIGGER {table}_no_change BEFORE {changes} ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION kasane_refuse_change()",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION kasane_refuse_change()"]


APPEND_ONLY_DDL = [
    """
    CREATE OR REPLACE FUNCTION kasane_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'kasane: % on % refused: the store is append-only', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$
    """,
    *[stmt for table in (EVENTS_TABLE, INBOX_TABLE, CHAIN_TABLE) for stmt in refusing(table)],
]

# 改ざん検知 — each stored event is bound to its predecessor: hash_n = SHA-256(hash_{n-1} ||
# notification id || originator id || version || topic length || topic || state), computed by a
# trigger inside the inserting transaction, under the writers' lock, so the chain follows
# notification order. The function runs as the schema owner: the service role can read the
# chain but not write it. kasane.audit.chain recomputes the same bytes to verify.
CHAIN_DDL = [
    f"""
    CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} (
        notification_id bigint PRIMARY KEY,
        prev_hash bytea NOT NULL,
        hash bytea NOT NULL,
        chained_at timestamptz NOT NULL DEFAULT clock_timestamp()
    )
    """,
    f"""
    CREATE OR REPLACE FUNCTION kasane_chain_event() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
    DECLARE
        prev bytea;
        topic bytea := convert_to(NEW.topic, 'UTF8');
    BEGIN
        SELECT c.hash INTO prev FROM {CHAIN_TABLE} c ORDER BY c.notification_id DESC LIMIT 1;
        prev := coalesce(prev, decode(repeat('00', 32), 'hex'));
        INSERT INTO {CHAIN_TABLE} (notification_id, prev_hash, hash) VALUES (
            NEW.notification_id, prev,
            sha256(prev || int8send(NEW.notification_id) || uuid_send(NEW.originator_id)
                   || int8send(NEW.originator_version) || int4send(octet_length(topic))
                   || topic || NEW.state));
        RETURN NULL;
    END;
    $$
    """,
    f"DROP TRIGGER IF EXISTS {EVENTS_TABLE}_chain ON {EVENTS_TABLE}",
    f"CREATE TRIGGER {EVENTS_TABLE}_chain AFTER INSERT ON {EVENTS_TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION kasane_chain_event()",
]

# The relay position: the service role may SELECT it and move it forward through this function
# (running as the schema owner), never UPDATE, DELETE or TRUNCATE the table itself.
RELAY_DDL = [
    f"""
    CREATE OR REPLACE FUNCTION kasane_move_relay(relay_name text, new_position bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
    BEGIN
        INSERT INTO {RELAY_TABLE} AS r (relay, position) VALUES (relay_name, new_position)
        ON CONFLICT (relay) DO UPDATE SET position = EXCLUDED.position, updated_at = clock_timestamp()
        WHERE r.position <= EXCLUDED.position;
    END;
    $$
    """,
    "REVOKE ALL ON FUNCTION kasane_move_relay(text, bigint) FROM PUBLIC",
    *refusing(RELAY_TABLE, "DELETE"),
]

SIDE_TABLES_DDL = [
    f"""
    CREATE TABLE IF NOT EXISTS {INBOX_TABLE} (
        origin_instance text NOT NULL,
        position bigint NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (origin_instance, position)
    )
    """,
    f"""
    CREATE TABLE IF NOT EXISTS {RELAY_TABLE} (
        relay text PRIMARY KEY,
        position bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
    )
    """,
]


class KasaneRecorder(PostgresApplicationRecorder):
    """Application recorder for one service instance's event store (イベントストア)."""

    def __init__(self, datastore, *, events_table_name: str = EVENTS_TABLE):
        super().__init__(datastore, events_table_name=events_table_name)
        # The lock timeout and the writers' lock in one statement (one round trip, not two): the
        # subquery's volatile set_config runs before the lock is waited for.
        self.lock_table_statements = [SQL(
            "SELECT pg_advisory_xact_lock({0}) FROM (SELECT set_config('lock_timeout', '{1}s', true)) AS t"
        ).format(WRITER_LOCK_KEY, self.datastore.lock_timeout)]
        for ddl in SIDE_TABLES_DDL + CHAIN_DDL + APPEND_ONLY_DDL + RELAY_DDL:
            self.sql_create_statements.append(Composed([SQL(ddl)]))
        self.insert_columns_statement = SQL(
            "INSERT INTO {0}.{1} (originator_id, originator_version, topic, state) "
            "SELECT * FROM unnest(%b::{2}[], %b::bigint[], %b::text[], %b::bytea[]) RETURNING notification_id"
        ).format(Identifier(self.datastore.schema), Identifier(self.events_table_name),
                 SQL(self.datastore.originator_id_type))
        # One statement for a whole batch's entries (unnest), not one per entry.
        self.insert_inbox_statement = SQL(
            "INSERT INTO {0} (origin_instance, position, event_id, event_type) "
            "SELECT * FROM unnest(%s::text[], %s::bigint[], %s::uuid[], %s::text[])"
        ).format(Identifier(INBOX_TABLE))

    def events_of_statement(self, originator_ids: Sequence) -> tuple:
        """The statement (and its parameters) reading the stored events of many aggregates in one
        round trip (a consumer's batch reads them together, UnitOfWork.prefetch, rather than one
        query per message); `events_by_originator` reads its rows."""
        return SQL("SELECT * FROM {0}.{1} WHERE originator_id = ANY(%s) "
                   "ORDER BY originator_id, originator_version").format(
            Identifier(self.datastore.schema), Identifier(self.events_table_name)), (list(originator_ids),)

    def notifications_after_statement(self, position: int, limit: int) -> tuple:
        """The statement (and its parameters) reading one page of the log after `position`, for a
        caller that sends it in a round trip of its own making (the inbox consumer's batch reads
        the log after the views with its aggregates); `notifications_of` reads its rows."""
        return SQL("SELECT notification_id, originator_id, originator_version, topic, state FROM {0}.{1} "
                   "WHERE notification_id > %s ORDER BY notification_id LIMIT %s").format(
            Identifier(self.datastore.schema), Identifier(self.events_table_name)), (position, limit)

    def _notify_channel(self, curs) -> None:
        """No NOTIFY: nobody LISTENs (the relay is woken in-process), and NOTIFY serialises commits."""

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        """eventsourcing's insert in one round trip where it takes three: BEGIN, the statements and
        the COMMIT leave together and are answered after one sync. psycopg's `transaction()`
        inside a pipeline syncs on entering (a round trip for the BEGIN alone), so the
        transaction is written out here. A failed statement — a write conflict's unique violation
        — is raised as the same IntegrityError when the pipeline syncs, nothing committed; the
        pool's connection context rolls the failed transaction back as the error leaves it
        (tests/integration/test_event_store.py). The notification ids are read once committed."""
        with self.datastore.get_connection() as conn:
            events = conn.cursor()
            try:
                with conn.pipeline():
                    conn.execute(BEGIN)
                    with conn.cursor() as curs:
                        self._insert_events(curs, stored_events, **kwargs)
                    if stored_events:
                        self._insert_stored_events(events, stored_events, **kwargs)
                    conn.execute(COMMIT)
                return self._fetch_ids_after_insert_events(events, stored_events) if stored_events else None
            finally:
                events.close()

    def _insert_stored_events(self, curs, stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        """eventsourcing's: the writers' lock, then the events — as four arrays in binary, where
        eventsourcing sends one array of a composite type, which psycopg dumps field by field in
        Python (a tenth of a consumer's CPU draining a backlog)."""
        self._lock_table(curs)
        curs.execute(self.insert_columns_statement, (
            [e.originator_id for e in stored_events], [e.originator_version for e in stored_events],
            [e.topic for e in stored_events], [e.state for e in stored_events]))

    def _insert_events(self, curs, stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        entries: Sequence[InboxEntry] = kwargs.get("inbox") or ()
        if entries:
            curs.execute(self.insert_inbox_statement, (
                [e.origin_instance for e in entries], [e.position for e in entries],
                [e.event_id for e in entries], [e.event_type for e in entries]))
        super()._insert_events(curs, stored_events, **kwargs)


def notifications_of(rows: list[dict]) -> list[Notification]:
    """Rows of notifications_after_statement as notifications, as select_notifications gives them."""
    return [Notification(id=row["notification_id"], originator_id=row["originator_id"],
                         originator_version=row["originator_version"], topic=row["topic"],
                         state=bytes(row["state"])) for row in rows]


def events_by_originator(rows: list[dict]) -> dict:
    """Rows of events_of_statement as originator id -> its stored events in order."""
    found: dict = {}
    for row in rows:
        found.setdefault(row["originator_id"], []).append(StoredEvent(
            originator_id=row["originator_id"], originator_version=row["originator_version"],
            topic=row["topic"], state=bytes(row["state"])))
    return found
