"""署名鍵の管理 — which key an instance's store says is in force, the check an instance makes before
it starts, and the recorded replacement of a key (`kasane audit rotate-key INSTANCE`).

A key is never replaced silently: the store keeps a `CheckpointLog.KeyRotated` event, chained and
covered by the next signed checkpoint, carrying the old and the new public key and either the
old key's signature over the new one or city IT's reason (the old key was lost).
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from kasane.audit.checkpoint import CheckpointLog
from kasane.audit.signing import endorse_rotation, public_key_hex
from kasane.errors import KasaneError
from kasane.store.trace import Trace


class SigningKeyMismatch(KasaneError):
    """The store's checkpoints were signed by another key than the one the instance was given."""


def key_in_force(app, instance: str) -> str | None:
    """The public key (hex) the store's checkpoints and rotations leave in force, or None."""
    try:
        return app.repository.get(CheckpointLog.create_id(instance)).public_key
    except AggregateNotFoundError:
        return None


def check_signing_key(app, instance: str, key, key_file) -> None:
    """Refuse to run with a key the store does not know (a lost var/keys, another checkout)."""
    stored, given = key_in_force(app, instance), public_key_hex(key)
    if stored is not None and stored != given:
        raise SigningKeyMismatch(
            f"{instance}: its store holds checkpoints signed by key {stored[:16]}…, not by the given "
            f"{key_file} ({given[:16]}…); put the old key file back, or record the new key with "
            f"`kasane audit rotate-key {instance} --reason TEXT`")


def rotate_key(app, instance: str, new_key, old_key=None, reason: str | None = None,
               rotated_by: str = "city-it") -> dict:
    """Record that `new_key` signs from now on; endorsed by `old_key`, else justified by `reason`."""
    log = _checkpoint_log(app, instance)
    new_public = public_key_hex(new_key)
    if log.public_key == new_public:
        raise KasaneError(f"{instance}: key {new_public[:16]}… is already in force; nothing to rotate")
    if old_key is not None and public_key_hex(old_key) != log.public_key:
        raise KasaneError(f"{instance}: the old key given is not the key in force ({(log.public_key or '')[:16]}…)")
    if old_key is None and not reason:
        raise KasaneError(f"{instance}: without the old key, city IT must give a reason (--reason TEXT)")
    rotated_at = datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")
    endorsement = endorse_rotation(old_key, instance, new_public, rotated_at) if old_key else None
    record: dict[str, Any] = {"old_public_key": log.public_key, "new_public_key": new_public, "rotated_at": rotated_at,
              "endorsement": endorsement, "reason": reason, "rotated_by": rotated_by}
    log.rotate_key(**record)
    app.save_traced(log, trace=Trace.for_command(actor={"instance": instance, "role": "city-it"}))
    return record


def _checkpoint_log(app, instance: str) -> CheckpointLog:
    try:
        log = app.repository.get(CheckpointLog.create_id(instance))
    except AggregateNotFoundError:
        log = None
    if log is None or log.public_key is None:
        raise KasaneError(f"{instance}: its store holds no signed checkpoint yet; any key may start it")
    return log
