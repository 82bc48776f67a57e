"""schemathesis against the OpenAPI document (contracts/openapi/gateway.yaml) and the running
gateway, signed in as a 管理者 with TOTP: no server error, and no status, content type or body
that the document does not describe."""
from pathlib import Path

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)
from schemathesis.checks import not_a_server_error

from gateway.domain.roles import SUPERVISOR
from tests.gateway_helpers import Browser, add_staff, url
from tests.pages_helpers import organisation

pytestmark = pytest.mark.integration

DOCUMENT = Path(__file__).resolve().parents[2] / "contracts" / "openapi" / "gateway.yaml"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
CONFIG = SchemathesisConfig.from_dict({"generation": {"mode": "positive", "max-examples": 12,
                                                      "database": "none"}})
schema = schemathesis.openapi.from_path(DOCUMENT, config=CONFIG).exclude(
    method="DELETE", path="/api/session")  # signing out would end the run's session: tested apart


@pytest.fixture(scope="module")
def signed_in(platform):
    u, desk, gateway = organisation(platform, "gwapi", agencies=())
    platform.start(desk, gateway)
    browser = Browser(gateway)
    assert browser.sign_in(add_staff(gateway, f"admin-{u}", SUPERVISOR)).status_code == 201
    return gateway, browser


@schema.parametrize()
def test_the_gateway_answers_only_as_its_document_says(case, signed_in):
    gateway, browser = signed_in
    if case.path == "/api/session" and case.method == "POST":
        browser = Browser(gateway)  # a sign-in attempt must not replace the run's session
    case.call_and_validate(base_url=url(gateway), session=browser.http,
                           headers={"X-CSRF-Token": browser.csrf or ""}, checks=CHECKS)
