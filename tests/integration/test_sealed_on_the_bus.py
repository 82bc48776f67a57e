"""封緘 on the real RabbitMQ and PostgreSQL (issue 21, on the bus): a desk's outreach request under
consent crosses the bus with the person's details sealed for the addressed outreach instance and
the city's audit ledger. Every message is taken off the broker by a queue of the test's own bound
to kasane.events with `#`: no name, kana, birth date or address in clear in any body. A sealed part
that was tampered with, or sealed for another instance, is refused and recorded."""
import base64
import json
from pathlib import Path
from uuid import uuid4

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from kombu import Connection, Queue

from kasane.audit.ledger_copy import read_ledger
from kasane.bus.envelope import event_id_for
from kasane.bus.sealed import ensure_receiving_key, seal
from kasane.bus.topology import events_exchange, routing_key
from kasane.config import receiving_key_file

from tests.bus_helpers import dead_letters, publish, sealed, stand_in, take, tap
from tests.outreach_helpers import leads_of, outreach_requested_under_consent
from tests.servers import wait_until

pytestmark = pytest.mark.integration

DESK = {"agency_id": "sb-jiritsu", "name": "伊勢市 生活サポートセンター"}
CSW = {"agency_id": "sb-shakyo-csw", "name": "伊勢市社会福祉協議会 CSW"}
CSW_RECIPIENT = {"instance": "sb-csw", "organisation": "sb-shakyo"}
READER = {"name": "監査 担当", "organisation": "sb-city-audit"}
EXAMPLE = (Path(__file__).resolve().parents[2] / "contracts" / "kasane_contracts" / "examples" /
           "consultation.outreach_requested.v1" / "valid" / "request_under_consent.json")


@pytest.fixture(scope="module")
def net(platform):
    deployed = {
        "desk": platform.instance("consultation", "sb-desk", organisation="sb-jiritsu", agencies=(DESK,)),
        "csw": platform.instance("outreach", "sb-csw", organisation="sb-shakyo", agencies=(CSW,)),
        "ledger": platform.instance("audit", "sb-ledger", organisation="sb-city-audit"),
    }
    with platform.running(*deployed.values(), kasane_audit_instance="sb-ledger"):
        yield deployed


def wire_queue(platform, name: str) -> str:
    """A queue of the test's own, bound to kasane.events with `#`: every message on the bus."""
    with Connection(platform.broker.amqp_uri) as connection:
        Queue(name, exchange=events_exchange, routing_key="#", durable=False)(connection.channel()).declare()
    return name


def bodies(platform, queue: str) -> list[str]:
    taken = []
    with Connection(platform.broker.amqp_uri) as connection:
        channel = connection.channel()
        while (message := channel.basic_get(queue=queue, no_ack=True)) is not None:
            body = message.body
            taken.append(body.decode("utf-8") if isinstance(body, (bytes, bytearray)) else body)
    return taken


def test_a_request_under_consent_crosses_the_bus_sealed_for_its_recipient_and_the_ledger(platform, net):
    unique = uuid4().hex[:6]
    person = {"name": f"封緘 太郎{unique}", "kana": "フウカン タロウ", "birth_date": "1961-02-03",
              "relation": "self"}
    address = f"伊勢市 封緘町{unique}"
    wire, third = wire_queue(platform, f"sb-wire-{unique}"), f"sb-third-{unique}"
    tap(platform, third)  # a third instance bound to every event, as a ledger would be
    stand_in(third)
    with platform.rpc() as rpc:
        taken = outreach_requested_under_consent(rpc, "sb-desk", DESK, CSW_RECIPIENT, person, address,
                                                 summary=f"{person['name']}が家から出ない")
        [lead] = wait_until(lambda: leads_of(rpc, "sb-csw", taken["household_id"]), message="the lead")
        record = rpc["sb-csw"].case_record(lead["case_id"])
    assert record["personal"]["persons"][0]["name"] == person["name"]  # the recipient opened it
    assert record["personal"]["persons"][0]["kana"] == person["kana"]
    with platform.rpc(reader=READER) as rpc:
        entries = wait_until(lambda: [e for e in rpc["sb-ledger"].household_entries(
            {"household_id": taken["household_id"], "purpose": "試験"})["entries"]
            if e["type"] == "consultation.outreach_requested"], message="the request in the ledger")
    assert entries[0]["payload"]["personal"]["persons"][0]["birth_date"] == person["birth_date"]
    on_the_wire = bodies(platform, wire)
    [request] = [json.loads(b) for b in on_the_wire if '"consultation.outreach_requested"' in b
                 and taken["household_id"] in b]
    assert set(request["payload"]["personal"]["sealed"]["keys"]) == {"sb-csw", "sb-ledger"}
    for value in (person["name"], person["kana"], person["birth_date"], address, unique):
        assert not [b for b in on_the_wire if value in b], f"{value} in clear on the wire"
    [seen] = [e for e in take(platform, third) if e["type"] == "consultation.outreach_requested"
              and e["household_id"] == taken["household_id"]]
    assert "personal" not in seen["payload"]  # bound to it, and no reader of it


def request_from(origin: str, position: int, household_id: str) -> dict:
    example = json.loads(EXAMPLE.read_text())
    return {**example, "event_id": event_id_for(origin, position), "position": position,
            "household_id": household_id, "recipient": {"instance": "sb-csw"},
            "origin": {"service": "consultation", "organisation": "sb-pretend-desk", "instance": origin},
            "payload": {**example["payload"], "request_id": str(uuid4()), "consultation_id": str(uuid4()),
                        "personal": {"persons": [{"person_id": str(uuid4()), "name": f"改竄 花子{origin}"}]}}}


def send(platform, envelope: dict) -> None:
    publish(platform.broker, envelope, routing_key(envelope["origin"]["instance"], envelope["type"], 1, "sb-csw"))


def test_a_tampered_sealed_part_and_one_sealed_for_another_instance_are_refused_and_recorded(platform, net):
    origin, third = f"sb-pretend-{uuid4().hex[:6]}", f"sb-other-{uuid4().hex[:6]}"
    households = [str(uuid4()) for _ in range(3)]
    tampered = sealed(platform.broker, request_from(origin, 1, households[0]))
    body = tampered["payload"]["personal"]["sealed"]
    body["ciphertext"] = base64.b64encode(bytes([base64.b64decode(body["ciphertext"])[0] ^ 1])
                                          + base64.b64decode(body["ciphertext"])[1:]).decode()
    elsewhere = request_from(origin, 2, households[1])  # addressed to sb-csw, sealed for another only
    other_key = X25519PublicKey.from_public_bytes(bytes.fromhex(ensure_receiving_key(receiving_key_file(third))))
    elsewhere["payload"]["personal"] = seal(elsewhere["payload"]["personal"], elsewhere, {third: other_key})
    for envelope in (tampered, elsewhere, request_from(origin, 3, households[2])):  # the last: a barrier
        send(platform, envelope)
    with platform.rpc() as rpc:
        wait_until(lambda: leads_of(rpc, "sb-csw", households[2]), message="the well-sealed request")
        assert leads_of(rpc, "sb-csw", households[0]) == leads_of(rpc, "sb-csw", households[1]) == []
        assert rpc["sb-csw"].health()["consumer"]["refused"] == 2
    letters = [m for m in dead_letters(platform.broker, "sb-csw")
               if m.headers.get("x-kasane-original-routing-key", "").startswith(f"ev.{origin}.")]
    assert sorted(m.headers["x-kasane-reason"] for m in letters) == ["seal_invalid", "seal_invalid"]
    assert all("改竄" not in m.headers["x-kasane-reason-detail"] for m in letters)
    assert all("sealed" in json.loads(m.body)["payload"]["personal"] for m in letters)  # kept sealed
    # The ledger, a reader of the tampered part, refused it too and keeps the evidence.
    refusals = wait_until(lambda: [r for r in read_ledger(net["ledger"].settings).refusals
                                   if r["claimed_instance"] == origin], message="the ledger's evidence")
    assert [(r["reason"], r["position"]) for r in refusals] == [("seal_invalid", 1)]
    assert "改竄" not in json.dumps(refusals, ensure_ascii=False)
