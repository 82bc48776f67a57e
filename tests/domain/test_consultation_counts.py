"""年度 and 相談件数 — fiscal years in Japan time, new and total (延べ) counts (in memory)."""
from datetime import datetime, timezone
from uuid import uuid4

import pytest

from kasane.fiscal_year import JST, fiscal_year_label, fiscal_year_of

from consultation.domain.consultation import Consultation
from consultation.views.counts import FiscalYearCounts

HOKATSU = {"agency_id": "hokatsu", "name": "常盤平高齢者いきいき安心センター"}
KIKAN = {"agency_id": "kikan", "name": "常盤平基幹相談支援センター ふれあい"}


@pytest.mark.parametrize("moment,year", [
    (datetime(2026, 3, 31, 23, 59, 59, tzinfo=JST), 2025),
    (datetime(2026, 4, 1, 0, 0, tzinfo=JST), 2026),
    (datetime(2026, 3, 31, 15, 0, tzinfo=timezone.utc), 2026),  # 4/1 00:00 in Japan
    (datetime(2026, 3, 31, 14, 59, tzinfo=timezone.utc), 2025),
    (datetime(2026, 1, 1, tzinfo=JST), 2025),
    (datetime(2025, 4, 1, tzinfo=JST), 2025),
])
def test_the_fiscal_year_runs_april_to_march_in_japan_time(moment, year):
    assert fiscal_year_of(moment) == year


def test_a_moment_without_a_time_zone_has_no_fiscal_year():
    with pytest.raises(ValueError):
        fiscal_year_of(datetime(2026, 3, 31, 12, 0))


def test_fiscal_years_are_labelled_in_the_reiwa_era():
    assert fiscal_year_label(2025) == "令和7年度" and fiscal_year_label(2019) == "令和1年度"


def consultation(agency, at, channel="phone", categories=("care",)) -> Consultation:
    return Consultation.receive(household_id=uuid4(), agency=agency, received_at=at, channel=channel,
                                consulted_by="self", issue_categories=list(categories),
                                urgency="normal", caseworker_id="sw", persons=[], summary=None)


def test_new_counts_intakes_total_counts_every_contact_per_agency_channel_and_category():
    counts = FiscalYearCounts()
    march = consultation(HOKATSU, datetime(2026, 3, 31, 23, 0, tzinfo=JST), categories=["8050", "care"])
    march.record_contact(contact_id=uuid4(), contacted_at=datetime(2026, 3, 31, 23, 30, tzinfo=JST),
                         channel="home_visit", caseworker_id="sw", note=None)
    march.record_contact(contact_id=uuid4(), contacted_at=datetime(2026, 4, 2, 10, 0, tzinfo=JST),
                         channel="phone", caseworker_id="sw", note=None)
    april = consultation(KIKAN, datetime(2026, 4, 1, 0, 5, tzinfo=JST), channel="line",
                         categories=["hikikomori"])
    for c in (march, april):
        for e in c.collect_events():
            counts.apply(e)
    fy2025, fy2026 = counts.of(2025), counts.of(2026)
    assert (fy2025["new"], fy2025["total"]) == (1, 2)
    assert (fy2026["new"], fy2026["total"]) == (1, 2)
    assert fy2025["by_channel"] == [
        {"channel": "phone", "label": "電話", "new": 1, "total": 1},
        {"channel": "home_visit", "label": "訪問", "new": 0, "total": 1}]
    assert {c["category"]: (c["new"], c["total"]) for c in fy2025["by_category"]} == {
        "care": (1, 2), "8050": (1, 2)}
    assert [(a["agency_id"], a["new"], a["total"]) for a in fy2026["by_agency"]] == [
        ("hokatsu", 0, 1), ("kikan", 1, 1)]
    assert counts.of(2026, "kikan")["total"] == 1
    assert fy2025["label"] == "令和7年度" and fy2025["period"] == {"from": "2025-04-01", "to": "2026-03-31"}
    assert counts.of(2024)["total"] == 0
