"""The 8050 story in Chromium, across three organisations' gateways: the desk finds no household,
takes the intake with consent and refers; 多機関協働 accepts, assesses, drafts a plan with an
outreach role chosen from the city's directory and records the 重層的支援会議's approval; the
社協's outreach worker sees the role request and records a visit; the case ends and the desk
sees the hand-back. The 社協 worker cannot open the desk's household; a withdrawn consent shows
as withdrawn at the desk and stops 多機関協働's meetings on the household."""
import secrets

import pytest

from browser_helpers import chromium, new_page, serious_violations
from conftest import wait_until
from gateway.domain.roles import CASEWORKER
from gateway_helpers import add_staff, url
from story_helpers import own_platform, story_world

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def story(platform, tmp_path_factory):
    with own_platform(platform.state_dir) as p:
        world = story_world(p, tmp_path_factory.mktemp("story"))
        world["staff"] = {k: add_staff(g, f"{k}-{secrets.token_hex(2)}", CASEWORKER)
                          for k, g in world["gates"].items()}
        with chromium() as browser:
            world["pages"] = {k: signed_in(browser, g, world["staff"][k]) for k, g in world["gates"].items()}
            yield world


def signed_in(browser, gateway, account):
    page = new_page(browser, url(gateway))
    page.goto("/login")
    page.fill("#login", account["login"])
    page.fill("#password", account["password"])
    page.click("button[type=submit]")
    page.wait_for_url("**/today")
    return page


def reload_until(page, path: str, text: str, message: str):
    def shown():
        page.goto(path)
        return text in page.inner_text("main")
    try:
        wait_until(shown, timeout=60, interval=0.5, message=message)
    except BaseException:
        print(page.inner_text("main"))
        raise


def submit(page, form_action: str):
    page.click(f"form[action$='{form_action}'] button[type=submit]")
    page.wait_for_load_state()
    assert "入力内容に問題があります" not in page.inner_text("main"), page.inner_text("main")[:500]


@pytest.fixture(scope="module")
def household(story):
    """The desk: no household found, the intake with 本人同意, the referral to 多機関協働."""
    desk = story["pages"]["desk"]
    desk.goto("/intake")
    desk.fill("#kana", "ハチマル ゴーマル")
    desk.click("main button[type=submit]")
    assert "該当する世帯は見つかりませんでした" in desk.inner_text("main")
    desk.check("[name=channel][value=counter]")
    desk.check("[name=consulted_by][value=self]")
    desk.fill("#p0_name", "八十 ハナ")
    desk.fill("#p0_kana", "ハチマル ゴーマル")
    desk.select_option("#p0_birth_era", "showa")
    desk.fill("#p0_birth_year", "17"), desk.fill("#p0_birth_month", "5"), desk.fill("#p0_birth_day", "10")
    desk.fill("#p1_name", "八十 一郎")
    desk.select_option("#p1_relation", "child")
    desk.check("[name=main_topic][value='8050']")
    desk.check("[name=categories][value=hikikomori]")
    desk.check("[name=consent][value=yes]")
    desk.check("[name=consent_given_by][value=self]")
    desk.check("[name=consent_method][value=written]")
    for purpose in ("collaboration", "outreach"):
        desk.check(f"[name=consent_purposes][value={purpose}]")
    desk.click("form[action='/intake'] button[type=submit]")
    desk.wait_for_url("**/households/*")
    household_path = "/households/" + desk.url.split("/households/")[1]
    son = desk.locator("form[action$='/consents']")  # the son has no consent yet: recorded here
    son.locator("[name=consent_method][value=oral]").check()
    for purpose in ("collaboration", "outreach"):
        son.locator(f"[name=consent_purposes][value={purpose}]").check()
    submit(desk, "/consents")
    assert desk.locator("form[action$='/consents']").count() == 0
    desk.check("[name=reasons][value=compound_issues]")
    submit(desk, "/refer")
    assert "多機関協働へつなぎ" in desk.inner_text("main")
    return household_path


@pytest.fixture(scope="module")
def case(story, household):
    """多機関協働: the referral arrives; accepted, assessed, planned with the 社協's outreach role,
    approved at the 重層的支援会議."""
    takikan = story["pages"]["takikan"]
    reload_until(takikan, "/today", "ケースを開く", "the referral at 多機関協働")
    takikan.click("text=ケースを開く")
    takikan.wait_for_url("**/cases/*")
    case_path = "/cases/" + takikan.url.split("/cases/")[1]
    assert "八十 ハナ" in takikan.inner_text("#persons + ul") and "八十 一郎" in takikan.inner_text("#persons + ul")
    takikan.check("[name=a_categories][value='8050']")
    takikan.fill("#a_situation", "母の介護と長男のひきこもり。長男は外出していない。")
    submit(takikan, "/assessment")
    assert "第1版" in takikan.inner_text("#assessments ~ section")
    takikan.fill("#household_goal", "長男が週に一度外出できる")
    takikan.select_option("#role_agency", f"{story['city']}-csw-outreach")
    takikan.select_option("#role_task", "outreach_visits")
    takikan.fill("#monitoring_on", "2027-03-31")
    submit(takikan, "/plan")
    reload_until(takikan, case_path, "多機関協働・重層的支援会議での共有に同意あり", "the consent at 多機関協働")
    takikan.check("[name=decision][value=plan_appropriate]")
    submit(takikan, "/meeting")
    assert "プランの適切性を確認" in takikan.inner_text("main")
    assert "支援中（モニタリング）" in takikan.inner_text("#case-status")
    return case_path


def test_the_social_welfare_council_s_outreach_worker_sees_the_role_request_and_records_a_visit(story, case):
    shakyo = story["pages"]["shakyo"]
    reload_until(shakyo, "/today", "多機関協働からの役割の依頼", "the role request at the 社協")
    shakyo.click("text=記録を開く")
    shakyo.wait_for_url("**/outreach/*")
    assert "訪問・関係づくり（アウトリーチ）" in shakyo.inner_text("main")
    shakyo.check("[name=mode][value=direct]")
    shakyo.check("[name=with_whom][value=self]")
    shakyo.check("[name=outcome][value=talked]")
    shakyo.fill("#note", "玄関先で長男と5分話せた")
    submit(shakyo, "/contact")
    assert "直接（訪問・面談）・本人・話ができた" in shakyo.inner_text("#contacts ~ ol")
    assert "接触" in shakyo.inner_text("main dl")  # meeting the person moves the stage on
    assert serious_violations(shakyo) == []


def test_the_desk_sees_the_hand_back_when_the_case_ends(story, case):
    takikan, desk = story["pages"]["takikan"], story["pages"]["desk"]
    takikan.goto(case)
    takikan.check("[name=decision][value=closure]")
    takikan.check("[name=goals_met][value=met]")
    submit(takikan, "/meeting")
    assert serious_violations(takikan) == []
    takikan.fill("#summary", "長男は週1回外出できるようになった")
    submit(takikan, "/close")
    assert "終結" in takikan.inner_text("#case-status")
    reload_until(desk, "/today", "多機関協働からのつなぎ戻し", "the hand-back at the desk")
    assert "長男は週1回外出できるようになった" in desk.inner_text("main")


def test_another_organisation_s_caseworker_sees_nothing_of_the_household(story, household):
    shakyo = story["pages"]["shakyo"]
    shakyo.goto(household)
    assert "八十" not in shakyo.inner_text("body") and "見つかりません" in shakyo.inner_text("main")


def test_a_withdrawn_consent_shows_as_withdrawn_and_stops_the_meetings_on_the_household(story, household, case):
    desk, takikan = story["pages"]["desk"], story["pages"]["takikan"]
    desk.goto(household)
    while desk.locator("text=この同意の撤回を記録する").count():  # the mother's and the son's
        desk.locator("text=この同意の撤回を記録する").first.click()
        desk.wait_for_load_state()
    assert desk.inner_text("#members + table").count("撤回済み") == 2
    reload_until(takikan, case, "会議で扱える同意がありません", "the withdrawal at 多機関協働")
