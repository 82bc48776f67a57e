"""受信記録 — the inbox: which integration events this instance has already processed.

An entry is keyed by (origin instance, position in the origin's log) and is written in the same
transaction as the events its processing caused (see recorder.KasaneRecorder), so a message
delivered twice is recognised and causes nothing the second time.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable
from uuid import UUID

from psycopg.sql import SQL, Identifier


@dataclass(frozen=True)
class InboxEntry:
    origin_instance: str
    position: int
    event_id: UUID
    event_type: str


def inbox_state_statement(table: str, keys: Iterable[tuple[str, int]]) -> tuple:
    """The statement (and its parameters) reading the inbox's state for these (origin instance,
    position) keys in one round trip; `inbox_state_of` reads its rows. A consumer sends it
    together with its batch's aggregate reads (UnitOfWork.prefetch)."""
    keys = list(keys)
    query = SQL(
        "WITH k AS (SELECT * FROM unnest(%s::text[], %s::bigint[]) AS k(origin_instance, position)) "
        "SELECT i.origin_instance, i.position, i.event_id, NULL::bigint AS head "
        "FROM {0} i JOIN k USING (origin_instance, position) "
        "UNION ALL SELECT o.origin_instance, NULL, NULL, (SELECT max(i.position) FROM {0} i "
        "WHERE i.origin_instance = o.origin_instance) FROM (SELECT DISTINCT origin_instance FROM k) o"
    ).format(Identifier(table))
    return query, ([k[0] for k in keys], [k[1] for k in keys])


def inbox_state_of(rows: list[dict]) -> tuple[dict[tuple[str, int], UUID], dict[str, int]]:
    """Those of the keys that the inbox already holds, with the event id each was taken under (a
    redelivery has the same id; anything else is a conflict); and the highest position taken
    from each of their origins (absent: none)."""
    done = {(r["origin_instance"], r["position"]): r["event_id"] for r in rows if r["event_id"] is not None}
    heads = {r["origin_instance"]: r["head"] for r in rows if r["event_id"] is None and r["head"] is not None}
    return done, heads
