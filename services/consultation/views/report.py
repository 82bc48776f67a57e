"""進捗管理の集計 — what the city's progress report counts here (kasane.report): 新規 (intake
sheets received, a つなぎ戻し's excepted) and 延べ (every contact, the intake included), by month
and agency."""
from __future__ import annotations

from kasane.report.tally import Count, MonthlyTally, attr

from consultation.domain.consultation import Consultation


def _agency(e) -> str:
    return e.agency["agency_id"]


def is_new(e) -> bool:
    """新規 — a consultation that does not continue one 多機関協働 handed back (つなぎ戻し)."""
    return (getattr(e, "source", None) or {}).get("kind") != "hand_back"


def _area(e) -> str | None:
    return getattr(e, "area", None)  # 日常生活圏域, where the intake recorded one


COUNTS = [
    Count(Consultation.Received, "consultations_new", attr("received_at"), agency=_agency,
          area=_area, when=is_new),
    Count(Consultation.Received, "consultations_total", attr("received_at"), agency=_agency, area=_area),
    Count(Consultation.ContactRecorded, "consultations_total", attr("contacted_at"), agency=_agency,
          area=_area),
]


def report_tally() -> MonthlyTally:
    return MonthlyTally(COUNTS)
