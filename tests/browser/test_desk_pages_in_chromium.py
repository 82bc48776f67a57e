"""The desk's pages in Chromium (headless, Debian's): axe-core finds no serious or critical
violation on the main pages, the intake is completed with the keyboard alone, HTML typed into a
field is shown as text and never run, and the pages print without their controls."""
import secrets

import pyotp
import pytest

from tests.browser_helpers import (answer_intake, choose_radio, serious_violations, submit_intake, tab_to,
                                   tick, type_into)
from gateway.domain.roles import AUDITOR, CASEWORKER, CITY_IT, SUPERVISOR
from tests.gateway_helpers import add_staff
from tests.pages_helpers import desk_gateway

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def world(platform):
    u = secrets.token_hex(2)
    desk = platform.instance("consultation", f"pgc-desk-{u}", organisation=f"org-pgc-{u}")
    sanka = platform.instance("participation", f"pgc-sanka-{u}", organisation=f"org-pgc-{u}")  # 参加支援の依頼
    gateway = desk_gateway(platform, f"pgc-gate-{u}", f"org-pgc-{u}", peers=[desk, sanka])
    for deployed in (desk, sanka, gateway):
        platform.start(deployed)
    return {"gateway": gateway, "caseworker": add_staff(gateway, f"pgc-{u}", CASEWORKER)}


def sign_in(page, account) -> None:
    page.goto("/login")
    page.fill("#login", account["login"])
    page.fill("#password", account["password"])
    page.click("button[type=submit]")
    page.wait_for_url("**/today")


def test_the_main_pages_have_no_serious_or_critical_accessibility_violation(world, page):
    found = {}
    page.goto("/login")
    found["ログイン"] = serious_violations(page)
    page.click("button[type=submit]")  # refused: the error summary and the field errors
    found["ログイン（エラー）"] = serious_violations(page)
    sign_in(page, world["caseworker"])
    found["受付一覧"] = serious_violations(page)
    page.goto("/intake")
    found["相談受付（検索）"] = serious_violations(page)
    page.fill("#kana", "アクセシ ビリティ")
    page.click("main button[type=submit]")
    found["相談受付票"] = serious_violations(page)
    page.click("main button[type=submit]")  # nothing chosen: refused next to each field
    found["相談受付票（エラー）"] = serious_violations(page)
    page.fill("#p0_name", "確認 太郎")
    answer_intake(page)
    submit_intake(page)
    found["世帯"] = serious_violations(page)
    page.click("form[action$='/participation'] button[type=submit]")  # 参加支援の依頼, refused by field
    assert "入力内容に問題があります" in page.inner_text("main")
    found["世帯（参加支援の依頼のエラー）"] = serious_violations(page)
    page.goto("/today")
    found["受付一覧（相談あり）"] = serious_violations(page)
    assert {name: v for name, v in found.items() if v} == {}


def test_the_intake_is_completed_with_the_keyboard_alone(world, page):
    sign_in(page, world["caseworker"])
    page.goto("/intake")
    type_into(page, "#kana", "キーボード ハナ")
    page.keyboard.press("Enter")
    page.wait_for_url("**/intake/search")
    choose_radio(page, "channel", "phone")
    choose_radio(page, "consulted_by", "family")
    type_into(page, "#p0_name", "鍵盤 ハナ")
    type_into(page, "#p0_kana", "ケンバン ハナ")
    tab_to(page, "#p0_birth_era")  # 昭和 is the first choice
    type_into(page, "#p0_birth_year", "20")
    type_into(page, "#p0_birth_month", "4")
    type_into(page, "#p0_birth_day", "1")
    choose_radio(page, "main_topic", "8050")
    tick(page, "categories", "hikikomori")
    choose_radio(page, "consent", "yes")
    choose_radio(page, "consent_given_by", "self")
    choose_radio(page, "consent_method", "oral")
    tick(page, "consent_purposes", "collaboration")
    tab_to(page, "main form[action='/intake'] button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/households/*")
    assert "鍵盤 ハナ" in page.inner_text("main")
    assert "昭和20年(1945年)4月1日" in page.inner_text("main")
    assert "同意あり" in page.inner_text("main")


def test_html_typed_into_a_field_comes_back_as_text_and_never_runs(world, page):
    sign_in(page, world["caseworker"])
    page.goto("/intake")
    page.fill("#kana", "ヒョウジ テスト")
    page.click("main button[type=submit]")
    typed = '<img src=x onerror="document.title=\'pwned\'">'
    page.fill("#p0_name", typed)
    page.fill("#summary", typed)
    page.click("main form[action='/intake'] button[type=submit]")
    assert page.input_value("#p0_name") == typed and page.input_value("#summary") == typed
    assert page.locator("main img").count() == 0 and page.title() != "pwned"
    assert "本人の氏名に使えない記号" in page.inner_text("#p0_name-error")


def test_pages_print_on_a4_without_their_controls(world, page):
    sign_in(page, world["caseworker"])
    page.emulate_media(media="print")
    assert page.evaluate("() => getComputedStyle(document.querySelector('header.site')).display") == "none"
    assert page.pdf(format="A4")[:4] == b"%PDF"


@pytest.mark.parametrize("role, path", [(SUPERVISOR, "/staff"), (AUDITOR, "/audit"), (CITY_IT, "/system")])
def test_the_supervisor_s_auditor_s_and_city_it_s_pages_have_no_serious_violation(world, page, role, path):
    account = add_staff(world["gateway"], f"pgr-{secrets.token_hex(2)}", role)
    page.goto("/login")
    page.fill("#login", account["login"])
    page.fill("#password", account["password"])
    if account["secret"]:
        page.fill("#code", pyotp.TOTP(account["secret"]).now())
    page.click("button[type=submit]")
    page.wait_for_url("**" + (path if role != SUPERVISOR else "/today"))  # each lands on their own work
    page.goto(path)
    assert serious_violations(page) == []
