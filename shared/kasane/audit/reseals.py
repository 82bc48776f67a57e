"""移行の検証 — what `kasane audit verify` checks of a store whose history was moved into a sealed
store (kasane.transfer.reseal): the instance's signed `Resealed` record must bind the old chain's
head to the recomputed new chain at the same position. Checkpoints signed before the move attest
the old chain: their signatures are still checked, and the one at the move's position must carry
the old head the record names; the others cannot be recomputed and are not compared."""
from __future__ import annotations

from dataclasses import dataclass

from kasane.audit.chain import CHECKPOINT_MISMATCH, SIGNATURE_INVALID, Fault
from kasane.audit.signing import reseal_holds

RESEAL_TOPIC_SUFFIX = ":CheckpointLog.Resealed"


@dataclass(frozen=True)
class Boundary:
    """Up to which position the chain was re-made, and the old chain's head there."""

    up_to: int = 0
    old_head_hash: str = ""

    def attests_old_chain(self, position: int) -> bool:
        return position <= self.up_to

    def old_head_holds(self, position: int, head_hash: str) -> bool:
        """A head of the old chain: only the one at the boundary can still be compared."""
        return position != self.up_to or head_hash == self.old_head_hash


def reseal_boundary(instance: str, reseals: list[dict], hashes: dict, key_at) -> tuple[Boundary, list[Fault]]:
    """The last move's boundary, and the faults of any move record that does not hold."""
    faults, boundary = [], Boundary()
    for record in reseals:
        up_to, where = record.get("up_to", 0), record["stored_at"]
        public_key = key_at(where)
        if public_key is None or record.get("public_key") != public_key or not reseal_holds(
                public_key, record.get("signature", ""), instance, up_to, record.get("old_head_hash", ""),
                record.get("new_head_hash", ""), record.get("signed_at", "")):
            faults.append(Fault(instance, where, SIGNATURE_INVALID, "reseal record not signed by the instance's key"))
        elif hashes.get(up_to, b"").hex() != record.get("new_head_hash"):
            faults.append(Fault(instance, up_to, CHECKPOINT_MISMATCH,
                                "the chain differs from the one the reseal record signed"))
        else:
            boundary = Boundary(up_to, record.get("old_head_hash", ""))
    return boundary, faults
