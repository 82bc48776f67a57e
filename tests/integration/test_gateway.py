"""The gateway (窓口) of one organisation, as a process on the real broker and database: sign-in,
sessions, CSRF, roles, and its organisation's instances reached with the person in the context."""
import json
import secrets
from dataclasses import replace

import psycopg
import pytest

from kasane.cli import processes
from kasane.client import rpc_cluster
from kasane.errors import Unidentified

from tests.gateway_helpers import Browser, add_staff, gateway_for
from tests.pages_helpers import organisation
from tests.samples import make_intake
from tests.servers import wait_until
from gateway.domain.roles import CASEWORKER, SUPERVISOR

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def world(platform):
    u, desk, gateway = organisation(platform, "gwa", agencies=())
    other = platform.instance("consultation", f"gwb-desk-{u}", organisation=f"org-gwb-{u}")
    platform.start(desk, other, gateway)
    return {"desk": desk, "other": other, "gateway": gateway,
            "caseworker": add_staff(gateway, f"sw-{u}", CASEWORKER)}


@pytest.fixture
def caseworker(world):
    browser = Browser(world["gateway"])
    assert browser.sign_in(world["caseworker"]).status_code == 201
    return browser


def test_a_request_without_a_session_gets_401_as_problem_json(world):
    response = Browser(world["gateway"]).get("/api/session")
    assert response.status_code == 401
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert response.json()["title"] == "ログインが必要です"


def test_an_unknown_path_or_method_is_answered_as_problem_json_too(world):
    browser = Browser(world["gateway"])
    for method, path, status in (("GET", "/api/nothing-here", 404), ("PUT", "/api/session", 405)):
        response = browser.request(method, path)
        assert response.status_code == status
        assert response.headers["Content-Type"].startswith("application/problem+json")


def test_the_session_cookie_is_httponly_and_samesite_strict_and_new_at_each_sign_in(world):
    browser = Browser(world["gateway"])
    first = browser.sign_in(world["caseworker"])
    cookie = first.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    old = browser.http.cookies["kasane_session"]
    browser.sign_in(world["caseworker"])
    assert browser.http.cookies["kasane_session"] != old
    stale = Browser(world["gateway"])
    stale.http.cookies.set("kasane_session", old)
    assert stale.get("/api/session").status_code == 401  # the id from before is gone


def test_a_caseworker_takes_an_intake_and_reads_the_household_through_the_gateway(world, caseworker):
    taken = caseworker.post("/api/intakes", json=make_intake())
    assert taken.status_code == 201, taken.text
    household = caseworker.get(f"/api/households/{taken.json()['household_id']}")
    assert household.status_code == 200
    assert [e["event"] for e in household.json()["entries"]][:1] == ["household_registered"]


def test_a_caseworker_of_a_gets_nothing_of_a_household_only_b_knows(platform, world, caseworker):
    with platform.rpc() as rpc:
        theirs = rpc[world["other"].settings.instance].receive_consultation(make_intake())
    response = caseworker.get(f"/api/households/{theirs['household_id']}")
    assert response.status_code == 404
    assert theirs["household_id"] not in response.text


def test_a_call_naming_no_person_is_refused_by_a_business_line_but_health_answers(platform, world):
    with rpc_cluster(platform.broker) as rpc:  # no reader in the context
        desk = rpc[world["desk"].settings.instance]
        with pytest.raises(Unidentified):
            desk.receive_consultation(make_intake())
        with pytest.raises(Unidentified):
            desk.find_households({"kana": "ミホン ハナ"})
        assert desk.health()["instance"] == world["desk"].settings.instance


def test_a_state_changing_request_without_the_csrf_token_is_refused_and_recorded(platform, world, caseworker):
    response = caseworker.post("/api/intakes", json=make_intake(), csrf=False)
    assert response.status_code == 403 and response.json()["type"].endswith("/csrf")
    staff_id = caseworker.get("/api/session").json()["staff_id"]
    assert {"reason": "csrfrefused", "endpoint": "intake.receive", "staff_id": staff_id}.items() <= \
        refusals(platform, world["gateway"])[-1].items()


def test_a_forged_session_and_one_replayed_after_sign_out_are_refused_and_recorded(platform, world, caseworker):
    cookie = caseworker.http.cookies["kasane_session"]
    assert caseworker.request("DELETE", "/api/session").status_code == 200
    forged = secrets.token_urlsafe(32)
    for value in (cookie, forged):
        replayed = Browser(world["gateway"])
        replayed.http.cookies.set("kasane_session", value)
        assert replayed.get("/api/session").status_code == 401
    recorded = refusals(platform, world["gateway"])[-2:]
    assert [r["reason"] for r in recorded] == ["unknown", "unknown"]
    assert cookie not in json.dumps(recorded) and forged not in json.dumps(recorded)


def test_a_locked_account_is_refused_even_with_its_password_and_no_password_is_recorded(platform, world):
    account = add_staff(world["gateway"], f"lock-{secrets.token_hex(2)}", CASEWORKER)
    browser = Browser(world["gateway"])
    for attempt in range(5):
        assert browser.sign_in(account, password=f"wrong-{attempt}-guess").status_code == 401
    assert browser.sign_in(account).status_code == 401
    assert refusals(platform, world["gateway"], "%SignInRefused")[-1]["reason"] == "locked"
    assert "wrong-0-guess" not in stored_events(platform, world["gateway"])
    assert account["password"] not in stored_events(platform, world["gateway"])


def test_a_supervisor_with_a_wrong_totp_code_is_refused_and_recorded_without_it(platform, world):
    boss = add_staff(world["gateway"], f"boss-{secrets.token_hex(2)}", SUPERVISOR)
    browser = Browser(world["gateway"])
    assert browser.sign_in(boss, code="123450").status_code == 401
    refused = refusals(platform, world["gateway"], "%SignInRefused")[-1]
    assert refused["reason"] == "wrong_code"
    assert "123450" not in json.dumps({k: v for k, v in refused.items() if k != "timestamp"})
    assert browser.sign_in(boss).status_code == 201


def test_the_gateway_names_the_person_in_the_read_record_of_the_instance(platform, world, caseworker):
    caseworker.post("/api/intakes", json=make_intake(persons=[
        {"name": "読取 花子", "kana": "ヨミトリ ハナコ", "birth_date": "1950-01-02", "relation": "self"}]))
    found = caseworker.post("/api/households/search", json={"kana": "ヨミトリ ハナコ"})
    assert found.status_code == 200 and found.json()["candidates"]
    staff_id = caseworker.get("/api/session").json()["staff_id"]
    reads = [json.loads(line) for line in stored_events(platform, world["desk"]).splitlines()
             if '"consultation.find_households"' in line]
    assert {"staff_id": staff_id, "role": "相談員", "purpose": "世帯の検索"}.items() <= reads[-1]["reader"].items()


def refusals(platform, gateway, topic: str = "%RefusedRequest.Recorded") -> list[dict]:
    """The requests the gateway's door refused (or the sign-ins), as it recorded them."""
    db = platform.database
    with psycopg.connect(host=db.host, port=db.port, user=db.admin_user,
                         dbname=db.database_for(gateway.settings.instance)) as connection:
        rows = connection.execute("select state from kasane_events where topic like %s order by "
                                  "notification_id", (topic,)).fetchall()
    return [json.loads(bytes(r[0])) for r in rows]


def stored_events(platform, deployed) -> str:
    """Every stored event's state of the instance, as text (the cipher is off in tests)."""
    db = platform.database
    with psycopg.connect(host=db.host, port=db.port, user=db.admin_user,
                         dbname=db.database_for(deployed.settings.instance)) as connection:
        rows = connection.execute("select state from kasane_events").fetchall()
    return "\n".join(bytes(r[0]).decode("utf-8", "replace") for r in rows)


@pytest.fixture(scope="module")
def secretariat(platform):
    """An organisation running 多機関協働 and its gateway: two of its caseworkers."""
    u, takikan, gateway = organisation(platform, "gws", "collaboration", agencies=())
    platform.start(takikan, gateway)
    return {"takikan": takikan, "gateway": gateway,
            "member": add_staff(gateway, f"mem-{u}", CASEWORKER),
            "colleague": add_staff(gateway, f"col-{u}", CASEWORKER)}


def test_a_support_meeting_record_is_read_by_its_member_person_only(platform, secretariat):
    member, colleague = Browser(secretariat["gateway"]), Browser(secretariat["gateway"])
    member.sign_in(secretariat["member"])
    colleague.sign_in(secretariat["colleague"])
    staff_id = member.get("/api/session").json()["staff_id"]
    organisation = secretariat["takikan"].settings.organisation
    with platform.rpc() as rpc:
        held = rpc[secretariat["takikan"].settings.instance].hold_support_meeting({
            "held_on": "2026-07-10", "caseworker_id": "tk-1", "information_shared": "郵便物が溜まっている",
            "members": [{"organisation": organisation, "role": "host",
                         "persons": [{"staff_id": staff_id, "secrecy_acknowledged_on": "2026-07-10"}]},
                        {"organisation": "org-hospital", "role": "related_agency"}]})
    path = f"/api/support-meetings/{held['meeting_id']}"
    assert member.get(path).json()["information_shared"] == "郵便物が溜まっている"
    refused = colleague.get(path)
    assert refused.status_code == 403 and "郵便物" not in refused.text


@pytest.fixture(scope="module")
def partners(platform, secretariat):
    """Two more organisations with gateways and no 多機関協働 of their own: a 社協 (a member of the
    支援会議) and a clinic (not one). Their gateways know the city's 多機関協働 instance."""
    u, city = secrets.token_hex(2), secretariat["takikan"].settings.instance
    gateways = {}
    for name in ("shakyo", "clinic"):
        gateway = replace(gateway_for(platform, f"gwp-{name}-{u}", f"org-{name}-{u}", peers=[]),
                          collaboration_instance=city)
        platform.start(gateway)
        gateways[name] = {"gateway": gateway, "member": add_staff(gateway, f"m-{name}-{u}", CASEWORKER),
                          "colleague": add_staff(gateway, f"c-{name}-{u}", CASEWORKER)}
    return gateways


def test_a_member_person_of_another_organisation_reads_the_record_through_its_own_gateway(
        platform, secretariat, partners):
    shakyo, clinic = partners["shakyo"], partners["clinic"]
    browsers = {who: Browser(org["gateway"]) for who, org in (("member", shakyo), ("colleague", shakyo),
                                                            ("clinic", clinic))}
    browsers["member"].sign_in(shakyo["member"])
    browsers["colleague"].sign_in(shakyo["colleague"])
    browsers["clinic"].sign_in(clinic["member"])
    staff_id = browsers["member"].get("/api/session").json()["staff_id"]
    with platform.rpc() as rpc:
        held = rpc[secretariat["takikan"].settings.instance].hold_support_meeting({
            "held_on": "2026-07-11", "caseworker_id": "tk-1", "information_shared": "夜間に物音がする",
            "members": [{"organisation": secretariat["takikan"].settings.organisation, "role": "host"},
                        {"organisation": shakyo["gateway"].settings.organisation, "role": "related_agency",
                         "persons": [{"staff_id": staff_id, "secrecy_acknowledged_on": "2026-07-11"}]}]})
    path = f"/api/support-meetings/{held['meeting_id']}"
    granted = browsers["member"].get(path)
    assert granted.status_code == 200, granted.text
    assert granted.json()["information_shared"] == "夜間に物音がする"
    for who in ("colleague", "clinic"):  # a non-member person of a member organisation; everyone else
        refused = browsers[who].get(path)
        assert refused.status_code == 403 and "物音" not in refused.text, who


def test_the_access_log_names_no_path_or_query_of_a_request(world, caseworker):
    log = processes.log_file(world["gateway"].settings.instance)
    before = len(log.read_text(encoding="utf-8").splitlines())
    household_id = caseworker.post("/api/intakes", json=make_intake()).json()["household_id"]
    assert caseworker.get(f"/api/households/{household_id}", params={"instance": "ヤマダ"}).status_code
    logged = wait_until(lambda: (lines := log.read_text(encoding="utf-8").splitlines()[before:])
                        and len(lines) >= 2 and "\n".join(lines), message="the two requests in the access log")
    assert household_id not in logged and "/api/" not in logged
    assert "%E3%83%A4" not in logged and "ヤマダ" not in logged  # the query, encoded or not
