"""閲覧記録 — every read of a person's details through a service is an event too.

A query that shows personal details records, in the instance's own store, who read which
household's details through which query, when; the relay publishes it as
`audit.personal_data_read` v1 and the audit ledger keeps it beside the household (支援会議
secrecy and 個人情報保護法 both ask who saw what). The reader comes with the RPC call
(nameko context data `reader_name`, `reader_organisation`, see kasane.client.rpc_cluster).
"""
from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate, event

from kasane.bus.envelope import Outgoing
from kasane.clock import now, utc_iso
from kasane.store.conflicts import retry_on_conflict
from kasane.store.trace import Trace

READ_LOG_NAMESPACE = uuid5(NAMESPACE_URL, "https://kasane.example/audit/read-log")
UNIDENTIFIED = {"name": "unidentified", "organisation": "unidentified"}


class ReadLog(Aggregate):
    """閲覧記録簿 — the reads of one household's details in this instance (or, for a record that
    belongs to no household yet, of that record)."""

    @staticmethod
    def create_id(subject: str) -> UUID:
        return uuid5(READ_LOG_NAMESPACE, str(subject))

    @event("Started")
    def __init__(self, subject: str | None = None, household_id: str | None = None):
        # Logs started before records without a household were logged name only the household.
        self.subject, self.household_id = subject or household_id, household_id

    @event("PersonalDataRead")
    def record(self, household_id: str | None, instance: str, reader: dict, query: str,
               record_ids: list, read_at: str) -> None:
        pass


READER_KEYS = {"staff_id": "reader_staff_id", "role": "reader_role", "purpose": "reader_purpose"}


def reader_from(context: dict) -> dict:
    """The person the call's authenticated context names (a gateway puts the signed-in staff
    member there: staff id, name, organisation, role, purpose; city IT's tools a named operator)."""
    name, organisation = context.get("reader_name"), context.get("reader_organisation")
    if not (name and organisation):
        return dict(UNIDENTIFIED)
    return {"name": name, "organisation": organisation,
            **{key: str(context[header]) for key, header in READER_KEYS.items() if context.get(header)}}


def identified(reader: dict) -> bool:
    return reader.get("organisation") != UNIDENTIFIED["organisation"]


@retry_on_conflict
def record_reads(app, instance: str, reader: dict, query: str, household_ids, record_ids=()) -> None:
    """One read event per household whose details the query showed, in one transaction. A record
    that belongs to no household yet (a つなぐシート before intake) is logged under its own id."""
    logs, read_at = [], utc_iso(now())
    households = sorted({str(h) for h in household_ids if h})
    subjects: list[tuple[str | None, str]] = [(h, h) for h in households] or \
               [(None, f"record/{r}") for r in sorted({str(r) for r in record_ids})]
    for household_id, subject in subjects:
        try:
            log = app.repository.get(ReadLog.create_id(subject))
        except AggregateNotFoundError:
            log = ReadLog(subject=subject, household_id=household_id)
        log.record(household_id=household_id, instance=instance, reader=reader, query=query,
                   record_ids=[str(r) for r in record_ids], read_at=read_at)
        logs.append(log)
    if logs:
        app.save_traced(*logs, trace=Trace.for_command(actor=reader))


def personal_data_read(e, ledger: str | None = None) -> Outgoing:
    """Addressed to the audit ledger when the deployment names it (KASANE_AUDIT_INSTANCE): who
    read which household is for the auditors, not for every organisation on the bus."""
    return Outgoing(type="audit.personal_data_read", version=1, recipient=ledger,
                    household_id=UUID(e.household_id) if e.household_id else None,
                    payload={"instance": e.instance, "reader": e.reader, "query": e.query,
                             "record_ids": e.record_ids, "read_at": e.read_at})
