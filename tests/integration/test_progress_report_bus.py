"""進捗管理 over running instances: the report asks every instance of the deployment over RPC,
sums two outreach instances of one city, counts the fiscal year in Japan time across 31 March,
shows a 手入力 row as entered (who, when) through the directory, and gives the same numbers
after the instances restart and rebuild their views from their logs."""
import pytest

from kasane.cli.report import fiscal_year_report

pytestmark = pytest.mark.integration

STAFF = {"name": "伊勢 花子", "organisation": "ise-city"}


def popup(rpc, instance: str, held_on: str) -> None:
    rpc[instance].record_area_work({"kind": "popup_desk", "area": "ise-hokatsu-area-higashi", "held_on": held_on,
                                    "worker_id": "csw-03", "place": "公民館",
                                    "figures": {"visitors": 4, "consultations": 1}})


def rows_of(report: dict) -> dict:
    return {row["kpi_id"]: row for line in report["business_lines"] for row in line["rows"]}


@pytest.fixture(scope="module")
def city(platform):
    """One city for the module: no test depends on another's entries (the manual row is checked
    only by the test that enters it; the later pop-up desk falls in another fiscal year)."""
    directory = platform.instance("directory", "rep-dir", organisation="ise-city")
    shakyo = platform.instance("outreach", "rep-out-shakyo", organisation="ise-shakyo")
    ishikai = platform.instance("outreach", "rep-out-ishikai", organisation="ise-ishikai")
    platform.start(directory, shakyo, ishikai)
    with platform.rpc() as rpc:
        rpc[directory.settings.instance].apply_profile({"profile": "ise"})
        popup(rpc, shakyo.settings.instance, "2025-04-01")
        popup(rpc, shakyo.settings.instance, "2026-03-31")
        popup(rpc, shakyo.settings.instance, "2026-04-01")   # FY2026 (令和8年度)
        popup(rpc, ishikai.settings.instance, "2025-11-20")
    yield [directory, shakyo, ishikai]
    platform.stop(directory, shakyo, ishikai)


def test_the_report_sums_every_instance_and_shows_who_entered_a_manual_row(platform, city):
    directory, shakyo, ishikai = city
    with platform.rpc(reader=STAFF) as rpc:
        rpc[directory.settings.instance].enter_kpi_actual({
            "city": "ise", "fiscal_year": 2025, "kpi_id": "ise-r7-staff-trainings", "value": 6})
    rows = rows_of(fiscal_year_report("ise", 2025, deployment=city))
    popups = rows["ise-r7-popup-desks"]
    assert (popups["actual"], popups["target"]) == (3, 17)
    assert popups["by_month"] == [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1]
    assert {i["instance"]: i["n"] for i in popups["by_instance"]} == {
        shakyo.settings.instance: 2, ishikai.settings.instance: 1}
    trainings = rows["ise-r7-staff-trainings"]
    assert (trainings["kind"], trainings["actual"]) == ("manual", 6)
    assert trainings["entry"]["entered_by"]["name"] == "伊勢 花子" and trainings["entry"]["entered_at"]


def test_a_past_year_gives_the_same_numbers_after_the_instances_rebuild_their_views(platform, city):
    before = rows_of(fiscal_year_report("ise", 2025, deployment=city))
    platform.stop(*city[1:])
    platform.start(*city[1:])
    with platform.rpc() as rpc:
        popup(rpc, city[1].settings.instance, "2026-05-01")  # the next year goes on
    after = rows_of(fiscal_year_report("ise", 2025, deployment=city))
    assert after == before


def test_a_manual_entry_for_a_row_the_city_does_not_have_is_refused(platform, city):
    from kasane.errors import InvalidCommand

    with platform.rpc(reader=STAFF) as rpc, pytest.raises(InvalidCommand):
        rpc[city[0].settings.instance].enter_kpi_actual({
            "city": "ise", "fiscal_year": 2025, "kpi_id": "no-such-row", "value": 1})


def test_a_manual_entry_from_a_caller_who_is_not_identified_is_refused(platform, city):
    from kasane.client import rpc_cluster
    from kasane.errors import InvalidCommand

    with rpc_cluster(platform.broker) as rpc, pytest.raises(InvalidCommand, match="entered_by"):
        rpc[city[0].settings.instance].enter_kpi_actual({
            "city": "ise", "fiscal_year": 2025, "kpi_id": "ise-r7-staff-trainings", "value": 1})
