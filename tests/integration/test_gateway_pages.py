"""The caseworkers' pages on an organisation's gateway, driven as a browser without JavaScript:
sign-in (password, then the code), the intake with the household search first and the consent
on the same page, the household page, refusals next to their fields with nothing stored."""
import secrets

import pytest

from gateway.domain.roles import AUDITOR, CASEWORKER, CITY_IT, SUPERVISOR
from tests.gateway_helpers import add_staff
from tests.pages_helpers import Pages, field_error, intake_form, organisation

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def world(platform):
    u, desk, gateway = organisation(platform, "pga")
    _, other_desk, other = organisation(platform, "pgb")
    for deployed in (desk, gateway, other_desk, other):
        platform.start(deployed)
    return {"gateway": gateway, "other": other, "caseworker": add_staff(gateway, f"pg-{u}", CASEWORKER),
            "outsider": add_staff(other, f"pgo-{u}", CASEWORKER)}


@pytest.fixture
def caseworker(world):
    pages = Pages(world["gateway"])
    assert pages.sign_in(world["caseworker"]).url.endswith("/today")
    return pages


def take_intake(pages: Pages, **overrides):
    pages.post("/intake/search", {"kana": "ミホン ハナ"})
    return pages.post("/intake", intake_form(**overrides))


def test_a_page_without_a_session_sends_the_browser_to_sign_in(world):
    response = Pages(world["gateway"]).get("/today")
    assert response.url.endswith("/login") and "<h1>ログイン</h1>" in response.text


def test_a_wrong_password_is_refused_next_to_its_field_keeping_the_login_but_never_the_password(world):
    account = world["caseworker"]
    response = Pages(world["gateway"]).sign_in({**account, "password": "wrong-password-typed"})
    assert response.status_code == 401
    assert field_error(response.text, "password") == "ログインIDかパスワードが正しくありません"
    assert f'value="{account["login"]}"' in response.text and "wrong-password-typed" not in response.text
    assert 'class="error-summary"' in response.text and 'href="#password"' in response.text


def test_a_supervisor_signs_in_with_the_password_then_the_code(world):
    boss = add_staff(world["gateway"], f"pgboss-{secrets.token_hex(2)}", SUPERVISOR)
    pages = Pages(world["gateway"])
    without = pages.sign_in(boss, code=" ")
    assert field_error(without.text, "code") == "確認コード（二要素認証）を入力してください"
    assert field_error(pages.sign_in(boss, code="000000").text, "code").startswith("確認コードが正しくありません")
    assert pages.sign_in(boss).url.endswith("/today")


def test_pages_are_never_cached_framed_or_allowed_to_run_scripts(caseworker):
    response = caseworker.get("/today")
    assert response.headers["Cache-Control"] == "no-store"
    assert "script-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_a_caseworker_searches_first_then_takes_the_intake_with_consent_and_sees_the_household(caseworker):
    kana = "ケンサク " + secrets.token_hex(2).translate(str.maketrans("0123456789abcdef", "アイウエオカキクケコサシスセソタ"))
    searched = caseworker.post("/intake/search", {"kana": kana})
    assert "該当する世帯は見つかりませんでした" in searched.text
    household = caseworker.post("/intake", intake_form(p0_kana=kana))
    assert "/households/" in household.url and "見本 ハナ" not in household.url
    page = household.text
    assert "見本 ハナ" in page and "見本 一郎" in page
    assert "昭和17年(1942年)5月10日" in page and "昭和47年(1972年)3月1日" in page
    assert "同意あり" in page and "多機関協働・重層的支援会議での共有" in page
    timeline = page[page.index("経過（新しい順）"):]
    assert timeline.index("本人同意の記録") < timeline.index("相談受付") < timeline.index("世帯登録")
    assert "包括的相談支援事業" in timeline
    again = caseworker.post("/intake/search", {"kana": kana})
    assert "見本 ハナ" in again.text and "新しい世帯として登録する" in again.text  # candidates, then the choice


def test_a_withdrawn_consent_shows_as_withdrawn(caseworker):
    taken = take_intake(caseworker)
    consent_id = taken.text.split('name="consent_id" value="')[1].split('"')[0]
    household_path = "/households/" + taken.url.split("/households/")[1]
    withdrawn = caseworker.post(household_path + "/consents/withdraw", {"consent_id": consent_id})
    assert "撤回済み" in withdrawn.text and "この同意の撤回を記録する" not in withdrawn.text


@pytest.mark.parametrize("overrides, field, message", [
    ({"p0_name": ""}, "p0_name", "本人の氏名を入力してください"),
    ({"p0_birth_era": "reiwa", "p0_birth_year": "99"}, "p0_birth_year", "本人の生年月日に未来の日付は入力できません"),
    ({"p0_birth_month": "2", "p0_birth_day": "30"}, "p0_birth_year", "本人の生年月日は実在する日付を入力してください"),
    ({"summary": "あ" * 10_000}, "summary", "相談内容は2000文字以内で入力してください"),
    ({"p0_name": "<script>alert(1)</script>"}, "p0_name", "本人の氏名に使えない記号"),
    ({"p0_name": "見本'; DROP TABLE households; --"}, "p0_name", "本人の氏名に使えない記号"),
    ({"p0_kana": "mihon"}, "p0_kana", "本人のふりがなはひらがなかカタカナで入力してください"),
    ({"channel": "carrier-pigeon"}, "channel", "相談経路を選んでください"),
    ({"main_topic": ""}, "main_topic", "主訴（主な相談内容）を選んでください"),
    ({"consent_purposes": []}, "consent_purposes", "同意の範囲（目的）を一つ以上選んでください"),
])
def test_bad_input_is_refused_next_to_its_field_keeping_what_was_typed_and_storing_nothing(
        caseworker, overrides, field, message):
    kana = "キョヒ " + secrets.token_hex(2).translate(str.maketrans("0123456789abcdef", "アイウエオカキクケコサシスセソタ"))
    form = {"p0_kana": kana, **overrides}
    refused = caseworker.post("/intake", intake_form(**form))
    assert refused.status_code == 422
    assert field_error(refused.text, field).startswith(message)
    assert f'href="#{field}"' in refused.text  # the summary at the top links to the field
    assert "<script>alert(1)</script>" not in refused.text  # what was typed comes back as text
    if "p0_name" in overrides and overrides["p0_name"]:
        assert 'value="&lt;script&gt;' in refused.text or "&#39;; DROP TABLE" in refused.text
    if kana == form["p0_kana"]:
        assert "該当する世帯は見つかりませんでした" in caseworker.post("/intake/search", {"kana": kana}).text


def test_a_form_without_the_csrf_token_is_refused_and_stores_nothing(caseworker):
    kana = "トークン ナシ"
    refused = caseworker.post("/intake", intake_form(p0_kana=kana), csrf=False)
    assert refused.status_code == 403
    assert "該当する世帯は見つかりませんでした" in caseworker.post("/intake/search", {"kana": kana}).text


def test_a_caseworker_of_another_organisation_sees_nothing_of_the_household(world, caseworker):
    household = take_intake(caseworker).url.split("/households/")[1]
    outsider = Pages(world["other"])
    outsider.sign_in(world["outsider"])
    page = outsider.get(f"/households/{household}")
    assert page.status_code == 404 and "見本" not in page.text
    assert "見本" not in outsider.post("/intake/search", {"kana": "ミホン ハナ"}).text


def test_today_s_work_lists_the_open_consultation_with_its_household(caseworker):
    household = take_intake(caseworker).url.split("/households/")[1]
    today = caseworker.get("/today").text
    assert f'href="/households/{household}"' in today and "要注意" in today and "窓口" in today


def test_signing_out_ends_the_session_on_the_server(caseworker):
    cookie = caseworker.http.cookies["kasane_session"]
    assert caseworker.post("/logout", {}).url.endswith("/login")
    stale = Pages.__new__(Pages)
    stale.base, stale.http, stale.csrf = caseworker.base, __import__("requests").Session(), None
    stale.http.cookies.set("kasane_session", cookie)
    assert stale.get("/today").url.endswith("/login")


def test_a_refused_intake_keeps_the_candidates_and_the_household_chosen(caseworker):
    household = take_intake(caseworker).url.split("/households/")[1]
    caseworker.post("/intake/search", {"kana": "ミホン ハナ"})
    refused = caseworker.post("/intake", intake_form(household_id=household, p0_name="",
                                                     search_kana="ミホン ハナ"))
    assert refused.status_code == 422
    assert f'name="household_id" value="{household}" checked' in refused.text


@pytest.fixture
def supervisor(world):
    boss = add_staff(world["gateway"], f"pgsv-{secrets.token_hex(2)}", SUPERVISOR)
    pages = Pages(world["gateway"])
    assert pages.sign_in(boss).url.endswith("/today")
    return pages


def test_a_supervisor_adds_a_caseworker_who_signs_in_with_the_password_shown_once(world, supervisor):
    login = f"new-{secrets.token_hex(2)}"
    added = supervisor.post("/staff", {"login": login, "name": "新人 花子", "roles": ["相談員"]})
    assert added.status_code == 201 and login in added.text
    password = added.text.split('id="initial-password">')[1].split("<")[0]
    assert password not in supervisor.get("/staff").text  # once only
    assert Pages(world["gateway"]).sign_in({"login": login, "password": password}).url.endswith("/today")


def test_a_supervisor_s_staff_form_refuses_a_bad_login_next_to_its_field_and_adds_nobody(supervisor):
    refused = supervisor.post("/staff", {"login": "<b>x</b>", "name": "", "roles": []})
    assert refused.status_code == 422
    assert field_error(refused.text, "login").startswith("ログインIDは半角英数字")
    assert field_error(refused.text, "name") == "氏名を入力してください"
    assert "&lt;b&gt;x&lt;/b&gt;" in refused.text and "<b>x</b>" not in refused.text


def test_a_disabled_caseworker_s_session_ends_at_once(world, supervisor):
    account = add_staff(world["gateway"], f"pgdis-{secrets.token_hex(2)}", CASEWORKER)
    victim = Pages(world["gateway"])
    victim.sign_in(account)
    supervisor.get("/staff")
    supervisor.post("/staff/disable", {"login": account["login"]})
    assert victim.get("/today").url.endswith("/login")


def test_a_caseworker_may_not_open_the_staff_page(caseworker):
    assert caseworker.get("/staff").status_code == 403


def test_city_it_sees_the_organisation_s_instances_and_nothing_of_a_case(world):
    pages = Pages(world["gateway"])
    pages.sign_in(add_staff(world["gateway"], f"pgit-{secrets.token_hex(2)}", CITY_IT))
    system = pages.get("/system")
    assert system.status_code == 200 and world["gateway"].peers[0][0] in system.text
    assert "見本" not in system.text and pages.get("/today").status_code == 403


def test_an_auditor_s_replay_refuses_a_malformed_household_id_next_to_its_field(world):
    pages = Pages(world["gateway"])
    pages.sign_in(add_staff(world["gateway"], f"pgau-{secrets.token_hex(2)}", AUDITOR))
    refused = pages.get("/audit?household_id=%3Cscript%3E&as_of=2026-13-01")
    assert refused.status_code == 422
    assert field_error(refused.text, "household_id").startswith("世帯IDは")
    assert "<script>" not in refused.text
