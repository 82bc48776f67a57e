"""`make bench` (second part): tamper evidence and the auditors' replay.

- chain verification: events/s of `verify_instance` over a store of N events (read with the
  auditor role, every link recomputed), beside the plain read rate of the same rows measured in
  the same run (the ratio shows what hashing adds); goal >= 100,000 events/s;
- replay: a household with 1,000 events in the audit ledger, replayed as of now (load, fold and
  the recorded read); goal < 100 ms.
"""
from __future__ import annotations

import os
import secrets
import statistics
import sys
import time
from datetime import datetime, timezone
from uuid import uuid4

from eventsourcing.domain import Aggregate, event

from kasane.audit.verify import auditor_connection, verify_instance
from kasane.config import BrokerSettings, DatabaseSettings, InstanceSettings
from kasane.store.application import KasaneApplication, postgres_env
from kasane.store.provision import drop_prefixed, provision_instance
from kasane.store.trace import Trace

from audit.application import AuditLedgerApplication
from audit.domain.records import HouseholdRecord

EVENTS = int(os.environ.get("KASANE_BENCH_CHAIN_EVENTS", 100_000))
HOUSEHOLD_EVENTS = 1000


class Note(Aggregate):
    @event("Written")
    def __init__(self, text: str):
        self.text = text


def say(line: str) -> None:
    print(line, flush=True)


def settings(database: DatabaseSettings, instance: str, service: str) -> InstanceSettings:
    return InstanceSettings(service=service, instance=instance, organisation="bench",
                            database=database, broker=BrokerSettings())


def fill(app: KasaneApplication, count: int, batch: int = 1000) -> None:
    for start in range(0, count, batch):
        app.save_traced(*[Note(text=f"記録 {n}") for n in range(start, min(count, start + batch))],
                        trace=Trace.for_command())
        if (start + batch) % 20000 == 0:
            say(f"    stored {start + batch}/{count}")


def chain_verification(database: DatabaseSettings) -> tuple[float, float]:
    store = settings(database, "bench-chain", "collaboration")
    provision_instance(store)
    app = KasaneApplication(env=postgres_env(store))
    fill(app, EVENTS)
    app.close()
    started = time.perf_counter()
    with auditor_connection(store) as conn:
        rows = conn.cursor(binary=True).execute(
            "SELECT notification_id, originator_id, originator_version, topic, state "
            "FROM kasane_events ORDER BY notification_id").fetchall()
        conn.cursor(binary=True).execute(
            "SELECT notification_id, prev_hash, hash FROM kasane_chain ORDER BY notification_id").fetchall()
    read_rate = len(rows) / (time.perf_counter() - started)
    started = time.perf_counter()
    verdict = verify_instance(store, public_key=None)
    verify_rate = verdict.events / (time.perf_counter() - started)
    assert not [f for f in verdict.faults if f.kind != "checkpoint_missing"], verdict.faults[:3]
    return verify_rate, read_rate


def replay_time(database: DatabaseSettings) -> list[float]:
    ledger = settings(database, "bench-ledger", "audit")
    provision_instance(ledger)
    app = AuditLedgerApplication(env=postgres_env(ledger), instance="bench-ledger")
    household = str(uuid4())
    record = HouseholdRecord(household_id=household)
    for n in range(HOUSEHOLD_EVENTS):
        record.record(envelope(household, n))
    app.save_traced(record, trace=Trace.for_command())
    reader = {"name": "bench", "organisation": "bench"}
    timings = []
    for _ in range(10):
        started = time.perf_counter()
        result = app.history(household, datetime.now(timezone.utc), reader, "監査")
        timings.append((time.perf_counter() - started) * 1000)
    assert len(result["events"]) == HOUSEHOLD_EVENTS
    app.close()
    return timings


def envelope(household: str, n: int) -> dict:
    at = datetime(2025, 4, 1, tzinfo=timezone.utc).timestamp() + n * 3600
    return {
        "event_id": str(uuid4()), "type": "consultation.consultation_received", "version": 1,
        "occurred_at": datetime.fromtimestamp(at, timezone.utc).isoformat().replace("+00:00", "Z"),
        "household_id": household,
        "origin": {"service": "consultation", "organisation": "bench", "instance": "bench-desk"},
        "position": n + 1, "correlation_id": str(uuid4()), "causation_id": str(uuid4()),
        "payload": {"consultation_id": str(uuid4()), "agency": {"agency_id": "a", "name": "窓口"},
                    "received_at": "2025-04-01T00:00:00Z", "channel": "phone", "consulted_by": "self",
                    "issue_categories": ["8050"], "urgency": "normal", "caseworker_id": "sw"},
    }


def main() -> int:
    database = DatabaseSettings.from_env({**os.environ, "KASANE_DB_PREFIX": f"ka{secrets.token_hex(3)}"})
    say(f"== kasane bench: 改ざん検知と監査再生 ({EVENTS} chained events) ==")
    try:
        verify_rate, read_rate = chain_verification(database)
        say(f"chain verification  {verify_rate:10.0f} events/s  (reading the same rows alone "
            f"{read_rate:10.0f} rows/s; ratio {verify_rate / read_rate:4.2f})  goal >= 100,000/s")
        timings = replay_time(database)
        say(f"replay of a household with {HOUSEHOLD_EVENTS} events  median {statistics.median(timings):6.1f} ms  "
            f"max {max(timings):6.1f} ms  (incl. the recorded read)  goal < 100 ms")
    finally:
        drop_prefixed(database)
    return 0


if __name__ == "__main__":
    sys.exit(main())
