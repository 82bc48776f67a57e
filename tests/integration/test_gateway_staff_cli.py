"""`kasane staff add|grant|revoke|disable|reset ORG LOGIN` on a gateway's own store."""
import io
import secrets

import pytest

from kasane.config import ConfigurationError
from kasane.cli.staff import staff
from tests.gateway_helpers import Browser, add_staff, gateway_for

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def gateway(platform):
    u = secrets.token_hex(2)
    return gateway_for(platform, f"gwc-gate-{u}", f"org-gwc-{u}", peers=[])


def run(gateway, verb, login, *roles, totp=False) -> str:
    out = io.StringIO()
    staff([verb, gateway.settings.organisation, login], name="職員 一人", roles=list(roles), totp=totp,
          deployment=[gateway], out=out)
    return out.getvalue()


def test_city_it_adds_a_first_supervisor_with_a_password_and_a_second_factor_shown_once(gateway):
    printed = run(gateway, "add", "kanri-1", "管理者")
    assert "初期パスワード (一度だけ表示)" in printed and "otpauth://totp/" in printed
    assert printed.strip().endswith("roles=管理者")


def test_grant_revoke_disable_and_reset_each_say_what_the_account_now_is(gateway):
    run(gateway, "add", "sw-2", "相談員")
    granted = run(gateway, "grant", "sw-2", "監査員")
    assert "otpauth://totp/" in granted  # 監査員 signs in with a second factor: enrolled at once
    assert granted.strip().endswith("roles=監査員,相談員")
    assert run(gateway, "revoke", "sw-2", "監査員").strip().endswith("roles=相談員")
    assert run(gateway, "disable", "sw-2").strip().endswith("disabled")
    assert "初期パスワード" in run(gateway, "reset", "sw-2")


def test_an_organisation_without_a_gateway_is_named_in_one_sentence(gateway):
    with pytest.raises(ConfigurationError, match="no gateway for org-nobody"):
        staff(["add", "org-nobody", "x"], name=None, roles=[], totp=False, deployment=[gateway])


def test_disable_revoke_and_reset_by_city_it_sign_the_person_out_of_a_running_gateway_at_once(platform, gateway):
    platform.start(gateway)
    bystander = Browser(gateway)
    assert bystander.sign_in(add_staff(gateway, "live-other", "相談員")).status_code == 201
    for verb, roles in (("disable", ()), ("revoke", ("相談員",)), ("reset", ())):
        browser = Browser(gateway)
        assert browser.sign_in(add_staff(gateway, f"live-{verb}", "相談員")).status_code == 201
        assert browser.get("/api/session").status_code == 200
        run(gateway, verb, f"live-{verb}", *roles)
        assert browser.get("/api/session").status_code == 401, verb
    assert bystander.get("/api/session").status_code == 200  # only that person is signed out
