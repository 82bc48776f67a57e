"""地域づくり on its organisation's gateway, driven as a browser without JavaScript: places and
activities per area with visitors counted on a day typed in 和暦, a coordinator appointed, the
地域課題シート and its handling, and a つなぐシート written with the person — kept at the place
without consent, and not sent until consent and an agency are given. Bad input is refused by
field with nothing stored."""
import re
import secrets

import pytest

from tests.pages_helpers import field_error, organisation, signed_in

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def world(platform):
    u, community, gateway = organisation(platform, "pco", "community", agencies=())
    platform.start(community, gateway)
    return {"pages": signed_in(gateway, f"pco-{u}")}


@pytest.fixture(scope="module")
def place(world):
    pages, area = world["pages"], "北部圏域" + secrets.token_hex(2)
    registered = pages.post("/community/places", {"place_kind": "salon", "place_name": "ふれあいサロン北",
                                                  "place_area": area, "operator": "北町会", "capacity": "20"})
    assert area in registered.text and "ふれあいサロン北" in registered.text, registered.text[:2000]
    return re.search(r'href="(/community/places/[0-9a-f-]{36})">ふれあいサロン北', registered.text).group(1)


def test_today_links_the_community_pages_for_an_organisation_that_runs_one(world):
    assert 'href="/community"' in world["pages"].get("/today").text


def test_a_place_with_markup_in_its_name_or_a_bad_capacity_is_refused_and_nothing_is_stored(world):
    pages = world["pages"]
    refused = pages.post("/community/places", {"place_kind": "salon", "place_name": "<b>サロン</b>",
                                               "place_area": "", "operator": "", "capacity": "二十"})
    assert refused.status_code == 422
    assert field_error(refused.text, "place_name").startswith("名称に使えない記号")
    assert field_error(refused.text, "place_area") == "圏域を入力してください"
    assert field_error(refused.text, "capacity").startswith("定員は1以上の数字")
    assert "&lt;b&gt;サロン&lt;/b&gt;" in refused.text and "<b>サロン</b>" not in pages.get("/community").text


def test_visitors_and_activities_are_counted_at_the_place(world, place):
    pages = world["pages"]
    on = {"on_era": "reiwa", "on_year": "8", "on_month": "11", "on_day": "20"}
    future = pages.post(place + "/visitors", {"on_era": "reiwa", "on_year": "20", "on_month": "1", "on_day": "1",
                                              "visitors": "12"})
    assert field_error(future.text, "on_year") == "日付に未来の日付は入力できません"
    counted = pages.post(place + "/visitors", {**on, "visitors": "12"})
    assert 'id="visitors-total">12人' in counted.text
    held = pages.post(place + "/activities", {**on, "group": "体操の会"})
    assert 'id="activities-held">1回' in held.text


def test_a_coordinator_and_an_area_issue_with_its_handling(world):
    pages = world["pages"]
    appointed = pages.post("/community/coordinators", {"layer": "first", "coordinator_name": "地域 一子"})
    assert "第1層（市全域）" in appointed.text and "地域 一子" not in appointed.text  # names are not listed
    issue = pages.post("/community/area-issues", {"issue_area": "南部圏域", "committee": "福祉のまちづくり委員会",
                                                  "issue_categories": ["isolation"], "raised_by": "minsei_iin",
                                                  "description": "買い物に行けない高齢者が多い"})
    assert "買い物に行けない高齢者が多い" in issue.text and "共有済" in issue.text
    sheet = re.search(r'action="(/community/area-issues/[0-9a-f-]{36}/handling)"', issue.text).group(1)
    handled = pages.post(sheet, {"status": "in_progress", "handling_note": "移動販売を誘致"})
    assert re.search(r"<li>令和[^<]*取組中</li>", handled.text)  # the note is kept, not listed


def test_a_tsunagu_sheet_without_consent_keeps_no_detail_and_is_not_sent_without_an_agency(world, place):
    """Seed 001 §10(4)1: without consent only that a sheet was written, where and about what."""
    pages = world["pages"]
    typed = pages.post(place + "/sheets", {"person_name": "相談 次郎", "sheet_categories": ["isolation"],
                                           "sheet_summary": "一人暮らしで話し相手がいない", "consent": "no"})
    assert typed.status_code == 422
    assert field_error(typed.text, "person_name") == "本人の同意がないときは記録しません（シートを書いたことだけを記録します）"
    kept = pages.post(place + "/sheets", {"sheet_categories": ["isolation"], "consent": "no"})
    assert "/community/sheets/" in kept.url and 'id="sheet-status">同意なし（場で保管）' in kept.text
    assert "相談 次郎" not in kept.text and "本人同意の範囲外のため表示しません" in kept.text
    path = kept.url.removeprefix(pages.base)
    refused = pages.post(path + "/send", {"person_name": "相談 次郎", "given_by": "self", "method": "oral"})
    assert field_error(refused.text, "to_agency") == "送付先の相談支援機関を選んでください"
    assert 'value="相談 次郎"' in refused.text  # what was typed comes back
    assert 'id="sheet-status">同意なし（場で保管）' in pages.get(path).text
