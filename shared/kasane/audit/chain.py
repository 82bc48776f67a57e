"""ハッシュチェーン — recomputing an instance's hash chain and locating what is wrong.

The same bytes as the store's trigger (kasane.store.recorder.CHAIN_DDL):
hash_n = SHA-256(hash_{n-1} || int64 n || uuid || int64 version || int32 len(topic) || topic || state).
"""
from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from typing import Iterable, NamedTuple
from uuid import UUID

GENESIS = bytes(32)
_INT64, _INT32 = struct.Struct(">q"), struct.Struct(">i")

ALTERED, REMOVED, REORDERED, INSERTED = "altered", "removed", "reordered", "inserted"
CHAIN_BROKEN, SIGNATURE_INVALID, CHECKPOINT_MISSING = "chain_broken", "signature_invalid", "checkpoint_missing"
CHECKPOINT_MISMATCH = "checkpoint_mismatch"


class StoredRow(NamedTuple):
    notification_id: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes


class ChainLink(NamedTuple):
    notification_id: int
    prev_hash: bytes
    hash: bytes


@dataclass(frozen=True)
class Fault:
    """What is wrong, where: the instance, the position in its log and the kind of fault."""

    instance: str
    position: int
    kind: str
    detail: str = ""

    def as_dict(self) -> dict:
        return {"instance": self.instance, "position": self.position, "kind": self.kind,
                "detail": self.detail}


_sha256, _pack64, _pack32 = hashlib.sha256, _INT64.pack, _INT32.pack


def link_hash(prev: bytes, row: StoredRow, position: int | None = None) -> bytes:
    topic = row.topic.encode("utf-8")
    return _sha256(b"".join((
        prev, _pack64(row.notification_id if position is None else position),
        row.originator_id.bytes, _pack64(row.originator_version), _pack32(len(topic)),
        topic, row.state))).digest()


@dataclass
class ChainReport:
    instance: str
    events: int
    head_position: int
    head_hash: bytes
    faults: list
    hashes: dict  # position -> chained hash, for checking signed checkpoints


def verify_chain(instance: str, rows: Iterable[StoredRow], links: Iterable[ChainLink]) -> ChainReport:
    """Recompute the chain over the stored events; every disagreement becomes a Fault."""
    rows, links = list(rows), list(links)
    if _intact(rows, links):  # the common case, checked in one pass without building indexes
        head = links[-1] if links else None
        return ChainReport(instance, len(rows), head.notification_id if head else 0,
                           head.hash if head else GENESIS, [],
                           {link.notification_id: link.hash for link in links})
    events = {row.notification_id: row for row in rows}
    chain = {link.notification_id: link for link in links}
    faults, mismatched, expected_prev = [], [], GENESIS
    for position in sorted(events.keys() | chain.keys()):
        row, link = events.get(position), chain.get(position)
        if link is None:
            faults.append(Fault(instance, position, INSERTED, "stored event outside the hash chain"))
            continue
        if link.prev_hash != expected_prev:
            faults.append(Fault(instance, position, CHAIN_BROKEN, "link does not follow its predecessor"))
        expected_prev = link.hash
        if row is None:
            faults.append(Fault(instance, position, REMOVED, "chained event no longer stored"))
        elif link_hash(link.prev_hash, row) != link.hash:
            mismatched.append(position)
    faults += _classify_mismatches(instance, mismatched, events, chain)
    top = max(chain) if chain else 0
    return ChainReport(instance, len(events), top, chain[top].hash if chain else GENESIS,
                       sorted(faults, key=lambda f: (f.position, f.kind)),
                       {p: link.hash for p, link in chain.items()})


def _intact(rows: list[StoredRow], links: list[ChainLink]) -> bool:
    if len(rows) != len(links):
        return False
    expected_prev = GENESIS
    for row, link in zip(rows, links):
        if row.notification_id != link.notification_id or link.prev_hash != expected_prev \
                or link_hash(expected_prev, row) != link.hash:
            return False
        expected_prev = link.hash
    return True


def _classify_mismatches(instance, mismatched, events, chain) -> list[Fault]:
    """Two mismatches whose contents fit each other's links were swapped; the rest were altered."""
    faults, paired = [], set()
    for n in mismatched:
        for m in mismatched:
            if n < m and n not in paired and m not in paired and \
                    link_hash(chain[m].prev_hash, events[n], m) == chain[m].hash and \
                    link_hash(chain[n].prev_hash, events[m], n) == chain[n].hash:
                paired |= {n, m}
                faults.append(Fault(instance, n, REORDERED, f"swapped with position {m}"))
                faults.append(Fault(instance, m, REORDERED, f"swapped with position {n}"))
    faults += [Fault(instance, n, ALTERED, "content differs from its chained hash")
               for n in mismatched if n not in paired]
    return faults
