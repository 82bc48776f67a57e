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


def already_processed(datastore, table: str, keys: Iterable[tuple[str, int]]) -> set[tuple[str, int]]:
    """Those of the (origin instance, position) keys that the inbox already holds."""
    keys = list(keys)
    if not keys:
        return set()
    origins = [k[0] for k in keys]
    positions = [k[1] for k in keys]
    query = SQL(
        "SELECT i.origin_instance, i.position FROM {0} i "
        "JOIN unnest(%s::text[], %s::bigint[]) AS k(origin_instance, position) "
        "USING (origin_instance, position)"
    ).format(Identifier(table))
    with datastore.transaction(commit=False) as curs:
        curs.execute(query, (origins, positions))
        return {(row["origin_instance"], row["position"]) for row in curs.fetchall()}
