"""ケース一覧 — the open cases with their next monitoring date, overdue first (支援ケース一覧)."""
from __future__ import annotations

from datetime import date

from kasane.open_records import OpenRecords
from kasane_contracts.vocabulary import CASE_STATUSES

from collaboration.domain.case import Case


class Caseload(OpenRecords):
    """Which cases exist and which have ended (終結, 中断, or its only referral returned); the
    rest is read from each open case."""

    def opens(self, e) -> bool:
        return isinstance(e, Case.Opened)

    def ends(self, e) -> bool:
        return isinstance(e, (Case.Closed, Case.Suspended)) or (
            isinstance(e, Case.ReferralReturned) and e.case_ends)


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
