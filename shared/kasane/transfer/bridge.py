"""移行の橋渡し — the new store's record that binds the old chain's head to the new chain's head at
the same position, signed by the instance's own key, then a checkpoint over the new head."""
from __future__ import annotations

from datetime import datetime, timezone

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kasane.audit.checkpoint import CheckpointLog, checkpoint_once
from kasane.audit.signing import public_key_hex, reseal_message
from kasane.store.application import KasaneApplication, postgres_env
from kasane.store.trace import Trace
from kasane.transfer.archive_copy import ChainHead


def bridge(target, key: Ed25519PrivateKey, instance: str, old: ChainHead, new: ChainHead) -> int | None:
    """Record the signed reseal in the new store (as its service role) and sign its new head."""
    app = KasaneApplication(env=postgres_env(target, pool_size=1))
    try:
        log: CheckpointLog = app.repository.get(CheckpointLog.create_id(instance))
        signed_at = datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")
        log.record_reseal(instance=instance, up_to=new.position, old_head_hash=old.hash,
                          new_head_hash=new.hash, signed_at=signed_at, public_key=public_key_hex(key),
                          signature=key.sign(reseal_message(instance, new.position, old.hash, new.hash,
                                                            signed_at)).hex())
        app.save_traced(log, trace=Trace.for_command(actor={"instance": instance, "role": "city-it"}))
        return checkpoint_once(app, key, instance)
    finally:
        app.close()
