"""チェックポイント — an instance periodically signs the head of its hash chain.

The signed checkpoint is itself recorded as an event of the instance's log (so the next
checkpoint covers it) and relayed as the integration event `audit.checkpoint_signed`, so that
the audit ledger holds the signed heads apart from the instance: whoever rewrites the log and
recomputes its chain cannot produce a matching signature for the heads already handed over.
"""
from __future__ import annotations

from datetime import datetime, timezone
from uuid import NAMESPACE_URL, uuid5

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import event
from psycopg.sql import SQL, Identifier

from kasane.audit.signing import ALGORITHM, public_key_hex, sign_checkpoint
from kasane.bus.envelope import Outgoing
from kasane.keyed import KeyedAggregate
from kasane.store.recorder import CHAIN_TABLE
from kasane.store.trace import Trace


class CheckpointLog(KeyedAggregate):
    """署名付きチェックポイントの記録 — the checkpoints this instance has signed."""

    KEY = "instance"
    NAMESPACE = uuid5(NAMESPACE_URL, "https://kasane.example/audit/checkpoint-log")

    @event("Started")
    def __init__(self, instance: str):
        self.instance = instance
        self.last_position = 0
        self.public_key: str | None = None  # the key in force: the last one that signed or was rotated to

    @event("CheckpointSigned")
    def record(self, instance: str, position: int, head_hash: str, signed_at: str, algorithm: str,
               public_key: str, signature: str) -> None:
        self.last_position = position
        self.public_key = public_key

    @event("Resealed")
    def record_reseal(self, instance: str, up_to: int, old_head_hash: str, new_head_hash: str,
                      signed_at: str, public_key: str, signature: str) -> None:
        """移行の記録 — the history up to `up_to` was moved into a sealed store: the old chain's head
        and the new one's, signed by the instance (kasane.transfer.reseal; checked by
        kasane.audit.reseals). The checkpoints before it attest the old chain."""

    @event("KeyRotated")
    def rotate_key(self, old_public_key: str | None, new_public_key: str, rotated_at: str,
                   endorsement: str | None, reason: str | None, rotated_by: str) -> None:
        """鍵の更新 — from now on the new key signs; the old key's endorsement, or city IT's reason
        when the old key is lost, says why the auditors may follow."""
        self.public_key = new_public_key


def chain_head(app) -> tuple[int, str] | None:
    query = SQL("SELECT notification_id, hash FROM {0} ORDER BY notification_id DESC LIMIT 1").format(
        Identifier(CHAIN_TABLE))
    with app.recorder.datastore.transaction(commit=False) as curs:
        curs.execute(query)
        row = curs.fetchone()
    return (row["notification_id"], bytes(row["hash"]).hex()) if row else None


def checkpoint_once(app, key, instance: str) -> int | None:
    """Sign the chain head if anything but the last checkpoint was recorded since; returns the
    position signed, or None."""
    head = chain_head(app)
    try:
        log = app.repository.get(CheckpointLog.create_id(instance))
        # Only the previous checkpoint's own event since it was signed: nothing new to sign.
        nothing_new = head is None or head[0] <= log.last_position + 1
    except AggregateNotFoundError:
        log, nothing_new = CheckpointLog(instance=instance), head is None
    if nothing_new or head is None:
        return None
    position, head_hash = head
    signed_at = datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")
    log.record(instance=instance, position=position, head_hash=head_hash, signed_at=signed_at, algorithm=ALGORITHM,
               public_key=public_key_hex(key),
               signature=sign_checkpoint(key, instance, position, head_hash, signed_at))
    app.save_traced(log, trace=Trace.for_command(actor={"instance": instance, "role": "checkpointer"}))
    return position


def checkpoint_signed(e) -> Outgoing:
    return Outgoing(type="audit.checkpoint_signed", version=1, household_id=None, payload={
        "instance": e.instance, "position": e.position, "head_hash": e.head_hash,
        "signed_at": e.signed_at, "algorithm": e.algorithm, "public_key": e.public_key,
        "signature": e.signature})
