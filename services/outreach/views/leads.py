"""把握している人の一覧 — open outreach cases by stage and last contact, longest silence first
(issue 8): the people no one has reached for the longest time come to the top. A case 多機関協働
handed back (つなぎ戻し) is open again and says so; its silence counts from the hand-back, since
多機関協働 was with the household until then."""
from __future__ import annotations

from datetime import date

from kasane.fiscal_year import japan_date
from kasane.open_records import OpenRecords
from kasane_contracts.vocabulary import OUTREACH_LEAD_SOURCES, OUTREACH_STAGES

from outreach.domain.case import OutreachCase
from outreach.views.records import hand_back_view


class OpenLeads(OpenRecords):
    """Which cases exist and which have ended (closed; つなぎ keeps the case open: 見守り) or were
    handed back open again; the rest is read from each open case."""

    def opens(self, e) -> bool:
        return isinstance(e, OutreachCase.LeadTaken)

    def ends(self, e) -> bool:
        return isinstance(e, OutreachCase.Closed)

    def reopens(self, e) -> bool:
        return isinstance(e, OutreachCase.HandBackReceived)


def lead_row(case: OutreachCase, today: date) -> dict:
    last, returned = case.last_contact_on, case.returned_from_collaboration
    since = last or case.noticed_on
    if returned:  # 多機関協働 was with the household until it handed it back
        since = max(since, japan_date(returned["handed_back_at"]))
    return {
        "case_id": str(case.id), "household_id": str(case.household_id) if case.household_id else None,
        "stage": case.stage, "stage_label": OUTREACH_STAGES[case.stage],
        "source": case.source, "source_label": OUTREACH_LEAD_SOURCES[case.source],
        "noticed_on": case.noticed_on.isoformat(),
        "last_contact_on": last.isoformat() if last else None,
        "days_without_contact": (today - since).days,
        "contacts": len(case.contacts),
        "handed_back": hand_back_view(returned) if returned else None,
    }


def longest_silence_first(rows: list) -> list:
    return sorted(rows, key=lambda r: (-r["days_without_contact"], r["noticed_on"]))
