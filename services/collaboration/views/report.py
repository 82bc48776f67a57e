"""進捗管理の集計 — what the city's progress report counts in 多機関協働 (kasane.report):
referrals taken in by referring agency, first assessments, first plans in force, and meetings
held by kind (a 支援会議 only as a number), under the city's own body that met (its id in the
agency column, which a KPI row narrows with `agencies: body:<id>`)."""
from __future__ import annotations

from kasane.report.tally import Count, MonthlyTally, attr

from collaboration.domain.assessment import Assessment
from collaboration.domain.case import Case
from collaboration.domain.meeting import MultiLayeredMeeting
from collaboration.domain.plan import SupportPlan
from collaboration.domain.support_meeting import SupportMeeting


def _referring(e) -> str:
    return e.referral["referring_agency"]["agency_id"]


def _body(e) -> str | None:
    """The city's own meeting body (会議体) that met: a KPI row may count one body (body:<id>)."""
    return (getattr(e, "body", None) or {}).get("body_id")


COUNTS = [
    Count(Case.Opened, "referrals_received", attr("opened_at"), agency=_referring),
    Count(Case.ReferralJoined, "referrals_received", attr("joined_at"), agency=_referring,
          when=lambda e: not getattr(e, "from_case_id", None)),  # a joined case's: counted at opening
    Count(Assessment.Recorded, "assessments_made", attr("assessed_on"), when=lambda e: e.revision == 1),
    Count(SupportPlan.Approved, "plans_made", attr("held_on"), when=lambda e: e.version == 1),
    Count(MultiLayeredMeeting.Held, "multi_layered_meetings", attr("held_on"), agency=_body),
    Count(SupportMeeting.Held, "support_meetings", attr("held_on"), agency=_body),
]


def report_tally() -> MonthlyTally:
    return MonthlyTally(COUNTS)
