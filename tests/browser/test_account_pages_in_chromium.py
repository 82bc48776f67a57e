"""A person's own account in Chromium: the password changed (policy refusals next to their
field in Japanese, the session id renewed, the old cookie refused) and a second factor enrolled
from a seed shown as text (confirmed by a code before it counts; sign-in then asks for the
code); axe-core finds no serious or critical violation on these pages."""
import re
import secrets
import time

import psycopg

import pyotp
import pytest

from gateway.domain.roles import CASEWORKER
from tests.browser_helpers import serious_violations
from tests.gateway_helpers import add_staff, url
from tests.pages_helpers import organisation

pytestmark = pytest.mark.integration
NEW_PASSWORD = "夜明けの窓口で受けた相談 2026"


@pytest.fixture(scope="module")
def world(platform):
    u, desk, gateway = organisation(platform, "acc")
    platform.start(desk, gateway)
    return {"gateway": gateway, "desk": desk, "u": u}


def sign_in(page, account, password=None, code="") -> None:
    page.goto("/login")
    page.fill("#login", account["login"])
    page.fill("#password", password or account["password"])
    page.fill("#code", code)
    page.click("main button[type=submit]")


def session_cookie(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "kasane_session")


def error_at(page, field: str) -> str:
    return page.inner_text(f"#{field}-error").removeprefix("エラー: ")


def change_password(page, current, new, again=None) -> None:
    page.goto("/account")
    page.fill("#current_password", current)
    page.fill("#new_password", new)
    page.fill("#new_password_again", new if again is None else again)
    page.click("form[action='/account/password'] button[type=submit]")


def test_the_password_is_changed_after_refusals_next_to_their_fields_and_the_session_id_is_renewed(world, page):
    account = add_staff(world["gateway"], f"pw-{secrets.token_hex(2)}", CASEWORKER)
    sign_in(page, account)
    page.wait_for_url("**/today")
    change_password(page, "not my password", NEW_PASSWORD)
    assert error_at(page, "current_password") == "現在のパスワードが正しくありません"
    assert serious_violations(page) == []
    change_password(page, account["password"], "short", "short")
    assert error_at(page, "new_password") == "新しいパスワードは12文字以上にしてください"
    change_password(page, account["password"], NEW_PASSWORD, NEW_PASSWORD + "!")
    assert error_at(page, "new_password_again").startswith("確認のため")
    assert page.input_value("#new_password") == ""  # a password is never sent back
    before = session_cookie(page)
    change_password(page, account["password"], NEW_PASSWORD)
    assert "パスワードを変更しました" in page.inner_text("[role=status]")
    assert session_cookie(page) != before
    page.context.add_cookies([{"name": "kasane_session", "value": before, "url": url(world["gateway"])}])
    page.goto("/today")
    assert page.url.endswith("/login")  # the old id is gone
    sign_in(page, account)
    assert "ログインIDかパスワードが正しくありません" in page.inner_text("main")
    sign_in(page, account, password=NEW_PASSWORD)
    page.wait_for_url("**/today")


def test_a_second_factor_is_enrolled_from_the_seed_shown_as_text_and_sign_in_then_asks_for_the_code(world, page):
    account = add_staff(world["gateway"], f"tf-{secrets.token_hex(2)}", CASEWORKER)
    sign_in(page, account)
    page.wait_for_url("**/today")
    page.goto("/account")
    assert "まだ登録していません" in page.inner_text("main")
    assert serious_violations(page) == []
    page.click("form[action='/account/second-factor'] button[type=submit]")
    secret = page.inner_text("#totp-secret").replace(" ", "")
    uri = page.inner_text("#totp-uri")
    assert pyotp.parse_uri(uri).secret == secret and uri.startswith("otpauth://totp/")
    assert page.locator("img, canvas, script").count() == 0
    assert serious_violations(page) == []
    page.fill("#code", "12345a")
    page.click("main form button[type=submit]")
    assert error_at(page, "code").startswith("確認コードが正しくありません")
    assert page.inner_text("#totp-secret").replace(" ", "") == secret  # the same seed, still to confirm
    page.fill("#code", pyotp.TOTP(secret).now())
    page.click("main form button[type=submit]")
    assert "二要素認証を登録しました" in page.inner_text("[role=status]")
    page.click("header form button")  # ログアウト
    sign_in(page, account)
    assert error_at(page, "code") == "確認コード（二要素認証）を入力してください"
    sign_in(page, account, code=_next_code(secret))
    page.wait_for_url("**/today")


def _next_code(secret: str) -> str:
    """A code of the step after the one that confirmed the enrolment (that one is used up)."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def test_the_seed_never_reaches_the_store_in_clear(platform, world):
    db = world["gateway"].settings.database
    with psycopg.connect(host=db.host, port=db.port, user=db.admin_user,
                         dbname=db.database_for(world["gateway"].settings.instance)) as conn:
        states = [bytes(r[0]) for r in conn.execute(
            "SELECT state FROM kasane_events WHERE topic LIKE '%SecondFactor%'")]
    assert states and all(re.search(rb"aesgcm:v1:", s) for s in states if b"totp_secret" in s)
