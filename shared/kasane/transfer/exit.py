"""委託終了時の返還・廃棄 — a contractor's exit, one instance at a time (DOMAIN.md §10).

1. The instance is closed to writers: its service role may no longer log in, its sessions end.
2. Its whole history is copied into the city's archive store (`archive_copy`).
3. The copy is proven complete: the same chain head (count, position, hash) on both sides, and
   the instance's signed checkpoints verified against the archive's recomputed chain.
4. Its data keys are re-wrapped for the archive and then destroyed at the contractor, so the
   contractor's store keeps its chain (still verifiable) but no readable personal detail.
Only after step 3 holds does step 4 run: a copy that cannot be proven destroys nothing.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Callable

from psycopg import sql

from kasane.audit.verify import verify_instance
from kasane.config import InstanceSettings
from kasane.errors import KasaneError
from kasane.transfer.archive_copy import ChainHead, archive_settings, copy_history
from kasane.store.provision import admin_connection


class CopyNotProven(KasaneError):
    """The archive's copy does not match the instance's history: nothing was destroyed."""


@dataclass(frozen=True)
class InstanceExit:
    """What the 情報管理台帳 keeps of one instance's exit: no personal detail, only proof."""

    instance: str
    archive_database: str
    head: ChainHead
    checkpoints: int
    keys_moved: int
    keys_destroyed: int

    def as_dict(self) -> dict:
        return {"instance": self.instance, "archive_database": self.archive_database,
                **{f"head_{k}": v for k, v in asdict(self.head).items()},
                "checkpoints": self.checkpoints, "keys_moved": self.keys_moved,
                "keys_destroyed": self.keys_destroyed}


def close_to_writers(source: InstanceSettings) -> None:
    """The contractor's service role may no longer log in, and its open sessions are ended."""
    db = source.database
    service = db.service_role_for(source.instance)
    with admin_connection(db) as conn:
        conn.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(service)))
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
                     (service,))


def prove_copy(source: InstanceSettings, heads: tuple[ChainHead, ChainHead],
               public_key: str | None) -> int:
    """Raise unless the archive holds the same chain and the instance's signatures hold on it;
    returns the number of signed checkpoints verified."""
    source_head, archive_head = heads
    if source_head != archive_head:
        raise CopyNotProven(f"{source.instance}: the archive holds {archive_head.events} events up to "
                            f"{archive_head.position}, the instance {source_head.events} up to "
                            f"{source_head.position}; nothing was destroyed")
    verdict = verify_instance(archive_settings(source), public_key)
    if not verdict.holds:
        kinds = sorted({f.kind for f in verdict.faults})
        raise CopyNotProven(f"{source.instance}: the archive's copy does not verify ({', '.join(kinds)}); "
                            "nothing was destroyed")
    return verdict.checkpoints


KeyMover = Callable[[InstanceSettings, InstanceSettings], tuple[int, int]]


def offboard_instance(source: InstanceSettings, public_key: str | None, move_keys: KeyMover,
                      progress: Callable[[int, int], None] = lambda done, total: None) -> InstanceExit:
    """Close, copy, prove, then move the keys to the archive and destroy them at the contractor."""
    close_to_writers(source)
    heads = copy_history(source, progress)
    checkpoints = prove_copy(source, heads, public_key)
    archive = archive_settings(source)
    moved, destroyed = move_keys(source, archive)
    return InstanceExit(source.instance, archive.database.database_for(source.instance), heads[1],
                        checkpoints, moved, destroyed)
