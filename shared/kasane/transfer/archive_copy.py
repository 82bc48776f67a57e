"""返還 — an instance's whole event history copied into the city's archive store, byte for byte.

The archive copy of an instance is a store of the same schema under the deployment's prefix with
`_arc` added (`<prefix>_arc_<instance>`), provisioned like any instance: append-only, chained by
the same trigger, with its own roles. Rows keep their notification ids, originator ids, versions,
topics and (sealed) states, so the archive's trigger recomputes the very same hash chain and the
instance's signed checkpoints hold there too: that is the proof that the copy is complete.

Copied with PostgreSQL's binary COPY, in batches that each commit: an interrupted copy resumes
after the archive's last row. Read with the source's auditor role (SELECT only).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

import psycopg
from psycopg import sql

from kasane.audit.verify import auditor_connection
from kasane.config import InstanceSettings
from kasane.store.provision import admin_connection, provision_instance
from kasane.store.recorder import CHAIN_TABLE, EVENTS_TABLE

ARCHIVE_SUFFIX = "_arc"
BATCH = 50_000
COLUMNS = "notification_id, originator_id, originator_version, topic, state"
MAX_IDENTIFIER = 63  # PostgreSQL cuts longer names silently: two archives could then collide


def archive_settings(source: InstanceSettings) -> InstanceSettings:
    """The settings of `source`'s archive copy: the same instance, under the archive's prefix."""
    database = replace(source.database, prefix=source.database.prefix + ARCHIVE_SUFFIX)
    archived = replace(source, database=database)
    longest = database.auditor_role_for(source.instance)
    if len(longest) > MAX_IDENTIFIER:
        raise ValueError(f"{source.instance}: the archive's role name {longest} is longer than "
                         f"PostgreSQL's {MAX_IDENTIFIER} characters; shorten KASANE_DB_PREFIX")
    return archived


@dataclass(frozen=True)
class ChainHead:
    """How far a store's chain goes, and its hash there."""

    events: int
    position: int
    hash: str


def chain_head(conn: psycopg.Connection) -> ChainHead:
    count = conn.execute(f"SELECT count(*) FROM {EVENTS_TABLE}").fetchone()
    row = conn.execute(f"SELECT notification_id, hash FROM {CHAIN_TABLE} "
                       "ORDER BY notification_id DESC LIMIT 1").fetchone()
    events = count[0] if count else 0
    return ChainHead(events, row[0], bytes(row[1]).hex()) if row else ChainHead(events, 0, "00" * 32)


def copy_history(source: InstanceSettings, progress: Callable[[int, int], None] = lambda done, total: None
                 ) -> tuple[ChainHead, ChainHead]:
    """Copy every stored event of `source` not yet in its archive; returns both chain heads."""
    archive = archive_settings(source)
    provision_instance(archive)
    db = archive.database
    with auditor_connection(source) as src, admin_connection(db, db.database_for(source.instance)) as dst:
        dst.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(db.owner_role_for(source.instance))))
        total = chain_head(src).events
        while (done := _copy_batch(src, dst)) is not None:
            progress(done, total)
        follow_sequence(dst)
        return chain_head(src), chain_head(dst)


def _copy_batch(src: psycopg.Connection, dst: psycopg.Connection) -> int | None:
    """One batch after the archive's last row, committed; the rows now archived, or None at the end."""
    after = int((dst.execute(f"SELECT coalesce(max(notification_id), 0) FROM {EVENTS_TABLE}").fetchone()
                 or (0,))[0])
    last = src.execute(f"SELECT max(notification_id) FROM (SELECT notification_id FROM {EVENTS_TABLE} "
                       "WHERE notification_id > %s ORDER BY notification_id LIMIT %s) b",
                       (after, BATCH)).fetchone()
    if not last or last[0] is None:
        return None
    # COPY takes no parameters: both bounds are integers read from the databases above.
    select = (f"COPY (SELECT {COLUMNS} FROM {EVENTS_TABLE} WHERE notification_id > {after} "
              f"AND notification_id <= {int(last[0])} ORDER BY notification_id) TO STDOUT (FORMAT BINARY)")
    with dst.transaction():
        with src.cursor().copy(select) as out, dst.cursor().copy(
                f"COPY {EVENTS_TABLE} ({COLUMNS}) FROM STDIN (FORMAT BINARY)") as into:
            for block in out:
                into.write(block)
    counted = dst.execute(f"SELECT count(*) FROM {EVENTS_TABLE}").fetchone()
    return int(counted[0]) if counted else 0


def follow_sequence(dst: psycopg.Connection) -> None:
    """Explicit ids leave the sequence behind: an archive that is ever written to goes on after them."""
    dst.execute(f"SELECT setval(pg_get_serial_sequence('{EVENTS_TABLE}', 'notification_id'), "
                f"greatest(coalesce(max(notification_id), 0), 1)) FROM {EVENTS_TABLE}")
