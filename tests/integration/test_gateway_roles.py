"""The whole role × endpoint matrix on the running gateway: each role gets what the one permission
table (gateway.domain.roles) allows, and 403 for everything else."""
import secrets
from uuid import uuid4

import pytest

from gateway.domain.roles import AUDITOR, CASEWORKER, CITY_IT, PERMISSIONS, ROLES, SUPERVISOR
from gateway.service import GatewayService
from tests.gateway_helpers import Browser, add_staff
from tests.pages_helpers import organisation

pytestmark = pytest.mark.integration

# What each role may do, written out as the issue states it (the table must say the same).
EXPECTED = {
    CASEWORKER: {"household.read", "household.find", "intake.receive", "support_meeting.read",
                 "worklist.read", "consent.record", "referral.send", "case.read", "case.write", "same_person.read",
                 "same_person.decide", "outreach.read", "outreach.write", "participation.read", "participation.write",
                 "community.read", "community.write"},
    SUPERVISOR: {"household.read", "household.find", "intake.receive", "support_meeting.read",
                 "worklist.read", "consent.record", "referral.send", "case.read", "case.write",
                 "same_person.read", "same_person.decide", "outreach.read", "outreach.write", "participation.read", "participation.write",
                 "community.read", "community.write", "staff.list", "staff.add", "staff.grant", "staff.revoke", "staff.disable"},
    AUDITOR: {"audit.history", "audit.reads"},
    CITY_IT: {"instances.health", "dead_letters.replay"},
}
ANY_SIGNED_IN = {"session.read", "session.close", "account.read", "account.password", "account.second_factor",
                 "draft.resume", "draft.discard"}

# One request per endpoint, harmless when allowed (an unknown id, an invalid body).
NOBODY = "nobody-" + secrets.token_hex(2)
REQUESTS = {
    "household.read": ("GET", f"/api/households/{uuid4()}", None),
    "household.find": ("POST", "/api/households/search", {"kana": "ダレモイナイ"}),
    "intake.receive": ("POST", "/api/intakes", {}),
    "support_meeting.read": ("GET", f"/api/support-meetings/{uuid4()}", None),
    "staff.list": ("GET", "/api/staff", None),
    "staff.add": ("POST", "/api/staff", {}),
    "staff.grant": ("POST", f"/api/staff/{NOBODY}/roles", {"role": CASEWORKER}),
    "staff.revoke": ("DELETE", f"/api/staff/{NOBODY}/roles/{CASEWORKER}", None),
    "staff.disable": ("POST", f"/api/staff/{NOBODY}/disable", None),
    "audit.history": ("GET", f"/api/audit/households/{uuid4()}", None),
    "instances.health": ("GET", "/api/instances", None),
    "audit.reads": ("GET", "/audit/reads", None),
    "dead_letters.replay": ("POST", f"/system/dead-letters/{NOBODY}/replay", {}),
    "worklist.read": ("GET", "/today", None),  # the pages (gateway.pages)
    "consent.record": ("POST", f"/households/{uuid4()}/consents/withdraw", {}),
    "referral.send": ("POST", f"/households/{uuid4()}/refer", {}),
    "case.read": ("GET", f"/cases/{uuid4()}", None),
    "case.write": ("POST", f"/cases/{uuid4()}/close", {}),
    "same_person.read": ("GET", f"/same-person/{uuid4()}", None),
    "same_person.decide": ("POST", f"/same-person/{uuid4()}", {}),
    "outreach.read": ("GET", f"/outreach/{uuid4()}", None),
    "outreach.write": ("POST", f"/outreach/{uuid4()}/contact", {}),
    "participation.read": ("GET", f"/participation/supports/{uuid4()}", None),
    "participation.write": ("POST", f"/participation/matches/{uuid4()}/end", {}),
    "community.read": ("GET", f"/community/sheets/{uuid4()}", None),
    "community.write": ("POST", f"/community/sheets/{uuid4()}/send", {}),
    "account.read": ("GET", "/account", None),
    "account.password": ("POST", "/account/password", {}),
    "account.second_factor": ("POST", "/account/second-factor/confirm", {}),
    "draft.resume": ("GET", f"/drafts/{uuid4()}", None),
    "draft.discard": ("POST", f"/drafts/{uuid4()}/discard", {}),
    "session.read": ("GET", "/api/session", None),
    "session.close": ("DELETE", "/api/session", None),  # walked last: it signs out
}


def test_the_permission_table_says_what_each_role_may_do():
    for role in ROLES:
        assert {e for e, roles in PERMISSIONS.items() if role in roles} == EXPECTED[role] | ANY_SIGNED_IN


def test_every_endpoint_but_sign_in_is_checked_against_the_table():
    handlers = [getattr(GatewayService, name) for name in dir(GatewayService)
                if getattr(getattr(GatewayService, name), "nameko_entrypoints", None)]
    guarded = {h.endpoint for h in handlers if hasattr(h, "endpoint")}
    unguarded = [h.__name__ for h in handlers if not hasattr(h, "endpoint") and not getattr(h, "public", False)]
    assert guarded == set(PERMISSIONS) == set(REQUESTS)
    assert unguarded == ["health", "sign_in"]  # and the pages anyone may ask for (sign-in form, CSS)  # health: RPC for `kasane up`, not HTTP


@pytest.fixture(scope="module")
def gateway(platform):
    _, desk, deployed = organisation(platform, "gwr", agencies=())
    platform.start(desk, deployed)
    return deployed


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_the_table_allows_and_403_for_the_rest(gateway, role):
    browser = Browser(gateway)
    assert browser.sign_in(add_staff(gateway, f"m-{secrets.token_hex(3)}", role)).status_code == 201
    for endpoint, (method, path, body) in REQUESTS.items():  # session.close last
        response = browser.request(method, path, json=body)
        allowed = endpoint in EXPECTED[role] | ANY_SIGNED_IN
        assert (response.status_code == 403) != allowed, (role, endpoint, response.status_code, response.text)
        assert response.status_code < 500, (role, endpoint, response.text)
