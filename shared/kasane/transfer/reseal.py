"""移行 — a store written before personal parts were sealed, moved into a new store where they are.

An append-only store cannot be rewritten in place, and its plain personal parts cannot be made
unreadable by destroying keys: so the instance's history is copied, row by row, into a new store
(same positions, originators, versions and topics; each plain personal part sealed under the
instance's own key store; a row already sealed is copied as it is), with its inbox and relay
position, so that nothing is processed or published twice after the move. Nothing is recorded
anew. The copy is proven event by event (every row opens to the same state on both sides), then
bridged: the instance signs a `CheckpointLog.Resealed` record binding the old chain's head to the
new chain's at the same position (kasane.audit.reseals checks it), and signs the new head. Only
then is the new store put in the old one's place and the plain one dropped.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterator

import psycopg
from eventsourcing.persistence import StoredEvent
from psycopg import sql

from kasane.audit.verify import auditor_connection, verify_instance
from kasane.config import DatabaseSettings, InstanceSettings
from kasane.errors import KasaneError
from kasane.privacy.provision import create_key_store, drop_key_store, key_store_exists, open_key_store
from kasane.privacy.sealing import SEALED, SealingMapper, holder_of
from kasane.store.provision import admin_connection, provision_instance
from kasane.store.recorder import EVENTS_TABLE, INBOX_TABLE, RELAY_TABLE
from kasane.transfer.archive_copy import COLUMNS, ChainHead, chain_head, follow_sequence

NEW_SUFFIX = "_new"
BATCH = 5_000
_ROLES = (DatabaseSettings.owner_role_for, DatabaseSettings.service_role_for, DatabaseSettings.auditor_role_for)


class ResealRefused(KasaneError):
    """The store cannot be resealed as it is (it does not verify, or the copy differs)."""


@dataclass(frozen=True)
class Resealed:
    instance: str
    old_head: ChainHead
    new_head: ChainHead
    plain_rows: int  # rows whose personal part was sealed by the move


def resealed_settings(source: InstanceSettings) -> InstanceSettings:
    """Where the new store is made before it takes the old one's place."""
    return replace(source, database=replace(source.database, prefix=source.database.prefix + NEW_SUFFIX),
                   sealing=False)  # its own key store is never used: the instance's is


def reseal_copy(source: InstanceSettings, mapper: SealingMapper,
                progress: Callable[[int, int], None] = lambda done, total: None) -> tuple[ChainHead, ChainHead, int]:
    """Copy every row not yet in the new store, sealing plain personal parts; then the inbox and
    the relay positions. Returns both chain heads and the number of rows sealed by the move."""
    target = resealed_settings(source)
    provision_instance(target)
    db, name = target.database, target.database.database_for(source.instance)
    sealed_here = 0
    with auditor_connection(source) as src, admin_connection(db, name) as dst:
        dst.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(db.owner_role_for(source.instance))))
        total = chain_head(src).events
        for batch in _batches(src, dst):
            rows = [_resealed(row, mapper) for row in batch]
            sealed_here += sum(1 for _, plain in rows if plain)
            with dst.transaction(), dst.cursor().copy(f"COPY {EVENTS_TABLE} ({COLUMNS}) FROM STDIN") as into:
                for row, _ in rows:
                    into.write_row(row)
            progress(batch[-1][0] if batch else 0, total)
        _copy_side_tables(source, src, dst)
        follow_sequence(dst)
        return chain_head(src), chain_head(dst), sealed_here


def _batches(src: psycopg.Connection, dst: psycopg.Connection) -> Iterator[list]:
    while True:
        after = (dst.execute(f"SELECT coalesce(max(notification_id), 0) FROM {EVENTS_TABLE}").fetchone() or (0,))[0]
        batch = src.cursor(binary=True).execute(
            f"SELECT {COLUMNS} FROM {EVENTS_TABLE} WHERE notification_id > %s "
            "ORDER BY notification_id LIMIT %s", (after, BATCH)).fetchall()
        if not batch:
            return
        yield batch


def _resealed(row: tuple, mapper: SealingMapper) -> tuple[tuple, bool]:
    """The row with its personal part sealed, and whether it was plain before."""
    position, originator_id, version, topic, state = row
    stored = StoredEvent(originator_id, version, topic, bytes(state))
    if not _plain_personal(mapper.transcoder.decode(stored.state)):
        return (position, originator_id, version, topic, bytes(state)), False
    again = mapper.to_stored_event(mapper.to_domain_event(stored))
    return (position, originator_id, version, topic, again.state), True


def _plain_personal(state: dict) -> bool:
    holder = holder_of(state)  # the event's personal part, or a ledger envelope's
    return holder is not None and SEALED not in holder["personal"]


def _copy_side_tables(source: InstanceSettings, src: psycopg.Connection, dst: psycopg.Connection) -> None:
    """What the instance processed (inbox) and how far it published (relay), carried over."""
    db = source.database
    with admin_connection(db, db.database_for(source.instance)) as admin:  # the auditor may not read the relay
        relays = admin.execute(f"SELECT relay, position FROM {RELAY_TABLE}").fetchall()
    inbox = src.execute(f"SELECT origin_instance, position, event_id, event_type, processed_at FROM {INBOX_TABLE}").fetchall()
    done = {(r[0], r[1]) for r in dst.execute(f"SELECT origin_instance, position FROM {INBOX_TABLE}")}
    with dst.transaction():
        with dst.cursor().copy(f"COPY {INBOX_TABLE} (origin_instance, position, event_id, event_type, "
                               "processed_at) FROM STDIN") as into:
            for row in inbox:
                if (row[0], row[1]) not in done:
                    into.write_row(row)
        for relay, position in relays:
            dst.execute("SELECT kasane_move_relay(%s, %s)", (relay, position))


def prove_resealed(source: InstanceSettings, mapper: SealingMapper) -> int:
    """Every row of the new store opens to the same event as the old row; returns the rows compared."""
    target = resealed_settings(source)
    compared = 0
    with auditor_connection(source) as old, auditor_connection(target) as new:
        query = f"SELECT {COLUMNS} FROM {EVENTS_TABLE} ORDER BY notification_id"
        for before, after in zip(old.cursor(binary=True).stream(query), new.cursor(binary=True).stream(query)):
            if before[:4] != after[:4] or _opened(before, mapper) != _opened(after, mapper):
                raise ResealRefused(f"{source.instance}: position {before[0]} differs in the new store; "
                                    "the old store is kept")
            compared += 1
    return compared


def _opened(row: tuple, mapper: SealingMapper) -> dict:
    return dict(vars(mapper.to_domain_event(StoredEvent(row[1], row[2], row[3], bytes(row[4])))))


def reseal_mapper(source: InstanceSettings) -> SealingMapper:
    from kasane.store.application import KasaneApplication

    return SealingMapper(KasaneApplication().mapper.transcoder, keys=open_key_store(source))


def check_before(source: InstanceSettings, public_key: str | None) -> None:
    """Never launder a store that does not verify into a new chain. A store written before
    sealing has no key store yet: it gets one; a store that sealed before and has none lost it."""
    if not key_store_exists(source):
        if _holds_sealed(source):
            raise ResealRefused(f"{source.instance}: its key store is lost; restore it or record the loss "
                                f"(`kasane keys record-loss {source.instance}`) before moving it")
        create_key_store(source)
    verdict = verify_instance(source, public_key)
    if not verdict.holds:
        kinds = ", ".join(sorted({f.kind for f in verdict.faults}))
        raise ResealRefused(f"{source.instance}: the store does not verify ({kinds}); it is not moved")


def _holds_sealed(source: InstanceSettings) -> bool:
    with auditor_connection(source) as conn:
        marker = f'"{SEALED}"'.encode()
        return conn.execute(f"SELECT 1 FROM {EVENTS_TABLE} WHERE position(%s in state) > 0 LIMIT 1",
                            (marker,)).fetchone() is not None


def put_in_place(source: InstanceSettings) -> None:
    """The new store (proven and bridged) takes the old one's name and roles; the old one goes."""
    db, new = source.database, resealed_settings(source).database
    instance = source.instance
    names = [(new.database_for(instance), db.database_for(instance))]
    roles = [(role(new, instance), role(db, instance)) for role in _ROLES]
    with admin_connection(db) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(names[0][1])))
        for _, old_role in roles:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(old_role)))
        conn.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(*map(sql.Identifier, names[0])))
        for new_role, old_role in roles:
            conn.execute(sql.SQL("ALTER ROLE {} RENAME TO {}").format(sql.Identifier(new_role), sql.Identifier(old_role)))
    drop_key_store(new, instance)  # made by provisioning, never used



def reseal_instance(source: InstanceSettings, key, progress: Callable[[int, int], None] = lambda d, t: None
                    ) -> Resealed:
    """移行: check, close, copy sealing, prove, bridge, put in place — or leave the old store as it was."""
    from kasane.audit.signing import public_key_hex
    from kasane.transfer.bridge import bridge
    from kasane.transfer.exit import close_to_writers

    check_before(source, public_key_hex(key))
    close_to_writers(source)
    mapper = reseal_mapper(source)
    try:
        old, new, plain = reseal_copy(source, mapper, progress)
        if (old.events, old.position) != (new.events, new.position):
            raise ResealRefused(f"{source.instance}: the new store holds {new.events} events, the old "
                                f"{old.events}; the old store is kept")
        prove_resealed(source, mapper)
    finally:
        mapper.sealer.keys.close()  # type: ignore[attr-defined]
    bridge(resealed_settings(source), key, source.instance, old, new)
    put_in_place(source)
    return Resealed(source.instance, old, new, plain)
