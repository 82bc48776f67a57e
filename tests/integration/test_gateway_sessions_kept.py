"""Sessions kept in the gateway's own database: a restarted gateway still knows who is signed in,
only the digest of a session id is stored, sign-out deletes the row, and the idle timeout still
ends a session — shown with the gateway's clock moved past it (the fault campaign's skewed
clock) instead of a sleep."""
import json
import secrets

import pytest

from gateway.domain.roles import CASEWORKER
from tests.gateway_helpers import Browser, add_staff, gateway_rows, restart, skewed_clock
from tests.pages_helpers import organisation
from tests.integration.test_gateway import refusals

pytestmark = pytest.mark.integration
PAST_IDLE = 31 * 60  # seconds: past the 30-minute idle timeout


@pytest.fixture(scope="module")
def world(platform):
    u, desk, gateway = organisation(platform, "gsk", agencies=())
    platform.start(desk, gateway)
    return {"gateway": gateway, "u": u}


def stored_sessions(gateway) -> list[dict]:
    return gateway_rows(gateway, "gateway_sessions")


def signed_in(world) -> Browser:
    browser = Browser(world["gateway"])
    account = add_staff(world["gateway"], f"keep-{secrets.token_hex(2)}", CASEWORKER)
    assert browser.sign_in(account).status_code == 201
    return browser


def test_a_session_still_works_after_the_gateway_restarts_csrf_included(platform, world):
    browser = signed_in(world)
    restart(platform, world["gateway"])
    assert browser.get("/api/session").status_code == 200
    searched = browser.post("/api/households/search", json={"kana": "ダレモイナイ"})
    assert searched.status_code == 200, searched.text  # the CSRF token is the session's still


def test_only_the_digest_of_a_session_id_is_stored_and_sign_out_deletes_it(world):
    browser = signed_in(world)
    cookie = browser.http.cookies["kasane_session"]
    rows = stored_sessions(world["gateway"])
    assert rows and cookie not in json.dumps(rows, default=str)
    mine = [r for r in rows if r["login"] == browser.get("/api/session").json()["login"]]
    assert len(mine) == 1
    assert browser.request("DELETE", "/api/session").status_code == 200
    assert mine[0]["session_digest"] not in [r["session_digest"] for r in stored_sessions(world["gateway"])]


def test_a_session_idle_beyond_the_timeout_is_refused_after_a_restart_too(platform, world, tmp_path):
    browser = signed_in(world)
    restart(platform, world["gateway"], **skewed_clock(tmp_path / "clock", PAST_IDLE))
    try:
        assert browser.get("/api/session").status_code == 401
        assert refusals(platform, world["gateway"])[-1]["reason"] == "expired"
        fresh = signed_in(world)  # a new sign-in works under the same clock
        assert fresh.get("/api/session").status_code == 200
    finally:
        restart(platform, world["gateway"])
