"""The audit ledger application: record every integration event, replay a household on demand
(recording that read), and answer which checkpoints an instance handed over."""
from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from eventsourcing.application import AggregateNotFoundError

from kasane.clock import parse_time
from kasane.audit.verify import registered_public_key
from kasane.store.application import KasaneApplication
from kasane.store.conflicts import retry_on_conflict
from kasane.store.trace import Trace
from kasane.store.unit_of_work import UnitOfWork

from audit.domain.records import HouseholdReads, HouseholdRecord, InstanceRecord, RefusedMessages
from audit.history import replay
from audit.secrecy import conceal

CHECKPOINT = "audit.checkpoint_signed"
PERSONAL_DATA_READ = "audit.personal_data_read"
ENTRY_RECORDED = ":HouseholdRecord.EntryRecorded"


class AuditLedgerApplication(KasaneApplication):
    def __init__(self, env=None, instance: str = "audit", keys_dir: Path | None = None):
        super().__init__(env=env)
        self.instance, self.keys_dir = instance, keys_dir

    def on_integration_event(self, envelope: dict, uow: UnitOfWork) -> None:
        """台帳への記録 — keep the event whole, under its household or its origin instance."""
        origin = envelope["origin"]
        if origin["instance"] == self.instance:
            return  # the ledger's own checkpoints: recording them would sign a new head forever
        if envelope["type"] == PERSONAL_DATA_READ and not envelope.get("household_id"):
            _instance_record(uow, origin).record(envelope)  # a record of no household yet
        elif envelope["type"] == PERSONAL_DATA_READ:
            self._reads_in(uow, envelope["household_id"]).record_read(
                reader=envelope["payload"]["reader"], purpose=envelope["payload"]["query"],
                as_of=None, read_at=envelope["payload"]["read_at"])
        elif envelope["type"] == CHECKPOINT:
            record = _instance_record(uow, origin)
            record.receive_checkpoint(envelope, registered_public_key(origin["instance"], self.keys_dir))
        elif envelope.get("household_id"):
            _household_record(uow, envelope["household_id"]).record(envelope)
        else:
            _instance_record(uow, origin).record(envelope)

    @staticmethod
    def _reads_in(uow: UnitOfWork, household_id: str) -> HouseholdReads:
        return uow.find_or_add(HouseholdReads.create_id(household_id),
                               lambda: HouseholdReads(household_id=household_id))

    def history(self, household_id: str, as_of: datetime | None, reader: dict, purpose: str) -> dict:
        """支援経過の再生 — replay the household, and record who read it (閲覧記録). A 支援会議's
        decisions are shown to auditors and its members only (audit.secrecy)."""
        result = replay(household_id, conceal(self.recorded_entries(household_id), reader), as_of)
        self._record_read(household_id, reader, purpose, as_of)
        return result

    def household_entries(self, household_id: str, as_of: datetime | None, reader: dict, purpose: str) -> dict:
        """帳票の元 — the household's replay and its recorded envelopes as known at `as_of`, for a
        form printed from them (kasane.forms); the read is recorded like any history."""
        entries = conceal(self.recorded_entries(household_id), reader)
        result = replay(household_id, entries, as_of)
        result["entries"] = [e for e in entries if as_of is None or parse_time(e["occurred_at"]) <= as_of]
        self._record_read(household_id, reader, purpose, as_of)
        return result

    def recorded_entries(self, household_id: str) -> list[dict]:
        """The household's recorded envelopes, read straight from its stored events (the replay
        needs their content only, not the aggregate), personal parts opened by the mapper."""
        stored = self.recorder.select_events(HouseholdRecord.create_id(household_id))
        to_event = self.mapper.to_domain_event
        return [to_event(e).envelope for e in stored if e.topic.endswith(ENTRY_RECORDED)]

    @retry_on_conflict
    def _record_read(self, household_id: str, reader: dict, purpose: str, as_of) -> None:
        try:
            reads = self.repository.get(HouseholdReads.create_id(household_id))
        except AggregateNotFoundError:
            reads = HouseholdReads(household_id=household_id)
        reads.record_read(reader=reader, purpose=purpose, as_of=as_of.isoformat() if as_of else None,
                          read_at=datetime.now(timezone.utc).isoformat())
        self.save_traced(reads, trace=Trace.for_command(actor=reader))

    @retry_on_conflict
    def record_refusal(self, refusal) -> None:
        """証跡 — a message refused as of unproven origin, kept under the bus user that sent it."""
        sender = refusal.user_id or "(none)"
        try:
            evidence = self.repository.get(RefusedMessages.create_id(sender))
        except AggregateNotFoundError:
            evidence = RefusedMessages(user_id=sender, organisation=refusal.organisation)
        evidence.record_refusal(asdict(refusal))
        self.save_traced(evidence, trace=Trace.for_command(actor={"name": "監査台帳", "organisation": None}))

    def reads(self, household_id: str) -> list[dict]:
        try:
            return self.repository.get(HouseholdReads.create_id(household_id)).reads
        except AggregateNotFoundError:
            return []

    def checkpoints(self, instance: str) -> list[dict]:
        try:
            return self.repository.get(InstanceRecord.create_id(instance)).checkpoints
        except AggregateNotFoundError:
            return []


def _household_record(uow: UnitOfWork, household_id: str) -> HouseholdRecord:
    return uow.find_or_add(HouseholdRecord.create_id(household_id),
                           lambda: HouseholdRecord(household_id=household_id))


def _instance_record(uow: UnitOfWork, origin: dict) -> InstanceRecord:
    return uow.find_or_add(InstanceRecord.create_id(origin["instance"]), lambda: InstanceRecord(
        instance=origin["instance"], service=origin["service"], organisation=origin["organisation"]))
