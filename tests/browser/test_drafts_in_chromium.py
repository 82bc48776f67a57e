"""Never lose an entry on a session timeout, in Chromium: an intake typed while the session ran
out (the gateway's clock moved past the idle timeout by a restart with a skewed clock) is kept
as a sealed draft; after signing in again the caseworker lands on the intake with the entry
filled in, sends it, and the draft is gone."""

import pytest

from gateway.domain.roles import CASEWORKER
from tests.browser_helpers import answer_intake, chromium, new_page, serious_violations
from tests.gateway_helpers import add_staff, gateway_rows, restart, skewed_clock, url
from tests.pages_helpers import organisation

pytestmark = pytest.mark.integration
PAST_IDLE = 31 * 60
NAME, SUMMARY = "下書 花子", "夜間に訪問した際の聞き取り。長男の就労について相談したい。"


@pytest.fixture(scope="module")
def world(platform):
    u, desk, gateway = organisation(platform, "dft")
    platform.start(desk, gateway)
    return {"gateway": gateway, "caseworker": add_staff(gateway, f"dft-{u}", CASEWORKER)}


@pytest.fixture
def page(world):
    with chromium() as browser:
        page = new_page(browser, url(world["gateway"]))
        yield page


def sign_in(page, account) -> None:
    page.goto("/login")
    page.fill("#login", account["login"])
    page.fill("#password", account["password"])
    page.click("main button[type=submit]")


def fill_intake(page) -> None:
    page.goto("/intake")
    page.fill("#kana", "シタガキ ハナコ")
    page.click("main button[type=submit]")
    page.fill("#p0_name", NAME)
    page.fill("#p0_kana", "したがき はなこ")
    page.fill("#summary", SUMMARY)
    answer_intake(page)


def stored_drafts(gateway) -> list[dict]:
    return gateway_rows(gateway, "gateway_drafts")


def test_an_intake_sent_after_the_session_expired_is_kept_and_comes_back_after_sign_in(
        platform, world, page, tmp_path):
    account = world["caseworker"]
    sign_in(page, account)
    page.wait_for_url("**/today")
    fill_intake(page)
    restart(platform, world["gateway"], **skewed_clock(tmp_path / "clock", PAST_IDLE))
    try:
        page.click("main form[action='/intake'] button[type=submit]")
        page.wait_for_url("**/login?draft=saved")
        assert "下書きとして保存しました" in page.inner_text("[role=status]")
    finally:  # the clock back: the instances refuse moments from a gateway's future
        restart(platform, world["gateway"])
    kept = stored_drafts(world["gateway"])
    assert len(kept) == 1 and NAME not in str(kept) and "/intake" not in str(kept)
    assert kept[0]["sealed"].startswith("aesgcm:v1:")
    sign_in(page, account)
    page.wait_for_url("**/drafts/*")
    assert "下書きから戻しました" in page.inner_text("[role=status]")
    assert page.input_value("#p0_name") == NAME and page.input_value("#summary") == SUMMARY
    assert page.is_checked('[name=main_topic][value=isolation]')
    assert serious_violations(page) == []
    page.click("main form[action='/intake'] button[type=submit]")
    page.wait_for_url("**/households/*")
    assert NAME in page.inner_text("main")
    assert stored_drafts(world["gateway"]) == []  # sent: the draft is gone


def test_a_form_posted_without_its_own_pages_token_is_not_kept(platform, world, page, tmp_path):
    """A post that did not come from the expired session's page (no CSRF token) leaves nothing."""
    import requests
    account = world["caseworker"]
    sign_in(page, account)
    page.wait_for_url("**/today")
    cookie = next(c["value"] for c in page.context.cookies() if c["name"] == "kasane_session")
    restart(platform, world["gateway"], **skewed_clock(tmp_path / "clock", PAST_IDLE))
    try:
        response = requests.post(url(world["gateway"]) + "/intake", data={"p0_name": NAME},
                                 cookies={"kasane_session": cookie}, allow_redirects=False, timeout=10)
        assert response.status_code == 303 and response.headers["Location"] == "/login"
        assert stored_drafts(world["gateway"]) == []
    finally:
        restart(platform, world["gateway"])
