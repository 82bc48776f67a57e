"""進捗管理 — the yearly progress report from events (in memory): across 31 March in Japan time,
summed over two instances of one business line, the same after every view is rebuilt."""
from datetime import datetime
from uuid import uuid4

import pytest

from kasane.fiscal_year import JST
from kasane.report.build import build_report
from kasane.report.dates import parse_fiscal_year, wareki_date, wareki_month
from kasane.report.output import to_csv
from kasane.report.rows import Manual, source_of
from kasane.runtime.commands import load_command
from kasane.store.log_follower import LogFollower

from consultation.application import ConsultationApplication
from consultation.domain.consultation import Consultation
from directory.profile import load_profile
from kasane.config import REPO_ROOT
from outreach import schemas
from outreach.application import OutreachApplication

ISE = load_profile(REPO_ROOT / "deploy" / "profiles" / "ise.yaml")
ICHIKAWA = load_profile(REPO_ROOT / "deploy" / "profiles" / "ichikawa.yaml")
MADE_AT = datetime(2026, 4, 10, 9, 0, tzinfo=JST)
YORISOI = {"agency_id": "ise-yorisoi", "name": "福祉総合支援センターよりそい"}
HIGASHI = {"agency_id": "ise-hokatsu-higashi", "name": "地域包括支援センター（東）"}
KITA = {"agency_id": "ise-hokatsu-kita", "name": "地域包括支援センター（北）"}


def consultation(app, agency, at: datetime, contacts=()) -> None:
    c = Consultation.receive(household_id=uuid4(), agency=agency, received_at=at, channel="phone",
                             consulted_by="self", issue_categories=["care"], urgency="normal",
                             caseworker_id="sw", persons=[], summary=None)
    for moment in contacts:
        c.record_contact(contact_id=uuid4(), contacted_at=moment, channel="phone",
                         caseworker_id="sw", note=None)
    app.save(c)


def area_work(app, kind: str, held_on: str, **more) -> None:
    data, trace = load_command(schemas.AreaWorkSchema(), {
        "kind": kind, "area": "小俣地区", "held_on": held_on, "worker_id": "csw-03", **more})
    app.record_area_work(trace, **data)


def popup(app, held_on: str) -> None:
    area_work(app, "popup_desk", held_on, place="公民館", figures={"visitors": 3, "consultations": 1})


@pytest.fixture
def seeded():
    """A seeded FY2025 (令和7年度) of Ise, worked out by hand in the assertions below."""
    desk = ConsultationApplication(instance="ise-desk", organisation="ise-city", agencies=[YORISOI, HIGASHI, KITA])
    consultation(desk, HIGASHI, datetime(2025, 4, 1, 0, 5, tzinfo=JST),            # FY2025, April
                 contacts=[datetime(2026, 3, 31, 23, 30, tzinfo=JST),               # FY2025, March
                           datetime(2026, 4, 1, 0, 0, tzinfo=JST)])                 # FY2026
    consultation(desk, KITA, datetime(2026, 3, 31, 23, 59, tzinfo=JST))             # FY2025, March
    consultation(desk, KITA, datetime(2025, 3, 31, 23, 59, tzinfo=JST))             # FY2024
    consultation(desk, YORISOI, datetime(2025, 10, 2, 10, 0, tzinfo=JST))           # FY2025, October
    shakyo = OutreachApplication(instance="ise-outreach-shakyo", organisation="ise-shakyo")
    ishikai = OutreachApplication(instance="ise-outreach-ishikai", organisation="ise-ishikai")
    popup(shakyo, "2025-06-01"), popup(shakyo, "2026-03-31"), popup(shakyo, "2026-04-01")
    popup(ishikai, "2025-04-01"), popup(ishikai, "2025-06-20")
    area_work(ishikai, "mapping", "2025-09-09", figures={"sites": 2}, partners=["まちづくり協議会"])
    return desk, shakyo, ishikai


def sources_of(desk, *outreach) -> list[dict]:
    return [{"service": "consultation", **desk.report_counts(2025)},
            *({"service": "outreach", **app.report_counts(2025)} for app in outreach)]


def rows_of(report: dict) -> dict:
    return {row["kpi_id"]: row for line in report["business_lines"] for row in line["rows"]}


def test_the_report_counts_the_fiscal_year_in_japan_time_across_31_march(seeded):
    desk, shakyo, ishikai = seeded
    rows = rows_of(build_report(ISE, 2025, sources_of(desk, shakyo, ishikai), [], MADE_AT))
    hokatsu = rows["ise-r7-hokatsu-total"]
    # 東: intake 4/1 + contact 3/31 23:30 (the 4/1 00:00 contact is FY2026); 北: intake 3/31 23:59
    assert (rows["ise-r7-hokatsu-new"]["actual"], hokatsu["actual"]) == (2, 3)
    assert hokatsu["by_month"] == [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]
    assert hokatsu["by_agency"] == [{"agency": "ise-hokatsu-higashi", "name": "地域包括支援センター（東）", "n": 2},
                                    {"agency": "ise-hokatsu-kita", "name": "地域包括支援センター（北）", "n": 1}]
    assert {a["area"]: a["n"] for a in hokatsu["by_area"]} == {"ise-hokatsu-area-higashi": 2,
                                                               "ise-hokatsu-area-kita": 1}
    yorisoi = rows["ise-r7-yorisoi-new"]
    assert (yorisoi["actual"], yorisoi["target"], yorisoi["ratio"]) == (1, 2300, 1 / 2300)


def test_city_totals_sum_every_instance_of_a_business_line(seeded):
    desk, shakyo, ishikai = seeded
    report = build_report(ISE, 2025, sources_of(desk, shakyo, ishikai), [], MADE_AT)
    popups = rows_of(report)["ise-r7-popup-desks"]
    # 社協: 6/1 and 3/31 (4/1 is FY2026); 医師会: 4/1 and 6/20
    assert popups["actual"] == 4 and popups["ratio"] == 4 / 17
    assert popups["by_month"] == [1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert popups["by_instance"] == [{"instance": "ise-outreach-ishikai", "n": 2},
                                     {"instance": "ise-outreach-shakyo", "n": 2}]
    assert rows_of(report)["ise-r7-mapping-surveys"]["actual"] == 2
    outreach = next(b for b in report["business_lines"] if b["business_line"] == "outreach")
    assert outreach["instances"] == ["ise-outreach-ishikai", "ise-outreach-shakyo"]


def test_a_past_year_gives_the_same_numbers_after_every_view_is_rebuilt(seeded):
    desk, shakyo, ishikai = seeded
    before = build_report(ISE, 2025, sources_of(desk, shakyo, ishikai), [], MADE_AT)
    consultation(desk, YORISOI, datetime(2026, 4, 2, 9, 0, tzinfo=JST))  # a later year goes on
    popup(shakyo, "2026-05-01")
    for app in (desk, shakyo, ishikai):
        app.report = type(app.report)(list(_counts_of(app)))
        app.views = LogFollower(app, [app.report])
    after = build_report(ISE, 2025, sources_of(desk, shakyo, ishikai), [], MADE_AT)
    assert rows_of(after) == rows_of(before)
    assert after["made_at"] == "2026-04-10T00:00:00Z"


def _counts_of(app):
    return [c for counts in app.report.by_event.values() for c in counts]


def test_every_row_of_the_ise_r7_and_ichikawa_r5_tables_is_counted_or_marked_manual():
    for profile, fy in ((ISE, 2025), (ICHIKAWA, 2023)):
        report = build_report(profile, fy, [], [], MADE_AT)
        rows = rows_of(report)
        assert len(rows) == len([k for k in profile.kpi_targets if k["fiscal_year"] == fy]) > 0
        for row in rows.values():
            assert row["kind"] in ("counted", "manual")
            assert row["kind"] == "counted" or row["reason"]
    assert rows_of(build_report(ISE, 2025, [], [], MADE_AT))["ise-r7-popup-desks"]["actual"] == 0
    staff_trainings = next(k for k in ISE.kpi_targets if k["id"] == "ise-r7-staff-trainings")
    assert isinstance(source_of(staff_trainings), Manual)


def test_a_manual_row_shows_the_value_entered_by_whom_and_when():
    entry = {"kpi_id": "ise-r7-staff-trainings", "value": 5, "entered_by": {"name": "伊勢 花子",
             "organisation": "ise-fukushi-sogo-shien"}, "entered_at": "2026-04-05T01:00:00Z", "note": None}
    report = build_report(ISE, 2025, [], [entry], MADE_AT)
    row = rows_of(report)["ise-r7-staff-trainings"]
    assert (row["actual"], row["ratio"], row["entry"]["entered_by"]["name"]) == (5, 5 / 8, "伊勢 花子")
    text = to_csv(report).decode("utf-8")
    assert text.startswith("\ufeff") and "手入力" in text and "伊勢 花子" in text
    assert "令和8年(2026年)4月5日 10:00" in text and "未入力" in text


def test_fiscal_years_and_dates_are_read_and_written_in_wareki_with_the_western_year():
    assert parse_fiscal_year("R7") == parse_fiscal_year("2025") == parse_fiscal_year("令和7年度") == 2025
    assert wareki_date("2025-04-01") == "令和7年(2025年)4月1日"
    assert wareki_month("2019-05") == "令和元年(2019年)5月"
    with pytest.raises(ValueError):
        parse_fiscal_year("next year")


def test_the_html_report_is_japanese_a4_with_an_svg_chart_per_business_line(seeded):
    from kasane.report.html import to_html

    report = build_report(ISE, 2025, sources_of(*seeded), [], MADE_AT)
    page = to_html(report)
    assert '<html lang="ja">' in page and "size: A4" in page and "<script" not in page
    assert page.count('class="chart"') == len(report["business_lines"]) == 5
    assert "令和7年(2025年)4月～令和8年(2026年)3月" in page and "アウトリーチ型ふくしなんでも相談所の実施" in page
    assert "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
