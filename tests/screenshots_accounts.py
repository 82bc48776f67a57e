"""`make screenshots`, continued: one's own account (password, second factor), the sign-in page
after a form was kept as a draft, the household's timeline across the organisation's instances,
the auditor's read log and city IT's dead letters — on a small world of their own in the same
slice of servers (a desk and an outreach instance of one organisation, the city's audit ledger)."""
from __future__ import annotations

import secrets
import time

import pyotp
from kombu import Connection, Producer

from gateway.domain.roles import AUDITOR, CASEWORKER, CITY_IT
from kasane.bus.operator import ensure_operator
from kasane.bus.topology import dead_letter_exchange
from tests.browser_helpers import answer_intake, new_page, submit_intake
from tests.gateway_helpers import add_staff, gateway_for, url
from tests.pages_helpers import desk_gateway
from tests.servers import wait_until


def shoot_account_pages(p, browser, shoot) -> None:
    u = secrets.token_hex(2)
    org, city_org = f"shots-org-{u}", f"shots-city-{u}"
    ledger = p.instance("audit", f"shots-ledger-{u}", organisation=city_org)
    desk = p.instance("consultation", f"shots-desk-{u}", organisation=org)
    outreach = p.instance("outreach", f"shots-out-{u}", organisation=org)
    gate = desk_gateway(p, f"shots-gate-{u}", org, peers=[desk, outreach])
    city = gateway_for(p, f"shots-cgate-{u}", city_org, peers=[ledger])
    ensure_operator(p.broker)
    p.start(ledger, desk, outreach, gate, city, kasane_audit_instance=ledger.settings.instance)
    caseworker = add_staff(gate, f"shots-sw-{u}", CASEWORKER)
    page = sign_in(browser, gate, caseworker)
    own_account(page, shoot)
    household = intake(page)
    visited(p, outreach.settings.instance, household)
    page.goto(f"/households/{household}"), shoot(page, "世帯（組織の全インスタンスの経過）")
    fresh = new_page(browser, url(gate))
    fresh.goto("/login?draft=saved"), shoot(fresh, "ログイン（下書きを保存した後）")
    auditor = sign_in(browser, city, add_staff(city, f"shots-au-{u}", AUDITOR))
    wait_until(lambda: searched(auditor, f"shots-sw-{u}"), timeout=60, interval=1, message="the read in the ledger")
    shoot(auditor, "監査（閲覧記録）")
    dead_letter(p, desk.settings.instance)
    it = sign_in(browser, gate, add_staff(gate, f"shots-it-{u}", CITY_IT))
    it.goto("/system"), shoot(it, "稼働状況（デッドレターと再送）")


def sign_in(browser, gateway, account):
    page = new_page(browser, url(gateway))
    page.goto("/login")
    page.fill("#login", account["login"])
    page.fill("#password", account["password"])
    if account.get("secret"):
        page.fill("#code", pyotp.TOTP(account["secret"]).at(time.time() + 30))
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    return page


def own_account(page, shoot) -> None:
    page.goto("/account"), shoot(page, "自分のアカウント")
    page.fill("#current_password", "not my password")
    page.fill("#new_password", "short")
    page.fill("#new_password_again", "shorter")
    page.click("form[action='/account/password'] button[type=submit]")
    shoot(page, "パスワードの変更（入力エラー）")
    page.goto("/account")
    page.click("form[action='/account/second-factor'] button[type=submit]")
    shoot(page, "二要素認証の登録")


def intake(page) -> str:
    page.goto("/intake")
    page.fill("#kana", "ケイカ ハナ")
    page.click("main button[type=submit]")
    page.fill("#p0_name", "経過 花")
    answer_intake(page)
    submit_intake(page)
    return page.url.rsplit("/", 1)[1]


def visited(p, outreach: str, household: str) -> None:
    with p.rpc() as rpc:
        lead = rpc[outreach].take_lead({"source": "minsei_iin", "noticed_on": "2026-05-01",
                                        "worker_id": "csw-03", "household_id": household, "persons": []})
        rpc[outreach].record_contact({"case_id": lead["case_id"], "contacted_on": "2026-05-10",
                                      "mode": "direct", "with_whom": "self", "outcome": "talked",
                                      "worker_id": "csw-03"})


def searched(page, staff: str) -> bool:
    page.goto("/audit/reads")
    page.fill("#staff", staff)
    page.click("main form button[type=submit]")
    return "該当する閲覧記録はありません" not in page.inner_text("main")


def dead_letter(p, instance: str) -> None:
    with Connection(p.broker.amqp_uri, transport_options={"confirm_publish": True}) as connection:
        Producer(connection.channel(), exchange=dead_letter_exchange, auto_declare=False).publish(
            b"{}", routing_key=instance, retry=False,
            headers={"x-kasane-reason": "handler failed: KeyError", "x-kasane-reason-detail": "position 7",
                     "x-kasane-original-routing-key": f"ev.x.consultation.household_referred.v1.to.{instance}",
                     "x-kasane-dead-lettered-at": "2026-11-30T00:00:00+00:00"})
