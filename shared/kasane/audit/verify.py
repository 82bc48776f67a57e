"""検証 — what `kasane audit verify` checks for one instance: its hash chain recomputed from the
stored events, and every signed checkpoint against the instance's registered public key and
against the recomputed chain.

Read with the instance's auditor role, which may only SELECT.
"""
from __future__ import annotations

import gc
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg

from kasane.audit.ledger_copy import LedgerCopy
from kasane.audit.chain import (ALTERED, CHECKPOINT_MISMATCH, CHECKPOINT_MISSING, SIGNATURE_INVALID, ChainLink,
                                ChainReport, Fault, StoredRow, verify_chain)
from kasane.audit.reseals import RESEAL_TOPIC_SUFFIX, Boundary, reseal_boundary
from kasane.audit.signing import endorsement_holds, signature_holds
from kasane.config import InstanceSettings, state_dir
from kasane.store.recorder import CHAIN_TABLE, EVENTS_TABLE

KEY_STORE_LOST = "key_store_lost"
CHECKPOINT_TOPIC_SUFFIX = ":CheckpointLog.CheckpointSigned"
ROTATION_TOPIC_SUFFIX = ":CheckpointLog.KeyRotated"


@dataclass
class InstanceVerdict:
    instance: str
    events: int = 0
    head_position: int = 0
    checkpoints: int = 0
    faults: list = field(default_factory=list)
    rotations: int = 0

    @property
    def holds(self) -> bool:
        return not self.faults

    def as_dict(self) -> dict:
        return {"instance": self.instance, "events": self.events, "head_position": self.head_position,
                "checkpoints": self.checkpoints, "key_rotations": self.rotations, "holds": self.holds,
                "faults": [f.as_dict() for f in self.faults]}


def registered_public_key(instance: str, keys_dir: Path | None = None) -> str | None:
    path = (keys_dir or state_dir() / "keys") / f"{instance}.pub"
    return path.read_text().strip() if path.exists() else None


def auditor_connection(settings: InstanceSettings) -> psycopg.Connection:
    db = settings.database
    return psycopg.connect(host=db.host, port=db.port, connect_timeout=db.connect_timeout,
                           dbname=db.database_for(settings.instance),
                           user=db.auditor_role_for(settings.instance))


def verify_instance(settings: InstanceSettings, public_key: str | None,
                    checkpoint_grace: timedelta = timedelta(minutes=10),
                    ledger: LedgerCopy | None = None) -> InstanceVerdict:
    with _no_gc():
        return _verify(settings, public_key, checkpoint_grace, ledger)


def _verify(settings, public_key, checkpoint_grace, ledger) -> InstanceVerdict:
    with auditor_connection(settings) as conn:
        # Binary transfer: bytea arrives as bytes, not as hex text to decode.
        rows = [StoredRow(*r) for r in conn.cursor(binary=True).execute(
            f"SELECT notification_id, originator_id, originator_version, topic, state "
            f"FROM {EVENTS_TABLE} ORDER BY notification_id").fetchall()]
        links = [ChainLink(*r) for r in conn.cursor(binary=True).execute(
            f"SELECT notification_id, prev_hash, hash FROM {CHAIN_TABLE} ORDER BY notification_id").fetchall()]
        last_chained = (conn.execute(f"SELECT max(chained_at) FROM {CHAIN_TABLE}").fetchone() or (None,))[0]
        keys_lost = _key_store_lost(conn, settings)
    instance = settings.instance
    report = verify_chain(instance, rows, links)
    checkpoints = [_checkpoint(row) for row in rows if row.topic.endswith(CHECKPOINT_TOPIC_SUFFIX)]
    rotations = [_checkpoint(row) for row in rows if row.topic.endswith(ROTATION_TOPIC_SUFFIX)]
    key_at, rotation_faults = keys_in_force(instance, rotations, public_key)
    reseals = [_checkpoint(row) for row in rows if row.topic.endswith(RESEAL_TOPIC_SUFFIX)]
    boundary, reseal_faults = reseal_boundary(instance, reseals, report.hashes, key_at)
    faults = list(report.faults) + rotation_faults + reseal_faults
    faults += _checkpoint_faults(instance, report, checkpoints, key_at, boundary)
    faults += _missing_checkpoint(instance, report, checkpoints, last_chained, checkpoint_grace)
    if ledger is not None:
        faults += _against_ledger(settings, report, rows, ledger, boundary)
    if keys_lost:
        faults.append(Fault(instance, 0, KEY_STORE_LOST, (
            f"its key store is lost (not tampering: the chain is checked above); restore it from "
            f"backup or record the loss with `kasane keys record-loss {instance} --reason TEXT`")))
    return InstanceVerdict(instance, report.events, report.head_position, len(checkpoints),
                           sorted(faults, key=lambda f: (f.position, f.kind)), len(rotations))


def _key_store_lost(conn, settings: InstanceSettings) -> bool:
    """鍵保管庫の喪失: the instance's key store database is gone (pg_database is readable by all)."""
    name = settings.database.keys_database_for(settings.instance)
    return settings.sealing and conn.execute(
        "SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None


def keys_in_force(instance: str, rotations: list[dict], registered: str | None):
    """Follow the recorded key rotations back from the registered key: returns the key in force
    at a log position, and the faults of rotations that no one vouches for."""
    faults, newer = [], registered
    for rotation in reversed(rotations):
        where = rotation["stored_at"]
        if rotation.get("new_public_key") != newer:
            faults.append(Fault(instance, where, SIGNATURE_INVALID,
                                "key rotation does not lead to the registered key"))
        endorsed = rotation.get("endorsement") and endorsement_holds(
            instance, rotation.get("old_public_key", ""), rotation.get("new_public_key", ""),
            rotation.get("rotated_at", ""), rotation["endorsement"])
        if not endorsed and not rotation.get("reason"):
            faults.append(Fault(instance, where, SIGNATURE_INVALID,
                                "key rotation neither signed by the old key nor given a reason"))
        newer = rotation.get("old_public_key")
    boundaries = [(r["stored_at"], r.get("old_public_key")) for r in rotations]

    def key_at(position: int) -> str | None:
        return next((old for at, old in boundaries if position < at), registered)

    return key_at, faults


@contextmanager
def _no_gc():
    """Reading a whole log creates millions of small objects and no cycles: the cyclic garbage
    collector would only rescan them again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _checkpoint(row: StoredRow) -> dict:
    state = json.loads(bytes(row.state))
    return {**state, "stored_at": row.notification_id}


def _head_holds(report: ChainReport, position: int, head_hash: str, boundary: Boundary) -> bool:
    """A signed head is reached by the chain (or, before a reseal, by the old chain's record)."""
    if boundary.attests_old_chain(position):
        return boundary.old_head_holds(position, head_hash)
    return report.hashes.get(position, b"").hex() == head_hash


def _checkpoint_faults(instance: str, report: ChainReport, checkpoints: list[dict],
                       key_at, boundary: Boundary = Boundary()) -> list[Fault]:
    faults = []
    for cp in checkpoints:
        where = cp.get("position", cp["stored_at"])
        public_key = key_at(cp["stored_at"])
        if public_key is None:
            faults.append(Fault(instance, where, SIGNATURE_INVALID, "no registered public key"))
        elif cp.get("public_key") != public_key or not signature_holds(
                public_key, cp.get("signature", ""), cp.get("instance", ""), cp.get("position", 0),
                cp.get("head_hash", ""), cp.get("signed_at", "")) or cp.get("instance") != instance:
            faults.append(Fault(instance, where, SIGNATURE_INVALID,
                                f"checkpoint stored at {cp['stored_at']} is not signed by the instance's key"))
        elif not _head_holds(report, cp["position"], cp["head_hash"], boundary):
            faults.append(Fault(instance, cp["position"], CHECKPOINT_MISMATCH,
                                "signed head differs from the chain: history before it was rewritten"))
    return faults


def _against_ledger(settings: InstanceSettings, report: ChainReport, rows: list[StoredRow],
                    ledger: LedgerCopy, boundary: Boundary = Boundary()) -> list[Fault]:
    """The ledger's signed heads must still be reached by the chain, and every event the ledger
    received must still be told the same way by the store."""
    instance, faults = settings.instance, []
    for position, head_hash in ledger.checkpoints.get(instance, []):
        if not _head_holds(report, position, head_hash, boundary):
            faults.append(Fault(instance, position, CHECKPOINT_MISMATCH,
                                "the ledger's signed head is no longer reached by the chain"))
    published = ledger.events.get(instance, {})
    if published:
        retell = storytellers(settings)
        by_position = {row.notification_id: row for row in rows}
        for position, envelope in sorted(published.items()):
            row = by_position.get(position)
            if row is not None and not _same_story(retell(row), envelope):
                faults.append(Fault(instance, position, ALTERED, "differs from the ledger's copy"))
    return faults


def storytellers(settings: InstanceSettings):
    """Re-publish a stored row as the instance would: its integration event, or None."""
    from kasane.bus.envelope import Origin, envelope_for
    from kasane.services import translators_of
    from kasane.privacy.sealing import keyless_mapper
    from kasane.store.application import KasaneApplication

    registry = translators_of(settings.service)
    mapper = keyless_mapper(KasaneApplication().mapper.transcoder)
    origin = Origin(settings.service, settings.organisation, settings.instance)

    def retell(row: StoredRow):
        try:
            domain_event = mapper.to_domain_event(row)  # type: ignore[arg-type]  # StoredRow has StoredEvent's fields
        except Exception:  # noqa: BLE001 — unreadable content is itself a difference
            return None
        outgoing = registry.translate(row.topic, domain_event)
        return envelope_for(outgoing, domain_event, origin, row.notification_id) if outgoing else None

    return retell


def _same_story(retold: dict | None, received: dict) -> bool:
    from kasane_contracts import ContractViolation, validate_envelope

    if retold is None:
        return False
    # The personal part is sealed on each side under that side's own keys (the verifier holds
    # none): the chain and the signed heads cover it, the comparison covers the rest.
    retold, received = _impersonal(retold), _impersonal(received)
    try:
        retold = validate_envelope(retold)  # as the relay published it
    except ContractViolation:
        return False
    if "personal" not in received.get("payload", {}):
        # A ledger the event's personal part was not sealed for (kasane.bus.sealed) never saw it.
        retold = {**retold, "payload": {k: v for k, v in retold["payload"].items() if k != "personal"}}
    keys = ("type", "version", "household_id", "occurred_at", "payload")
    return all(retold.get(k) == received.get(k) for k in keys)


def _impersonal(envelope: dict) -> dict:
    payload = {k: v for k, v in (envelope.get("payload") or {}).items() if k != "personal"}
    return {**envelope, "payload": payload}


def _missing_checkpoint(instance, report, checkpoints, last_chained, grace) -> list[Fault]:
    signed_up_to = max((cp.get("position", 0) for cp in checkpoints), default=0)
    unsigned = report.head_position - signed_up_to
    stale = last_chained is not None and datetime.now(timezone.utc) - last_chained > grace
    if unsigned > 1 and stale:
        return [Fault(instance, signed_up_to + 1, CHECKPOINT_MISSING,
                      f"{unsigned} event(s) after the last signed checkpoint, none signed within {grace}")]
    return []

