"""多機関協働の照会 — open cases with their next monitoring date (overdue first), and the
fiscal-year counts of the KPI rows (seed 004 §5(5), 003 ch.3)."""
from datetime import date

import pytest

from collaboration import schemas

from tests.domain.collaboration_steps import ORGANISATION, Takikan


@pytest.fixture
def takikan():
    return Takikan()


def test_open_cases_list_overdue_first_then_by_next_monitoring_then_without_a_date(takikan):
    _, late = takikan.in_force()                      # next monitoring 2026-08-31
    _, later = takikan.in_force()
    takikan.monitor(later["case_id"], False)          # next monitoring 2026-10-31
    fresh = takikan.refer()                           # no plan yet: no date
    _, ended = takikan.in_force()
    takikan.meet(ended["case_id"], "suspension", reason="contact_lost")
    takikan.end("suspend_case", ended["case_id"])
    listing = takikan.app.open_cases(date(2026, 9, 15))
    rows = [(r["case_id"], r["next_monitoring_on"], r["overdue"]) for r in listing["cases"]]
    assert rows == [(late["case_id"], "2026-08-31", True), (later["case_id"], "2026-10-31", False),
                    (fresh["case_id"], None, False)]
    assert listing["cases"][0]["status_label"] == "支援中（モニタリング）"


def test_fiscal_year_counts_give_the_kpi_rows(takikan):
    household, case = takikan.in_force()              # referral, case, plan, meeting (FY2026)
    takikan.refer(household)                          # a second referral joins the case
    takikan.monitor(case["case_id"], True)
    takikan.draft(case["case_id"], drafted_on="2026-09-01", monitoring_dates=["2026-12-01"])
    takikan.meet(case["case_id"], "replan_agreed", held_on="2026-09-10")
    takikan.meet(case["case_id"], "closure", held_on="2027-03-20", goals_met="met",
                 follow_up_needed=False)
    takikan.end("close_case", case["case_id"])
    _, other = takikan.in_force()
    takikan.meet(other["case_id"], "suspension", held_on="2027-04-02", reason="moved_away")
    takikan.run("hold_support_meeting", schemas.SupportMeetingSchema(), {
        "held_on": "2026-05-10", "caseworker_id": "tk", "information_shared": "x",
        "members": [{"organisation": ORGANISATION, "role": "host"},
                    {"organisation": "org-b", "role": "city"}]})
    counts = takikan.app.fiscal_year_counts(2026)
    assert {k: counts[k] for k in ("referrals_received", "cases_opened", "plans_made",
                                   "replans_made", "suspensions")} == {
        "referrals_received": 3, "cases_opened": 2, "plans_made": 2, "replans_made": 1,
        "suspensions": 0}
    assert counts["referrals_by_agency"] == [
        {"agency_id": "hokatsu", "name": "常盤平高齢者いきいき安心センター", "count": 3}]
    assert counts["meetings_held"]["multi_layered"] == {"label": "重層的支援会議", "count": 4}
    assert counts["meetings_held"]["support"]["count"] == 1
    assert takikan.app.fiscal_year_counts(2027)["meetings_held"]["multi_layered"]["count"] == 1
