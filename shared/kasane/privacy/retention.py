"""保存年限 — households whose record ended longer ago than the city's retention period for that
kind of ending (the profile's `retention:`, years per ending event type), with nothing recorded
about them since, have their keys destroyed everywhere (`kasane retention run`, idempotent;
`--dry-run` lists them). The audit ledger, which keeps every household's events, tells which.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import psycopg

from kasane.clock import parse_time
from kasane.config import InstanceSettings
from kasane.errors import KasaneError
from kasane.store.recorder import EVENTS_TABLE

ENTRY_TOPIC = "%HouseholdRecord.EntryRecorded"
ERASED_TOPIC = "%PrivacyLog.SubjectErased"


@dataclass(frozen=True)
class Due:
    household_id: str
    ending: str        # the event type that ended the record
    ended_at: datetime
    due_at: datetime


def _years_after(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def _ledger_rows(ledger: InstanceSettings) -> tuple[dict, set]:
    """Each household's last recorded event (type, time), and the subjects already erased."""
    db = ledger.database
    last: dict[str, tuple[str, datetime]] = {}
    with psycopg.connect(host=db.host, port=db.port, dbname=db.database_for(ledger.instance),
                         user=db.auditor_role_for(ledger.instance), connect_timeout=db.connect_timeout) as conn:
        for (state,) in conn.execute(f"SELECT state FROM {EVENTS_TABLE} WHERE topic LIKE %s "
                                     "ORDER BY notification_id", (ENTRY_TOPIC,)):
            envelope = json.loads(bytes(state))["envelope"]
            at = parse_time(envelope["occurred_at"])
            known = last.get(envelope["household_id"])
            if known is None or at >= known[1]:
                last[envelope["household_id"]] = (envelope["type"], at)
        erased = {json.loads(bytes(s))["subject_id"] for (s,) in conn.execute(
            f"SELECT state FROM {EVENTS_TABLE} WHERE topic LIKE %s", (ERASED_TOPIC,))}
    return last, erased


def due_households(ledger: InstanceSettings, periods: dict, now: datetime) -> list[Due]:
    """The households past their retention period and not erased yet, oldest ending first."""
    try:
        last, erased = _ledger_rows(ledger)
    except psycopg.OperationalError as exc:
        raise KasaneError(f"the audit ledger {ledger.instance} cannot be read with its auditor role "
                          f"({str(exc).splitlines()[-1].strip()}); provision and start the deployment first") from None
    due = []
    for household, (ending, ended_at) in last.items():
        if ending in periods and household not in erased:
            due_at = _years_after(ended_at, periods[ending])
            if due_at <= now:
                due.append(Due(household, ending, ended_at, due_at))
    return sorted(due, key=lambda d: (d.ended_at, d.household_id))
