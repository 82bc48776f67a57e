"""The pages of 多機関協働 (meetings, 支援会議), アウトリーチ, 参加支援 and 地域づくり in Chromium
(Debian's, headless): axe-core finds no serious or critical violation on any of them, as shown
and as refused with the errors next to their fields; a participation support and a match are
checked once the data they show exists."""
import re

import pytest

from tests.browser_helpers import chromium, serious_violations
from tests.casework_helpers import every_line_s_pages, lines_world
from tests.servers import slice_of_servers
from tests.story_steps import signed_in

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def world(platform, tmp_path_factory):
    with slice_of_servers(platform.state_dir) as p:
        world = lines_world(p, tmp_path_factory.mktemp("lines"))
        world["paths"] = every_line_s_pages(world)
        with chromium() as browser:
            world["browser"] = {k: signed_in(browser, g, world["staff"][k]) for k, g in world["gates"].items()}
            yield world


def test_every_new_page_has_no_serious_or_critical_violation(world):
    found = {}
    for name, (gate, path) in world["paths"].items():
        page = world["browser"][gate]
        page.goto(path)
        assert "この操作はできません" not in page.inner_text("main"), (name, page.inner_text("main")[:300])
        found[name] = serious_violations(page)
    assert {name: v for name, v in found.items() if v} == {}


def test_the_refused_forms_have_no_serious_or_critical_violation(world):
    found = {}
    for name, (gate, path), button in (
            ("会議の決定（エラー）", world["paths"]["多機関協働のケース（モニタリング）"], "/meeting"),
            ("把握（エラー）", ("shakyo", "/outreach"), "/outreach/leads"),
            ("受入先（エラー）", ("sanka", "/participation/hosts"), "/participation/hosts"),
            ("地域課題シート（エラー）", ("sanka", "/community"), "/community/area-issues"),
            ("研修（エラー）", ("sanka", "/community/trainings"), "/community/trainings"),
            ("マッチング（エラー）", ("sanka", "/community/trainings"), "/community/matchings"),
            ("追跡調査（エラー）", world["paths"]["アンケートの回収"], "/follow-up"),
            ("同一人物の確認（エラー）", world["paths"]["同一人物の確認"], world["paths"]["同一人物の確認"][1])):
        page = world["browser"][gate]
        page.goto(path)
        page.click(f"form[action$='{button}'] button[type=submit]")
        page.wait_for_load_state()
        assert "入力内容に問題があります" in page.inner_text("main"), name
        found[name] = serious_violations(page)
    assert {name: v for name, v in found.items() if v} == {}


def test_the_intake_with_the_directory_s_areas_has_no_serious_violation_as_shown_and_refused(world):
    desk = world["browser"]["desk"]
    desk.goto("/intake")
    desk.fill("#kana", "ケンイキ ミホン")
    desk.click("main button[type=submit]")
    assert desk.locator("#area option").count() > 1  # the areas of the desk's copy of the directory
    shown = serious_violations(desk)
    desk.click("form[action='/intake'] button[type=submit]")
    desk.wait_for_load_state()
    assert "入力内容に問題があります" in desk.inner_text("main")
    assert {"shown": shown, "refused": serious_violations(desk)} == {"shown": [], "refused": []}


def test_a_support_with_its_ranked_hosts_and_a_match_have_no_serious_violation(world):
    from uuid import uuid4
    with world["platform"].rpc() as rpc:
        support = rpc[f"{world['city']}-sanka"].receive_request({
            "household_id": str(uuid4()), "agency": {"agency_id": "desk-a", "name": "福祉相談窓口"},
            "consent": {"given_by": "self", "method": "written", "given_at": "2026-11-01T01:00:00Z"},
            "caseworker_id": "desk-1", "persons": [{"person_id": str(uuid4()), "name": "参加 一"}]})["support_id"]
    sanka = world["pages"]["sanka"]
    sanka.post(f"/participation/supports/{support}/needs", {"wished_offers": ["place_to_belong"], "can_travel": "yes"})
    planned = sanka.post(f"/participation/supports/{support}/plan", {"goal_1": "週に一度通う", "review_era": "reiwa",
                                                                    "review_year": "9", "review_month": "3",
                                                                    "review_day": "31"})
    proposed = re.search(r'name="host_id" value="([^"]+)"', planned.text)
    assert proposed, (planned.status_code, re.findall(r"エラー: [^<]*|<h1>[^<]*", planned.text))
    host = proposed.group(1)
    match = sanka.post(f"/participation/supports/{support}/match", {"host_id": host}).url.removeprefix(sanka.base)
    sanka.post(match + "/start", {})
    page, found = world["browser"]["sanka"], {}
    for name, path in (("参加支援の記録", f"/participation/supports/{support}"), ("マッチングの記録", match)):
        page.goto(path)
        found[name] = serious_violations(page)
    assert {name: v for name, v in found.items() if v} == {}
