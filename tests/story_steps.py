"""The 8050 story's steps in Chromium, as each organisation's staff take them: used by the
browser test (tests/browser/test_8050_story_in_chromium.py) and by `make screenshots`."""
from __future__ import annotations

from tests.browser_helpers import new_page
from tests.servers import wait_until
from tests.gateway_helpers import url


def signed_in(browser, gateway, account):
    page = new_page(browser, url(gateway))
    page.goto("/login")
    page.fill("#login", account["login"])
    page.fill("#password", account["password"])
    page.click("button[type=submit]")
    page.wait_for_url("**/today")
    return page


def reload_until(page, path: str, text: str, message: str) -> None:
    """Reload `path` until `text` shows (what another organisation sent arrives over the bus)."""
    def shown():
        page.goto(path)
        return text in page.inner_text("main")
    wait_until(shown, timeout=60, interval=0.5, message=message)


def submit(page, form_action: str) -> None:
    page.click(f"form[action$='{form_action}'] button[type=submit]")
    page.wait_for_load_state()
    assert "入力内容に問題があります" not in page.inner_text("main"), page.inner_text("main")[:500]


def desk_takes_the_intake_and_refers(desk) -> str:
    """The desk: no household found, the intake with 本人同意, the son's consent, the referral."""
    desk.goto("/intake")
    desk.fill("#kana", "ハチマル ゴーマル")
    desk.click("main button[type=submit]")
    assert "該当する世帯は見つかりませんでした" in desk.inner_text("main")
    for name, value in (("channel", "counter"), ("consulted_by", "self"), ("main_topic", "8050"),
                        ("categories", "hikikomori"), ("consent", "yes"), ("consent_given_by", "self"),
                        ("consent_method", "written"), ("consent_purposes", "collaboration"),
                        ("consent_purposes", "outreach")):
        desk.check(f"[name={name}][value='{value}']")
    for field, value in (("#p0_name", "八十 ハナ"), ("#p0_kana", "ハチマル ゴーマル"), ("#p0_birth_year", "17"),
                         ("#p0_birth_month", "5"), ("#p0_birth_day", "10"), ("#p1_name", "八十 一郎"),
                         ("#summary", "母の介護と長男のひきこもり")):
        desk.fill(field, value)
    desk.select_option("#p1_relation", "child")
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


def takikan_accepts_assesses_plans_and_approves(takikan, city: str) -> str:
    """多機関協働: the referral arrives; accepted, assessed, planned with the 社協's outreach role
    chosen from the city's directory, approved at the 重層的支援会議."""
    reload_until(takikan, "/today", "ケースを開く", "the referral at 多機関協働")
    takikan.click("text=ケースを開く")
    takikan.wait_for_url("**/cases/*")
    case_path = "/cases/" + takikan.url.split("/cases/")[1]
    persons = takikan.inner_text("#persons + ul")
    assert "八十 ハナ" in persons and "八十 一郎" in persons
    takikan.check("[name=a_categories][value='8050']")
    takikan.fill("#a_situation", "母の介護と長男のひきこもり。長男は外出していない。")
    submit(takikan, "/assessment")
    assert "第1版" in takikan.inner_text("#assessments ~ section")
    takikan.fill("#household_goal", "長男が週に一度外出できる")
    takikan.select_option("#role_agency", f"{city}-csw-outreach")
    takikan.select_option("#role_task", "outreach_visits")
    takikan.select_option("#monitoring_on_era", "reiwa")  # 令和9年(2027年)3月31日
    for field, value in (("#monitoring_on_year", "9"), ("#monitoring_on_month", "3"), ("#monitoring_on_day", "31")):
        takikan.fill(field, value)
    submit(takikan, "/plan")
    assert "世帯の目標: 長男が週に一度外出できる" in takikan.inner_text("#plans ~ section")
    reload_until(takikan, case_path, "多機関協働・重層的支援会議での共有に同意あり", "the consent at 多機関協働")
    takikan.check(f"[name=body_id][value={city}-shien-chosei-kaigi]")  # the city's own body (会議体)
    takikan.check("[name=decision][value=plan_appropriate]")
    submit(takikan, "/meeting")
    assert "プランの適切性を確認" in takikan.inner_text("main")
    assert "支援中（モニタリング）" in takikan.inner_text("#case-status")
    return case_path


def outreach_records_a_visit(shakyo) -> None:
    """社協: the role request among the persons to reach; a visit recorded."""
    reload_until(shakyo, "/today", "多機関協働からの役割の依頼", "the role request at the 社協")
    shakyo.click("text=記録を開く")
    shakyo.wait_for_url("**/outreach/*")
    assert "訪問・関係づくり（アウトリーチ）" in shakyo.inner_text("main")
    for name, value in (("mode", "direct"), ("with_whom", "self"), ("outcome", "talked")):
        shakyo.check(f"[name={name}][value={value}]")
    shakyo.fill("#note", "玄関先で長男と5分話せた")
    submit(shakyo, "/contact")
    assert "直接（訪問・面談）・本人・話ができた" in shakyo.inner_text("#contacts ~ ol")
    assert "接触" in shakyo.inner_text("main dl")  # meeting the person moves the stage on


def takikan_ends_the_case(takikan, case_path: str) -> None:
    takikan.goto(case_path)
    takikan.check("[name=body_id] >> nth=0")  # the first of the city's own bodies (会議体)
    takikan.check("[name=decision][value=closure]")
    takikan.check("[name=goal_0][value=met]")  # the household's goal, evaluated
    takikan.check("[name=follow_up][value=yes]")
    submit(takikan, "/meeting")
    takikan.fill("#summary", "長男は週1回外出できるようになった")
    submit(takikan, "/close")
    assert "終結" in takikan.inner_text("#case-status")
