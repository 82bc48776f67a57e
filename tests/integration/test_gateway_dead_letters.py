"""市のシステム管理: an instance's dead letters on the /system page with their reasons, and the
replay button (POST with the CSRF token, the organisation's own instances only, city IT's role
only) sending them back under their first routing key and publisher."""

import pytest
from kombu import Connection, Producer

from gateway.domain.roles import CASEWORKER, CITY_IT
from kasane.bus.operator import ensure_operator
from kasane.bus.topology import dead_letter_exchange
from tests.browser_helpers import chromium, new_page, serious_violations
from tests.gateway_helpers import add_staff, url
from tests.pages_helpers import Pages, organisation

pytestmark = pytest.mark.integration
REASON = "handler failed: KeyError"


@pytest.fixture(scope="module")
def world(platform):
    u, desk, gateway = organisation(platform, "dl", agencies=())
    elsewhere = platform.instance("consultation", f"dl-other-{u}", organisation=f"org-dlo-{u}")
    ensure_operator(platform.broker)  # city IT's provisioning (`kasane up`) makes the operator
    platform.start(desk, gateway)
    it = Pages(gateway)
    account = add_staff(gateway, f"dlit-{u}", CITY_IT)
    assert it.sign_in(account).url.endswith("/system")
    return {"platform": platform, "gateway": gateway, "desk": desk.settings.instance,
            "elsewhere": elsewhere.settings.instance, "it": it, "account": account, "u": u}


def dead_letter(platform, instance: str, key: str) -> None:
    with Connection(platform.broker.amqp_uri, transport_options={"confirm_publish": True}) as connection:
        Producer(connection.channel(), exchange=dead_letter_exchange, auto_declare=False).publish(
            b'{"fixed": "later"}', routing_key=instance, retry=False,
            headers={"x-kasane-reason": REASON, "x-kasane-reason-detail": f"from {instance} position 7",
                     "x-kasane-original-routing-key": key, "x-kasane-original-user-id": platform.broker.user,
                     "x-kasane-dead-lettered-at": "2026-11-30T00:00:00+00:00"})


def depth(platform, queue: str) -> int:
    with Connection(platform.broker.amqp_uri) as connection:
        return connection.channel().queue_declare(queue, passive=True).message_count


def test_dead_letters_are_shown_with_their_reason_and_replayed_by_city_it_with_the_csrf_token(world):
    platform, desk = world["platform"], world["desk"]
    key = f"ev.dl-{world['u']}.consultation.household_referred.v1.to.probe"
    dead_letter(platform, desk, key)
    system = world["it"].get("/system")
    assert REASON in system.text and key in system.text and f"from {desk} position 7" in system.text
    assert "令和8年(2026年)11月30日" in system.text and depth(platform, f"dlq.{desk}") == 1  # looked at, kept
    with Connection(platform.broker.amqp_uri) as connection:
        channel = connection.channel()
        probe = channel.queue_declare(f"probe-dl-{world['u']}", durable=False, exclusive=True).queue
        channel.queue_bind(probe, exchange="kasane.events", routing_key=key)
        without = world["it"].post(f"/system/dead-letters/{desk}/replay", {}, csrf=False)
        assert without.status_code == 403 and depth(platform, f"dlq.{desk}") == 1
        replayed = world["it"].post(f"/system/dead-letters/{desk}/replay", {})
        assert replayed.url.endswith("/system?replayed=1") and "デッドレター 1 件を再送しました" in replayed.text
        assert depth(platform, f"dlq.{desk}") == 0
        copy = channel.basic_get(probe, no_ack=True)
    assert copy is not None and copy.properties["user_id"] == platform.broker.user  # as first sent


def test_another_role_or_another_organisation_s_instance_is_refused_and_nothing_is_replayed(world):
    platform = world["platform"]
    dead_letter(platform, world["elsewhere"], "ev.elsewhere.x.v1")
    refused = world["it"].post(f"/system/dead-letters/{world['elsewhere']}/replay", {})
    assert refused.status_code == 404 and depth(platform, f"dlq.{world['elsewhere']}") == 1
    dead_letter(platform, world["desk"], "ev.desk.y.v1")
    caseworker = Pages(world["gateway"])
    caseworker.sign_in(add_staff(world["gateway"], f"dlsw-{world['u']}", CASEWORKER))
    caseworker.get("/today")
    assert caseworker.post(f"/system/dead-letters/{world['desk']}/replay", {}).status_code == 403
    assert depth(platform, f"dlq.{world['desk']}") == 1


def test_the_system_page_with_dead_letters_has_no_serious_accessibility_violation(world):
    dead_letter(world["platform"], world["desk"], "ev.desk.z.v1")
    with chromium() as browser:
        page = new_page(browser, url(world["gateway"]))
        page.goto("/login")
        page.fill("#login", world["account"]["login"])
        page.fill("#password", world["account"]["password"])
        page.click("main button[type=submit]")
        page.wait_for_url("**/system")
        assert page.locator("form[action$='/replay'] button").count() >= 1
        assert serious_violations(page) == []
