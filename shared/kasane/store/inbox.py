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


def already_processed(datastore, table: str, keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], UUID]:
    """Those of the (origin instance, position) keys that the inbox already holds, with the event
    id each was taken under (a redelivery has the same id; anything else is a conflict)."""
    keys = list(keys)
    if not keys:
        return {}
    origins = [k[0] for k in keys]
    positions = [k[1] for k in keys]
    query = SQL(
        "SELECT i.origin_instance, i.position, i.event_id FROM {0} i "
        "JOIN unnest(%s::text[], %s::bigint[]) AS k(origin_instance, position) "
        "USING (origin_instance, position)"
    ).format(Identifier(table))
    with datastore.transaction(commit=False) as curs:
        curs.execute(query, (origins, positions))
        return {(row["origin_instance"], row["position"]): row["event_id"] for row in curs.fetchall()}


def heads_of(datastore, table: str, origins: Iterable[str]) -> dict[str, int]:
    """The highest position taken from each of these origins (absent: none taken yet)."""
    origins = sorted(set(origins))
    if not origins:
        return {}
    query = SQL(
        "SELECT o.origin_instance, (SELECT max(i.position) FROM {0} i "
        "WHERE i.origin_instance = o.origin_instance) AS head FROM unnest(%s::text[]) AS o(origin_instance)"
    ).format(Identifier(table))
    with datastore.transaction(commit=False) as curs:
        curs.execute(query, (origins,))
        return {row["origin_instance"]: row["head"] for row in curs.fetchall() if row["head"] is not None}
