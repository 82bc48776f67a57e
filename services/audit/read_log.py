"""閲覧記録の検索 — the auditor's search of the read log (every audited read, kept per household
in `HouseholdReads`) by the person who read (staff id, or part of the name) and by household.
By household, the household's own reads are read directly; by person, the ledger's log is read
through for the read records only (the events' topics), newest kept."""
from __future__ import annotations

from collections import deque

from eventsourcing.utils import get_topic

from audit.domain.records import HouseholdReads

PAGE = 1000
OPENED, READ = get_topic(HouseholdReads.Opened), get_topic(HouseholdReads.ReadRecorded)


def matches(reader: dict, staff: str | None) -> bool:
    """The reader is the person searched for: their staff id, or a part of their name."""
    if not staff:
        return True
    return staff == str(reader.get("staff_id") or "") or staff in str(reader.get("name") or "")


def search(app, staff: str | None, household_id: str | None, limit: int) -> list[dict]:
    """Reads matching both criteria given, newest first, at most `limit`."""
    if household_id:
        found = [dict(r, household_id=household_id) for r in app.reads(household_id)
                 if matches(r["reader"], staff)]
        return sorted(found, key=lambda r: r["read_at"], reverse=True)[:limit]
    kept: deque = deque(maxlen=limit)
    households: dict = {}
    start = 1
    while True:
        page = app.recorder.select_notifications(start, PAGE, topics=[OPENED, READ])
        for notification in page:
            event = app.mapper.to_domain_event(notification)
            if notification.topic == OPENED:
                households[event.originator_id] = event.household_id
            elif matches(event.reader, staff):
                kept.append({"household_id": households.get(event.originator_id), "reader": event.reader,
                             "purpose": event.purpose, "as_of": event.as_of, "read_at": event.read_at})
        if len(page) < PAGE:
            return sorted(kept, key=lambda r: r["read_at"], reverse=True)
        start = page[-1].id + 1
