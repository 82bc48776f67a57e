"""台帳の記録 — what the audit ledger keeps.

- `HouseholdRecord`: every integration event about one household, from every service, as it
  arrived. The auditors' replay folds it. `HouseholdReads`: every audited read of it (閲覧記録).
- `InstanceRecord`: per origin instance, the events about no household, the public key the
  ledger trusts for it, and every signed checkpoint it handed over (accepted or rejected).

Both are keyed by ids derived from the household or instance id, so the ledger never needs an
index to find them.
"""
from __future__ import annotations

from uuid import NAMESPACE_URL, uuid5

from eventsourcing.domain import event

from kasane.keyed import KeyedAggregate
from kasane.audit.signing import signature_holds

NAMESPACE = uuid5(NAMESPACE_URL, "https://kasane.example/audit/ledger")


class HouseholdRecord(KeyedAggregate):
    KEY, NAMESPACE, KIND = "household_id", NAMESPACE, "household/"

    @event("Opened")
    def __init__(self, household_id: str):
        self.household_id = household_id
        self.entries: list[dict] = []

    @event("EntryRecorded")
    def record(self, envelope: dict) -> None:
        """記録 — an integration event about this household, kept whole."""
        self.entries.append(envelope)


class HouseholdReads(KeyedAggregate):
    """閲覧記録 — every audited read of one household's history. Kept apart from the record so
    that reading never competes with the bus writing the household's events."""

    KEY, NAMESPACE, KIND = "household_id", NAMESPACE, "household-reads/"

    @event("Opened")
    def __init__(self, household_id: str):
        self.household_id = household_id
        self.reads: list[dict] = []

    @event("ReadRecorded")
    def record_read(self, reader: dict, purpose: str, as_of: str | None, read_at: str) -> None:
        """閲覧記録 — who read this household's history, when, and as of which date."""
        self.reads.append({"reader": reader, "purpose": purpose, "as_of": as_of, "read_at": read_at})


class InstanceRecord(KeyedAggregate):
    KEY, NAMESPACE, KIND = "instance", NAMESPACE, "instance/"

    @event("Opened")
    def __init__(self, instance: str, service: str, organisation: str):
        self.instance, self.service, self.organisation = instance, service, organisation
        self.public_key: str | None = None
        self.checkpoints: list[dict] = []
        self.entries: list[dict] = []

    @event("EntryRecorded")
    def record(self, envelope: dict) -> None:
        self.entries.append(envelope)

    def receive_checkpoint(self, envelope: dict, registered_key: str | None) -> bool:
        """Accept a signed checkpoint if the trusted key signed it; the first checkpoint of an
        instance without a registered key pins the key it carries (trust on first use)."""
        cp = envelope["payload"]
        trusted = registered_key or self.public_key or cp["public_key"]
        if trusted != self.public_key:
            self._key_pinned(public_key=trusted, source="registered" if registered_key else "first checkpoint")
        if cp["public_key"] != trusted or cp["instance"] != self.instance or not signature_holds(
                trusted, cp["signature"], cp["instance"], cp["position"], cp["head_hash"], cp["signed_at"]):
            self._checkpoint_rejected(position=cp["position"], event_id=envelope["event_id"],
                                      reason="not signed by the instance's trusted key")
            return False
        self._checkpoint_accepted(position=cp["position"], head_hash=cp["head_hash"],
                                  signed_at=cp["signed_at"], signature=cp["signature"],
                                  event_id=envelope["event_id"])
        return True

    @event("KeyPinned")
    def _key_pinned(self, public_key: str, source: str) -> None:
        self.public_key = public_key

    @event("CheckpointAccepted")
    def _checkpoint_accepted(self, position: int, head_hash: str, signed_at: str, signature: str,
                             event_id: str) -> None:
        self.checkpoints.append({"position": position, "head_hash": head_hash,
                                 "signed_at": signed_at, "accepted": True})

    @event("CheckpointRejected")
    def _checkpoint_rejected(self, position: int, event_id: str, reason: str) -> None:
        self.checkpoints.append({"position": position, "accepted": False, "reason": reason})


class RefusedMessages(KeyedAggregate):
    """不正送信の証跡 — messages the ledger refused because their origin could not be shown
    authentic, kept per bus user that sent them and apart from every household's record: who
    sent it, under which routing key, claiming which instance and position, and why. Never the
    payload."""

    KEY, NAMESPACE, KIND = "user_id", NAMESPACE, "refused/"

    @event("Opened")
    def __init__(self, user_id: str, organisation: str | None):
        self.user_id, self.organisation = user_id, organisation
        self.refusals: list[dict] = []

    @event("RefusalRecorded")
    def record_refusal(self, refusal: dict) -> None:
        self.refusals.append(refusal)
