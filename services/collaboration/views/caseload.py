"""ケース一覧 — the open cases with their next monitoring date, overdue first (支援ケース一覧)."""
from __future__ import annotations

from datetime import date

from kasane_contracts.vocabulary import CASE_STATUSES

from collaboration.domain.case import Case


class Caseload:
    """Which cases exist and which have ended; the rest is read from each open case."""

    def __init__(self):
        self.case_ids: list = []
        self.ended: set = set()

    def apply(self, e) -> None:
        if isinstance(e, Case.Opened):
            self.case_ids.append(e.originator_id)
        elif isinstance(e, (Case.Closed, Case.Suspended)) or (
                isinstance(e, Case.ReferralReturned) and e.case_ends):
            self.ended.add(e.originator_id)

    def open_case_ids(self) -> list:
        return [case_id for case_id in self.case_ids if case_id not in self.ended]


def caseload_row(case: Case, today: date) -> dict:
    due = case.next_monitoring_on
    return {
        "case_id": str(case.id), "household_id": str(case.household_id),
        "status": case.status, "status_label": CASE_STATUSES[case.status],
        "opened_at": case.opened_at.isoformat(),
        "referring_agencies": list(dict.fromkeys(r["referring_agency"]["name"]
                                                 for r in case.active_referrals())),
        "next_monitoring_on": due.isoformat() if due else None,
        "overdue": bool(due and due < today),
    }


def overdue_first(rows: list) -> list:
    """Overdue first (oldest due first), then by due date, then cases with no date yet."""
    return sorted(rows, key=lambda r: (not r["overdue"], r["next_monitoring_on"] is None,
                                       r["next_monitoring_on"] or "", r["opened_at"]))
