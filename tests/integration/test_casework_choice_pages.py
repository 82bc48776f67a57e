"""Issue 19's inputs on the caseworkers' pages, in a city whose directory (a small profile) names
its areas and meeting bodies: the intake's 日常生活圏域 chosen from the desk's copy, the meeting
body (会議体) chosen where a 重層的支援会議 or 支援会議 is recorded, the likely same persons at
多機関協働 joined or kept apart (recorded either way), and trainings recorded by kind with the
year's visitors by kind of place. Bad input is refused next to its field, nothing stored."""
import re
import secrets

import pytest

from kasane.clock import now
from kasane.fiscal_year import fiscal_year_of
from tests.casework_helpers import body, case_of, lines_world, referred_household, same_person_twice
from tests.pages_helpers import field_error, intake_form
from tests.servers import slice_of_servers, wait_until

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def world(platform, tmp_path_factory):
    with slice_of_servers(platform.state_dir) as p:
        world = lines_world(p, tmp_path_factory.mktemp("choices"))
        city = world["city"]
        with p.rpc() as rpc:  # 地域づくり started after the profile was applied: 再告知
            rpc[f"{city}-dir"].announce({"city": city})
            wait_until(lambda: rpc[f"{city}-chiiki"].directory_areas(city)["areas"], timeout=60,
                       message="the city's areas in 地域づくり's copy")
        yield world


def counts(world, instance: str, **query) -> dict:
    with world["platform"].rpc() as rpc:
        return rpc[f"{world['city']}-{instance}"].fiscal_year_counts({"fiscal_year": fiscal_year_of(now()), **query})


def fresh_kana() -> str:
    return "ケンイキ " + secrets.token_hex(3).translate(str.maketrans("0123456789abcdef", "アイウエオカキクケコサシスセソタ"))


# -- 日常生活圏域 at intake ------------------------------------------------------------------

def test_the_intake_offers_the_areas_of_the_desk_s_directory_copy(world):
    desk = world["pages"]["desk"]
    page = desk.post("/intake/search", {"kana": fresh_kana()}).text
    assert '<select id="area" name="area"' in page
    assert f'<option value="{world["city"]}-aitopia">あいとぴあエリア</option>' in page
    assert "（わからない・市外）" in page


def test_an_area_not_of_the_directory_is_refused_next_to_the_field_and_nothing_is_stored(world):
    desk, kana = world["pages"]["desk"], fresh_kana()
    before = counts(world, "desk")["new"]
    refused = desk.post("/intake", intake_form(p0_kana=kana, area="nowhere-area", search_kana=kana))
    assert refused.status_code == 422
    assert field_error(refused.text, "area") == "日常生活圏域を選んでください"
    assert 'href="#area"' in refused.text and 'aria-invalid="true"' in refused.text
    assert counts(world, "desk")["new"] == before
    assert desk.post("/intake/search", {"kana": kana}).text.count('name="household_id" value="') == 1  # new only


def test_the_area_chosen_at_intake_is_counted_for_that_area(world):
    desk, area = world["pages"]["desk"], f"{world['city']}-shokichien"
    before = counts(world, "desk", area=area)["new"]
    taken = desk.post("/intake", intake_form(p0_kana=fresh_kana(), area=area))
    assert "/households/" in taken.url, taken.text[:1000]
    assert counts(world, "desk", area=area)["new"] == before + 1


# -- 会議体 (the city's own meeting bodies) ----------------------------------------------------

@pytest.fixture(scope="module")
def consented_case(world):
    with world["platform"].rpc() as rpc:
        case = case_of(rpc, f"{world['city']}-takikan", referred_household(world["pages"]["desk"], fresh_kana()))
    takikan = world["pages"]["takikan"]
    takikan.post(f"/cases/{case}/assessment", {"a_categories": ["8050"], "a_situation": "母の介護"})
    return case


def test_a_meeting_without_its_body_is_refused_next_to_the_field_and_nothing_is_stored(world, consented_case):
    takikan = world["pages"]["takikan"]
    page = takikan.get(f"/cases/{consented_case}").text
    assert "開催した会議体" in page and "支援調整会議" in page and "地域ケア会議" in page
    refused = takikan.post(f"/cases/{consented_case}/meeting", {"decision": "suspension",
                                                               "suspension_reason": "contact_lost"})
    assert refused.status_code == 422 and field_error(refused.text, "body_id") == "会議体を選んでください"
    elsewhere = takikan.post(f"/cases/{consented_case}/meeting", {"decision": "suspension", "body_id": "other-city-kaigi",
                                                                 "suspension_reason": "contact_lost"})
    assert field_error(elsewhere.text, "body_id") == "会議体を選んでください"
    assert "まだ会議の記録はありません" in takikan.get(f"/cases/{consented_case}").text


def test_the_meeting_s_body_is_recorded_and_counted(world, consented_case):
    takikan = world["pages"]["takikan"]
    held = takikan.post(f"/cases/{consented_case}/meeting", {**body(world["city"]), "decision": "suspension",
                                                            "suspension_reason": "contact_lost"})
    assert "中断" in held.text, held.text[:2000]
    by_body = {b["body_id"]: b for b in counts(world, "takikan")["meetings_by_body"]}
    assert by_body[f"{world['city']}-shien-chosei-kaigi"]["name"] == "支援調整会議"


def test_a_support_meeting_names_its_body_in_its_record(world):
    takikan, shakyo = world["pages"]["takikan"], world["pages"]["shakyo"]
    with world["platform"].rpc() as rpc:
        case = case_of(rpc, f"{world['city']}-takikan",
                       referred_household(world["pages"]["desk"], fresh_kana(), consent=False))
    page = takikan.get(f"/cases/{case}").text
    assert "市が支援会議として位置付けている会議体" in page
    held = takikan.post(f"/cases/{case}/meeting", {
        "body_id": f"{world['city']}-chiiki-care-kaigi", "decision": "suspension", "suspension_reason": "declined",
        "host_secrecy": "yes", "m1_organisation": world["orgs"]["shakyo"], "m1_role": "outreach",
        "m1_staff_id": shakyo.get("/api/session").json()["staff_id"], "m1_secrecy": "yes",
        "information_shared": "郵便物が溜まっている"})
    assert "/support-meetings/" in held.url, held.text[:1500]
    assert re.search(r'id="meeting-body">地域ケア会議<', held.text)


# -- 同一人物の確認 ------------------------------------------------------------------------------

def test_a_likely_same_person_is_listed_and_shown_side_by_side(world):
    takikan, check = world["pages"]["takikan"], same_person_twice(world)
    today = takikan.get("/today").text
    assert 'href="/same-person"' in today and int(re.search(r'id="same-person-waiting">(\d+)件', today).group(1)) >= 1
    listed = takikan.get("/same-person").text
    assert f'href="/same-person/{check["check_id"]}"' in listed and "確認待ちはありません" not in listed
    page = takikan.get(f"/same-person/{check['check_id']}").text
    assert page.count("見本 ハナ") == 2 and page.count("昭和17年(1942年)5月10日") == 2
    assert f'href="/cases/{check["case_id"]}"' in page and f'href="/cases/{check["other_case_id"]}"' in page


def test_a_decision_is_refused_next_to_its_field_without_one_and_nothing_is_stored(world):
    takikan, check = world["pages"]["takikan"], same_person_twice(world)
    refused = takikan.post(f"/same-person/{check['check_id']}", {"note": "x" * 2001})
    assert refused.status_code == 422
    assert field_error(refused.text, "decision") == "同一人物かどうかの判断を選んでください"
    assert field_error(refused.text, "note") == "判断の理由は2000文字以内で入力してください"
    with world["platform"].rpc() as rpc:
        undecided = rpc[f"{world['city']}-takikan"].same_person_checks({})["checks"]
    assert check["check_id"] in {c["check_id"] for c in undecided}


def test_kept_apart_is_recorded_and_both_cases_stay_open(world):
    takikan, check = world["pages"]["takikan"], same_person_twice(world)
    kept = takikan.post(f"/same-person/{check['check_id']}", {"decision": "keep_apart", "note": "住所が違う"})
    assert kept.url.endswith("/same-person")
    decided = takikan.get(f"/same-person/{check['check_id']}").text
    assert re.search(r'id="decision-recorded">別の世帯として分けたまま（令和', decided)
    assert 'action="/same-person/' not in decided  # decided once
    assert 'id="case-status">受理（アセスメント中）<' in takikan.get(f"/cases/{check['case_id']}").text


def test_joined_the_new_case_ends_as_joined_and_its_referral_goes_on_in_the_existing_case(world):
    takikan, check = world["pages"]["takikan"], same_person_twice(world)
    joined = takikan.post(f"/same-person/{check['check_id']}", {"decision": "join"})
    assert joined.url.endswith(f"/cases/{check['other_case_id']}"), joined.text[:1000]
    ended = takikan.get(f"/cases/{check['case_id']}").text
    assert re.search(r'id="case-status">統合（同一人物として他のケースへ）<', ended), ended[:1500]
    assert f'<a href="/cases/{check["other_case_id"]}">統合先のケースを開く</a>' in ended
    again = takikan.post(f"/same-person/{check['check_id']}", {"decision": "keep_apart"})
    assert again.status_code == 409  # decided once: the collaboration instance refuses a second


# -- 研修の種類・場の種類ごとの来所者 ---------------------------------------------------------------

def test_a_training_with_no_kind_a_future_day_or_a_bad_count_is_refused_and_nothing_is_stored(world):
    sanka, before = world["pages"]["sanka"], counts(world, "chiiki")["trainings_held"]
    refused = sanka.post("/community/trainings", {"title": "", "held_era": "reiwa", "held_year": "30",
                                                  "held_month": "1", "held_day": "1", "attendees": "三十",
                                                  "training_area": "nowhere"})
    assert refused.status_code == 422
    assert field_error(refused.text, "training_kind") == "研修の種類を選んでください"
    assert field_error(refused.text, "title") == "研修の名称を入力してください"
    assert field_error(refused.text, "held_year") == "開催日に未来の日付は入力できません"
    assert field_error(refused.text, "attendees") == "参加者数は0以上の数字で入力してください"
    assert field_error(refused.text, "training_area") == "圏域を選んでください"
    assert counts(world, "chiiki")["trainings_held"] == before


def test_trainings_are_counted_by_kind_and_visitors_by_kind_of_place(world):
    sanka, on = world["pages"]["sanka"], {"held_era": "seireki", "held_year": str(now().year),
                                          "held_month": str(now().month), "held_day": str(now().day)}
    for kind, attendees in (("volunteer_intro", "12"), ("volunteer_intro", "8"), ("life_support_supporter", "230")):
        recorded = sanka.post("/community/trainings", {"training_kind": kind, "title": "講座", **on,
                                                       "training_area": f"{world['city']}-aitopia",
                                                       "attendees": attendees})
        assert recorded.url.endswith("/community/trainings"), recorded.text[:1000]
    page = recorded.text
    assert 'id="held-volunteer_intro">2回' in page and 'id="attendees-volunteer_intro">20人' in page
    assert 'id="held-life_support_supporter">1回' in page and 'id="attendees-life_support_supporter">230人' in page
    place = sanka.post("/community/places", {"place_kind": "kayoi_no_ba", "place_name": "かよいの場",
                                             "place_area": f"{world['city']}-aitopia", "operator": "町会"})
    path = re.search(r'href="(/community/places/[0-9a-f-]{36})">かよいの場', place.text).group(1)
    day = {k.replace("held", "on"): v for k, v in on.items()}
    sanka.post(path + "/visitors", {**day, "visitors": "15"})
    assert 'id="visitors-kayoi_no_ba">15人' in sanka.get("/community/trainings").text


def test_a_company_matching_needs_its_company_and_counts_new_once_then_in_the_total(world):
    sanka = world["pages"]["sanka"]
    day = {"matched_era": "reiwa", "matched_year": str(now().year - 2018), "matched_month": str(now().month),
           "matched_day": str(now().day)}
    before = counts(world, "chiiki")
    refused = sanka.post("/community/matchings", {"matching_kind": "company_area", "matching_place": "nowhere", **day})
    assert refused.status_code == 422
    assert field_error(refused.text, "partner").startswith("企業等とのマッチングでは")
    assert field_error(refused.text, "matching_place") == "場・活動を選んでください"
    assert counts(world, "chiiki")["company_matchings_total"] == before["company_matchings_total"]
    company = "株式会社" + secrets.token_hex(2)
    for kind, partner in (("company_area", company), ("company_area", company), ("resident_activity", "")):
        done = sanka.post("/community/matchings", {"matching_kind": kind, "partner": partner, **day})
        assert done.url.endswith("/community/trainings"), done.text[:1000]
    after = counts(world, "chiiki")
    assert (after["company_matchings_new"], after["company_matchings_total"], after["resident_matchings"]) == (
        before["company_matchings_new"] + 1, before["company_matchings_total"] + 2, before["resident_matchings"] + 1)
    assert f'新規 {after["company_matchings_new"]}社・延べ {after["company_matchings_total"]}件' in done.text
