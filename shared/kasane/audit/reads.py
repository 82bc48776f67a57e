"""閲覧記録 — every read of a person's details through a service is an event too.

A query that shows personal details records, in the instance's own store, who read which
household's details through which query, when; the relay publishes it as
`audit.personal_data_read` v1 and the audit ledger keeps it beside the household (支援会議
secrecy and 個人情報保護法 both ask who saw what). The reader comes with the RPC call
(nameko context data `reader_name`, `reader_organisation`, see kasane.client.rpc_cluster).
"""
from __future__ import annotations

from datetime import datetime, timezone
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate, event

from kasane.bus.envelope import Outgoing
from kasane.store.conflicts import retry_on_conflict
from kasane.store.trace import Trace

READ_LOG_NAMESPACE = uuid5(NAMESPACE_URL, "https://kasane.example/audit/read-log")
UNIDENTIFIED = {"name": "unidentified", "organisation": "unidentified"}


class ReadLog(Aggregate):
    """閲覧記録簿 — the reads of one household's details in this instance."""

    @staticmethod
    def create_id(household_id: str) -> UUID:
        return uuid5(READ_LOG_NAMESPACE, str(household_id))

    @event("Started")
    def __init__(self, household_id: str):
        self.household_id = household_id

    @event("PersonalDataRead")
    def record(self, household_id: str, instance: str, reader: dict, query: str,
               record_ids: list, read_at: str) -> None:
        pass


def reader_from(context: dict) -> dict:
    name, organisation = context.get("reader_name"), context.get("reader_organisation")
    return {"name": name, "organisation": organisation} if name and organisation else dict(UNIDENTIFIED)


@retry_on_conflict
def record_reads(app, instance: str, reader: dict, query: str, household_ids, record_ids=()) -> None:
    """One read event per household whose details the query showed, in one transaction."""
    logs, read_at = [], datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")
    for household_id in sorted({str(h) for h in household_ids if h}):
        try:
            log = app.repository.get(ReadLog.create_id(household_id))
        except AggregateNotFoundError:
            log = ReadLog(household_id=household_id)
        log.record(household_id=household_id, instance=instance, reader=reader, query=query,
                   record_ids=[str(r) for r in record_ids], read_at=read_at)
        logs.append(log)
    if logs:
        app.save_traced(*logs, trace=Trace.for_command(actor=reader))


def personal_data_read(e) -> Outgoing:
    return Outgoing(type="audit.personal_data_read", version=1, household_id=UUID(e.household_id),
                    payload={"instance": e.instance, "reader": e.reader, "query": e.query,
                             "record_ids": e.record_ids, "read_at": e.read_at})
