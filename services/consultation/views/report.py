"""進捗管理の集計 — what the city's progress report counts here (kasane.report): 新規 (intake
sheets received) and 延べ (every contact, the intake included), by month and agency."""
from __future__ import annotations

from kasane.report.tally import Count, MonthlyTally, attr

from consultation.domain.consultation import Consultation


def _agency(e) -> str:
    return e.agency["agency_id"]


COUNTS = [
    Count(Consultation.Received, "consultations_new", attr("received_at"), agency=_agency),
    Count(Consultation.Received, "consultations_total", attr("received_at"), agency=_agency),
    Count(Consultation.ContactRecorded, "consultations_total", attr("contacted_at"), agency=_agency),
]


def report_tally() -> MonthlyTally:
    return MonthlyTally(COUNTS)
