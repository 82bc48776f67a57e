"""The read log of the audit ledger names the person for a read made through the gateway: the
staff id, the role and the purpose the gateway put in the call's context."""
import secrets

import pytest

from gateway.domain.roles import CASEWORKER

from tests.gateway_helpers import Browser, add_staff, gateway_for
from tests.samples import make_intake
from tests.servers import wait_until

pytestmark = pytest.mark.e2e


def test_the_ledger_read_log_names_the_signed_in_person_for_a_search_through_the_gateway(platform):
    u = secrets.token_hex(2)
    ledger = platform.instance("audit", f"gwl-ledger-{u}", organisation=f"city-audit-{u}")
    desk = platform.instance("consultation", f"gwl-desk-{u}", organisation=f"org-gwl-{u}")
    gateway = gateway_for(platform, f"gwl-gate-{u}", f"org-gwl-{u}", peers=[desk])
    for deployed in (ledger, desk, gateway):
        platform.start(deployed, kasane_audit_instance=ledger.settings.instance)
    browser = Browser(gateway)
    browser.sign_in(add_staff(gateway, f"sw-{u}", CASEWORKER))
    staff_id = browser.get("/api/session").json()["staff_id"]
    taken = browser.post("/api/intakes", json=make_intake(persons=[
        {"name": "台帳 試験", "kana": "ダイチョウ シケン", "relation": "self"}])).json()
    assert browser.post("/api/households/search", json={"kana": "ダイチョウ シケン"}).status_code == 200
    with platform.rpc() as rpc:
        reads = wait_until(lambda: rpc[ledger.settings.instance].reads(taken["household_id"]),
                           message="the read in the ledger")
    assert {"staff_id": staff_id, "organisation": f"org-gwl-{u}", "role": "相談員",
            "purpose": "世帯の検索"}.items() <= reads[-1]["reader"].items()
