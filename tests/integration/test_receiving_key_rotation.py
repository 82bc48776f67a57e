"""受信鍵の更新 on the real RabbitMQ and PostgreSQL (issue 21): city IT registers the instances
with the directory, each with its receiving key, and the desk's relay seals to the key the
directory lists. A rotation of the CSW's key (`kasane keys rotate-receiving`) registers the new
key; a request sealed before it, still queued, and one sealed after both open at the CSW, each
sealed to its own key. After the old key is retired, a part sealed to it is refused as
seal_invalid and recorded.

Its own module: the registry is broadcast to every business-line inbox bound at that moment."""
import io
import json
from pathlib import Path
from uuid import uuid4

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from kombu import Connection, Queue

from kasane.bus.envelope import event_id_for
from kasane.bus.receiving_keys import (load_receiving_key, previous_key_file, public_half_file, public_hex,
                                       retire_previous_key)
from kasane.bus.sealed import SealRefused, open_sealed, seal
from kasane.bus.topology import events_exchange, routing_key
from kasane.cli import receiving
from kasane.cli.directory import register_instances
from kasane.config import ConfigurationError, receiving_key_file

from tests.bus_helpers import dead_letters, publish
from tests.outreach_helpers import leads_of, outreach_requested_under_consent
from tests.servers import wait_until

pytestmark = pytest.mark.integration

DESK = {"agency_id": "rk-jiritsu", "name": "伊勢市 生活サポートセンター"}
CSW = {"agency_id": "rk-shakyo-csw", "name": "伊勢市社会福祉協議会 CSW"}
CSW_INSTANCE = "rk-csw"
CSW_RECIPIENT = {"instance": CSW_INSTANCE, "organisation": "rk-shakyo"}
EXAMPLE = (Path(__file__).resolve().parents[2] / "contracts" / "kasane_contracts" / "examples" /
           "consultation.outreach_requested.v1" / "valid" / "request_under_consent.json")


@pytest.fixture(scope="module")
def net(platform):
    deployed = {
        "directory": platform.instance("directory", "rk-directory", organisation="rk-city"),
        "desk": platform.instance("consultation", "rk-desk", organisation="rk-jiritsu", agencies=(DESK,)),
        "csw": platform.instance("outreach", CSW_INSTANCE, organisation="rk-shakyo", agencies=(CSW,)),
    }
    platform.start(deployed["directory"])
    platform.start(deployed["desk"], deployed["csw"])
    register_instances(list(deployed.values()), say=lambda line: None)
    wait_until(lambda: registered_receiving_key(platform) == current_public(), message="the CSW's key in the copy")
    yield deployed
    platform.stop(*deployed.values())


def current_public() -> str:
    return public_hex(load_receiving_key(receiving_key_file(CSW_INSTANCE)))


def registered_receiving_key(platform) -> str | None:
    """The CSW's receiving key as the desk's copy of the directory's registry lists it."""
    with platform.rpc() as rpc:
        records = rpc["rk-desk"].directory_instances() or []
    return next((r.get("receiving_key") for r in records if r["instance"] == CSW_INSTANCE), None)


def request_outreach(platform, name: str) -> str:
    person = {"name": name, "kana": "コウシン タロウ", "birth_date": "1961-02-03", "relation": "self"}
    with platform.rpc() as rpc:
        taken = outreach_requested_under_consent(rpc, "rk-desk", DESK, CSW_RECIPIENT, person, "伊勢市 更新町1")
    return taken["household_id"]


def wire_queue(platform, name: str) -> str:
    with Connection(platform.broker.amqp_uri) as connection:
        Queue(name, exchange=events_exchange, routing_key="#", durable=False)(connection.channel()).declare()
    return name


def request_on_the_wire(platform, queue: str, household_id: str) -> dict:
    with Connection(platform.broker.amqp_uri) as connection:
        channel = connection.channel()
        while (message := channel.basic_get(queue=queue, no_ack=True)) is not None:
            body = json.loads(message.body)
            if body["type"] == "consultation.outreach_requested" and body["household_id"] == household_id:
                return body
    raise AssertionError(f"no request for {household_id} on the wire")


def opens_with(envelope: dict, key) -> bool:
    try:
        return open_sealed(envelope["payload"]["personal"], envelope, CSW_INSTANCE, key) is not None
    except SealRefused:
        return False


def test_a_request_queued_before_a_rotation_and_one_sealed_after_both_open_at_the_recipient(platform, net):
    unique = uuid4().hex[:6]
    names = [f"更新前 太郎{unique}", f"更新後 太郎{unique}"]
    wire = wire_queue(platform, f"rk-wire-{unique}")
    platform.stop(net["csw"])  # what is sealed now waits in its inbox
    before = request_outreach(platform, names[0])
    wait_until(lambda: receiving.queue_depth(net["csw"]) >= 1, message="the first request queued")
    old_public, out = current_public(), io.StringIO()
    receiving.rotate(CSW_INSTANCE, deployment=list(net.values()), out=out)
    assert "registered" in out.getvalue()
    wait_until(lambda: registered_receiving_key(platform) == current_public(), message="the new key in the copy")
    # A keys folder that still says the old key: the key the directory's registry lists is taken.
    public_half_file(receiving_key_file(CSW_INSTANCE)).write_text(old_public)
    after = request_outreach(platform, names[1])
    wait_until(lambda: receiving.queue_depth(net["csw"]) >= 2, message="the second request queued")
    with pytest.raises(ConfigurationError, match=r"message\(s\) still wait in inbox"):  # the old key is needed yet
        receiving.retire(CSW_INSTANCE, deployment=list(net.values()), out=io.StringIO())
    platform.start(net["csw"])
    with platform.rpc() as rpc:
        leads = [wait_until(lambda h=h: leads_of(rpc, CSW_INSTANCE, h), message="the lead")[0] for h in (before, after)]
        records = [rpc[CSW_INSTANCE].case_record(lead["case_id"]) for lead in leads]
    assert [r["personal"]["persons"][0]["name"] for r in records] == names
    old, new = (load_receiving_key(previous_key_file(receiving_key_file(CSW_INSTANCE))),
                load_receiving_key(receiving_key_file(CSW_INSTANCE)))
    first, second = (request_on_the_wire(platform, wire, h) for h in (before, after))
    assert (opens_with(first, old), opens_with(first, new)) == (True, False)
    assert (opens_with(second, old), opens_with(second, new)) == (False, True)  # sealed to the registry's new key
    retired = io.StringIO()
    receiving.retire(CSW_INSTANCE, deployment=list(net.values()), out=retired)  # its inbox is empty now
    assert "廃棄しました" in retired.getvalue() and not previous_key_file(receiving_key_file(CSW_INSTANCE)).exists()


def addressed_request(household_id: str, position: int) -> dict:
    """An outreach request from the desk's own origin, as its relay would send it."""
    example = json.loads(EXAMPLE.read_text())
    return {**example, "event_id": event_id_for("rk-desk", position), "position": position,
            "household_id": household_id, "recipient": {"instance": CSW_INSTANCE},
            "origin": {"service": "consultation", "organisation": "rk-jiritsu", "instance": "rk-desk"},
            "payload": {**example["payload"], "request_id": str(uuid4()), "consultation_id": str(uuid4()),
                        "personal": {"persons": [{"person_id": str(uuid4()), "name": "廃棄鍵 花子"}]}}}


def test_a_part_sealed_to_a_retired_key_is_refused_as_seal_invalid_and_recorded(platform, net):
    key_file = receiving_key_file(CSW_INSTANCE)
    retire_previous_key(key_file)  # whatever an earlier test left: this one rotates from one key
    retired_public = current_public()
    receiving.rotate(CSW_INSTANCE, deployment=list(net.values()), out=io.StringIO())
    receiving.retire(CSW_INSTANCE, deployment=list(net.values()), out=io.StringIO())
    assert not previous_key_file(key_file).exists()
    households = [str(uuid4()), str(uuid4())]
    stale = addressed_request(households[0], 900_001)
    stale["payload"]["personal"] = seal(stale["payload"]["personal"], stale, {
        CSW_INSTANCE: X25519PublicKey.from_public_bytes(bytes.fromhex(retired_public))})
    with platform.rpc() as rpc:
        refused_before = rpc[CSW_INSTANCE].health()["consumer"]["refused"]
        for envelope in (stale, addressed_request(households[1], 900_002)):  # the second: a barrier
            publish(platform.broker, envelope, routing_key("rk-desk", envelope["type"], 1, CSW_INSTANCE))
        wait_until(lambda: leads_of(rpc, CSW_INSTANCE, households[1]), message="the barrier's lead")
        assert leads_of(rpc, CSW_INSTANCE, households[0]) == []
        assert rpc[CSW_INSTANCE].health()["consumer"]["refused"] == refused_before + 1
    letters = [m for m in dead_letters(platform.broker, CSW_INSTANCE)
               if json.loads(m.body)["household_id"] == households[0]]
    assert [m.headers["x-kasane-reason"] for m in letters] == ["seal_invalid"]
    assert "廃棄鍵" not in letters[0].headers["x-kasane-reason-detail"]
