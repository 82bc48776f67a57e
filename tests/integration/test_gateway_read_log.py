"""閲覧記録 on the auditor's page: the ledger's read log searched by the person who read (part of
the name) and by household — reads made through another organisation's gateway among them —,
with bad input refused next to its field."""
import time

import pyotp
import pytest

from gateway.domain.roles import AUDITOR, CASEWORKER
from tests.browser_helpers import chromium, new_page, serious_violations
from tests.gateway_helpers import Browser, add_staff, gateway_for, url
from tests.pages_helpers import Pages, field_error, organisation
from tests.samples import make_intake
from tests.servers import wait_until

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def world(platform):
    u, desk, gateway = organisation(platform, "rl", agencies=())
    ledger = platform.instance("audit", f"rl-ledger-{u}", organisation=f"city-rl-{u}")
    city = gateway_for(platform, f"rl-city-{u}", f"city-rl-{u}", peers=[ledger])
    platform.start(ledger, desk, gateway, city, kasane_audit_instance=ledger.settings.instance)
    caseworker = add_staff(gateway, f"rlsw-{u}", CASEWORKER)
    browser = Browser(gateway)
    browser.sign_in(caseworker)
    taken = browser.post("/api/intakes", json=make_intake(persons=[
        {"name": "閲覧 試験", "kana": "エツラン シケン", "relation": "self"}])).json()
    assert browser.get(f"/api/households/{taken['household_id']}").status_code == 200
    assert browser.post("/api/households/search", json={"kana": "エツラン シケン"}).status_code == 200
    with platform.rpc() as rpc:
        wait_until(lambda: rpc[ledger.settings.instance].reads(taken["household_id"]),
                   message="the caseworker's read in the ledger")
    auditor = Pages(city)
    account = add_staff(city, f"rlau-{u}", AUDITOR)
    assert auditor.sign_in(account).url.endswith("/audit")
    return {"auditor": auditor, "household": taken["household_id"], "name": f"職員 rlsw-{u}", "u": u,
            "city": city, "account": account}


def rows(page: str) -> str:
    return page[page.index("<tbody>"):page.index("</tbody>")]


def test_the_read_log_is_searched_by_the_person_who_read(world):
    found = world["auditor"].post("/audit/reads", {"staff": f"rlsw-{world['u']}"})
    assert found.status_code == 200
    table = rows(found.text)
    assert world["name"] in table and world["household"] in table and "相談員" in table
    assert "世帯の検索" in table and f"org-rl-{world['u']}" in table


def test_the_read_log_is_searched_by_household_and_by_both(world):
    by_household = rows(world["auditor"].post("/audit/reads", {"household_id": world["household"]}).text)
    assert world["name"] in by_household
    nobody = world["auditor"].post("/audit/reads", {"household_id": world["household"], "staff": "該当者なし"})
    assert "該当する閲覧記録はありません" in nobody.text


def test_a_search_with_nothing_or_a_malformed_household_id_is_refused_at_its_field(world):
    empty = world["auditor"].post("/audit/reads", {"staff": "", "household_id": ""})
    assert empty.status_code == 422 and field_error(empty.text, "staff").startswith("閲覧した職員か世帯ID")
    bad = world["auditor"].post("/audit/reads", {"household_id": "<script>1</script>"})
    assert bad.status_code == 422 and field_error(bad.text, "household_id").startswith("世帯IDは")
    assert "<script>1" not in bad.text  # what was typed comes back as text only


def test_the_read_log_page_with_its_results_has_no_serious_accessibility_violation(world):
    with chromium() as browser:
        page = new_page(browser, url(world["city"]))
        page.goto("/login")
        page.fill("#login", world["account"]["login"])
        page.fill("#password", world["account"]["password"])
        page.fill("#code", pyotp.TOTP(world["account"]["secret"]).at(time.time() + 30))  # not the fixture's
        page.click("main button[type=submit]")
        page.wait_for_url("**/audit")
        page.goto("/audit/reads")
        page.fill("#staff", f"rlsw-{world['u']}")
        page.click("main form button[type=submit]")
        assert world["household"] in page.inner_text("table")
        assert serious_violations(page) == []
