"""発信元の確認 on the real broker: a contractor with nothing but its own bus credentials tries to
speak for a consultation desk, as issue 14 found it could. Every organisation runs with its own
user; the desk, 多機関協働 and the city's audit ledger run as processes."""
import io
import json
from pathlib import Path
from uuid import uuid4

import amqp
import pytest
from kombu import Connection, Producer

from kasane.audit.ledger_copy import read_ledger
from kasane.audit.signing import load_key
from kasane.audit.verify import registered_public_key, verify_instance
from kasane.bus.authenticity import ORIGINAL_USER_HEADER, SIGNATURE_HEADER, sign_event
from kasane.bus.envelope import event_id_for
from kasane.bus.topology import dead_letter_exchange, events_exchange, routing_key
from kasane.cli.audit import forged_attempts
from kasane.cli.bus import dead_letters as dead_letters_cli
from kasane.config import signing_key_file
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.bus_helpers import Admissions, admin_sql, dead_letters, publish, referral_envelope, sender_uri
from tests.servers import wait_until

pytestmark = pytest.mark.integration

EXAMPLES = Path(__file__).resolve().parents[2] / "contracts" / "kasane_contracts" / "examples"
ATTACKER = "org-auth-mallory"


@pytest.fixture(scope="module")
def city(platform):
    desk = platform.instance("consultation", "auth-desk")
    takikan = platform.instance("collaboration", "auth-takikan")
    ledger = platform.instance("audit", "auth-ledger")
    platform.start(ledger, takikan, desk, kasane_collaboration_instance=takikan.settings.instance)
    # The attacker: a contractor admitted for its own instance only, with its own key.
    creds = Admissions.admit(platform.broker, ATTACKER, "auth-mallory-outreach")
    attacker = f"amqp://{creds['user']}:{creds['password']}@127.0.0.1:5672/{platform.broker.vhost}"
    yield desk, takikan, ledger, (attacker, creds["user"])
    platform.stop(desk, takikan, ledger)


def as_desk(desk, envelope: dict, position: int) -> dict:
    """The envelope dressed as the desk's event at that position (what a forger can write)."""
    origin = {"service": "consultation", "organisation": desk.settings.organisation,
              "instance": desk.settings.instance}
    return {**envelope, "origin": origin, "position": position,
            "event_id": event_id_for(desk.settings.instance, position)}


def send(uri: str, envelope: dict, key: str, **properties) -> None:
    with Connection(uri, transport_options={"confirm_publish": True}) as connection:
        Producer(connection.channel(), exchange=events_exchange, auto_declare=False).publish(
            json.dumps(envelope).encode(), routing_key=key, content_type="application/json",
            delivery_mode=2, retry=False, **properties)


def mallory_key(event_type: str, recipient: str | None = None) -> str:
    """The only keys the attacker's credentials may publish on: its own instance's."""
    return routing_key("auth-mallory-outreach", event_type, 1, recipient)


def desk_head(desk) -> int:
    return admin_sql(desk, "SELECT coalesce(max(notification_id), 0) FROM kasane_events")[0][0]


def forged_consent(desk, position: int) -> dict:
    example = json.loads((EXAMPLES / "consultation.consent_recorded.v1" / "valid" /
                          "written_consent_for_an_organisation_and_purposes.json").read_text())
    return as_desk(desk, {**example, "household_id": str(uuid4())}, position)


def refer(platform, desk, intake) -> str:
    with platform.rpc() as rpc:
        received = rpc[desk.settings.instance].receive_consultation(intake())
        rpc[desk.settings.instance].refer_to_collaboration({
            "consultation_id": received["consultation_id"], "caseworker_id": "sw-auth",
            "reasons": ["compound_issues"]})
    return received["household_id"]


def test_forged_referrals_and_pre_empted_positions_are_refused_and_the_desks_next_referral_becomes_a_case(
        platform, city, intake):
    desk, takikan, ledger, (attacker, attacker_user) = city
    made_up = str(uuid4())
    referral = as_desk(desk, referral_envelope(desk.settings.instance, household_id=made_up), desk_head(desk) + 1)
    send(attacker, referral, mallory_key("consultation.household_referred", takikan.settings.instance),
         user_id=attacker_user)
    head = desk_head(desk)
    for position in range(head + 1, head + 41):  # the desk's next log positions
        send(attacker, forged_consent(desk, position), mallory_key("consultation.consent_recorded"),
             user_id=attacker_user)

    household = refer(platform, desk, intake)  # published after the forgeries: the barrier
    with platform.rpc() as rpc:
        case = wait_until(lambda: rpc[takikan.settings.instance].open_case_of(household),
                          message="the desk's real referral as a case")
        assert rpc[takikan.settings.instance].open_case_of(made_up) is None
        refused = rpc[takikan.settings.instance].health()["consumer"]["refused"]
    assert case["referrals"][0]["origin_instance"] == desk.settings.instance
    assert refused == 41
    reasons = {m.headers["x-kasane-reason"] for m in dead_letters(platform.broker, takikan.settings.instance)}
    assert reasons == {"origin_mismatch"}
    forged_positions = set(range(head + 1, head + 41))
    taken = {row[0] for row in admin_sql(takikan, "SELECT position FROM kasane_inbox WHERE origin_instance = %s",
                                         (desk.settings.instance,))}
    assert taken and all(p not in forged_positions or p <= desk_head(desk) for p in taken)

    copy = wait_until(lambda: (c := read_ledger(ledger.settings)) and len(c.refusals) >= 41
                      and _has_household(c, desk, household) and c, message="the ledger's evidence")
    assert not _has_household(copy, desk, made_up)
    for deployed in (desk, takikan):
        verdict = verify_instance(deployed.settings, registered_public_key(deployed.settings.instance),
                                  ledger=copy)
        assert verdict.holds, verdict.faults
    forged = forged_attempts(copy)
    assert len(forged) == 41 and {f["sent_by"] for f in forged} == {ATTACKER}
    assert {f["kind"] for f in forged} == {"forged_origin"}
    assert all("payload" not in f for f in forged)  # evidence, never the personal part


def _has_household(copy, desk, household_id) -> bool:
    return any(e.get("household_id") == household_id for e in copy.events.get(desk.settings.instance, {}).values())


def test_the_broker_refuses_a_user_id_other_than_the_connections(platform, city):
    desk, takikan, _, (attacker, _) = city
    desk_user = f"kasane-{platform.broker.vhost}-{desk.settings.organisation}"
    envelope = as_desk(desk, referral_envelope(desk.settings.instance), 10_000)
    with pytest.raises(amqp.exceptions.PreconditionFailed):
        send(attacker, envelope, mallory_key("consultation.household_referred"), user_id=desk_user)


def test_a_stolen_bus_account_cannot_sign_for_the_instance(platform, city, unique):
    """Even with the desk organisation's own credentials (right user, right key), an event not
    signed by the desk's registered key is refused."""
    desk, takikan, _, _ = city
    creds = Admissions.admit(platform.broker, desk.settings.organisation, desk.settings.instance)
    uri = f"amqp://{creds['user']}:{creds['password']}@127.0.0.1:5672/{platform.broker.vhost}"
    envelope = as_desk(desk, referral_envelope(desk.settings.instance, household_id=str(uuid4())), 900_000)
    send(uri, envelope, routing_key(desk.settings.instance, envelope["type"], 1), user_id=creds["user"],
         headers={SIGNATURE_HEADER: sign_event(Ed25519PrivateKey.generate(), envelope)})
    barrier = referral_envelope(f"auth-barrier-{unique}")
    publish(platform.broker, barrier, routing_key(barrier["origin"]["instance"], barrier["type"], 1))
    with platform.rpc() as rpc:
        wait_until(lambda: rpc[takikan.settings.instance].open_case_of(barrier["household_id"]),
                   message="the barrier's case")
        assert rpc[takikan.settings.instance].open_case_of(envelope["household_id"]) is None
    reasons = [m.headers["x-kasane-reason"] for m in dead_letters(platform.broker, takikan.settings.instance)]
    assert "signature_invalid" in reasons


def test_a_position_taken_by_another_event_or_far_beyond_the_head_is_a_conflict_not_a_duplicate(
        platform, city, unique):
    _, takikan, _, _ = city
    origin = f"auth-pos-{unique}"
    first = referral_envelope(origin, position=5)
    key = routing_key(origin, first["type"], 1)
    publish(platform.broker, first, key)
    publish(platform.broker, first, key)  # a true redelivery: skipped once
    impostor = {**referral_envelope(origin, position=5), "event_id": str(uuid4())}
    publish(platform.broker, impostor, key)
    publish(platform.broker, referral_envelope(origin, position=5 + 1_000_001), key)
    barrier = referral_envelope(origin, position=6)
    publish(platform.broker, barrier, key)
    with platform.rpc() as rpc:
        wait_until(lambda: rpc[takikan.settings.instance].open_case_of(barrier["household_id"]),
                   message="the barrier's case")
        assert rpc[takikan.settings.instance].open_case_of(first["household_id"])
        assert rpc[takikan.settings.instance].open_case_of(impostor["household_id"]) is None
    taken: list = []  # a conflict found at commit is dead-lettered just after the batch commits

    def conflicts():
        taken.extend(dead_letters(platform.broker, takikan.settings.instance))
        return [m for m in taken if m.headers["x-kasane-reason"] == "position_conflict"]

    wait_until(lambda: len(conflicts()) >= 2, timeout=60, message=lambda: (
        f"both conflicts in the dead letters; seen {[m.headers.get('x-kasane-reason') for m in taken]}, "
        f"the consumer's counts {platform_health(platform, takikan)}"))
    assert len(conflicts()) == 2
    assert sorted(row[0] for row in admin_sql(
        takikan, "SELECT position FROM kasane_inbox WHERE origin_instance = %s", (origin,))) == [5, 6]


def platform_health(platform, deployed) -> dict:
    with platform.rpc() as rpc:
        return rpc[deployed.settings.instance].health()["consumer"]


def test_a_dead_letter_replayed_by_city_it_keeps_its_senders_user_id_and_signature_and_is_taken_in(
        platform, city, unique, monkeypatch):
    _, takikan, _, _ = city
    envelope = referral_envelope(f"auth-dlq-{unique}")
    _, user = sender_uri(platform.broker, envelope["origin"])
    key = routing_key(envelope["origin"]["instance"], envelope["type"], 1)
    signature = sign_event(load_key(signing_key_file(envelope["origin"]["instance"])), envelope)
    with Connection(platform.broker.amqp_uri, transport_options={"confirm_publish": True}) as connection:
        Producer(connection.channel(), exchange=dead_letter_exchange, auto_declare=False).publish(
            json.dumps(envelope).encode(), routing_key=takikan.settings.instance, retry=False,
            headers={SIGNATURE_HEADER: signature, ORIGINAL_USER_HEADER: user,
                     "x-kasane-original-routing-key": key, "x-kasane-reason": "handler failed: KeyError"})
    monkeypatch.setenv("KASANE_AMQP_VHOST", platform.broker.vhost)
    out = io.StringIO()
    assert dead_letters_cli(takikan.settings.instance, replay=True, out=out) == 0
    assert "replayed" in out.getvalue()
    with platform.rpc() as rpc:
        wait_until(lambda: rpc[takikan.settings.instance].open_case_of(envelope["household_id"]),
                   message="the replayed referral as a case")
