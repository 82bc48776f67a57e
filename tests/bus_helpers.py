"""Test helpers that talk to the real broker and databases directly (publish, inspect, break)."""
from __future__ import annotations

import json
import socket
from datetime import datetime, timezone
from uuid import uuid4

import psycopg
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from kombu import Connection, Consumer, Producer, Queue

from kasane.audit.signing import ensure_key, load_key
from kasane.bus.access import OrganisationAccess
from kasane.bus.authenticity import SIGNATURE_HEADER, sign_event
from kasane.bus.envelope import event_id_for
from kasane.bus.organisations import admit
from kasane.bus.topology import EVERY_EVENT, declare_consumer, events_exchange, routing_key
from kasane.bus.sealed import Opener, ensure_receiving_key, is_sealed, load_receiving_key, seal
from kasane.config import receiving_key_file, signing_key_file
from kasane.deployment import DeployedInstance

_positions: dict[str, int] = {}


class Admissions:
    """Which instances each organisation runs in this test run, so that admitting one more (a
    platform instance or a pretend origin) keeps the rights of the ones admitted before."""

    instances: dict[tuple[str, str], set] = {}
    ledgers: set = set()
    ledger_instances: dict[str, set] = {}  # vhost -> the audit ledgers admitted (readers of every seal)
    issued: dict[tuple[str, str], dict] = {}

    @classmethod
    def admit(cls, broker, organisation: str, instance: str, audit: bool = False) -> dict:
        """Admits once per new instance: publishing as a known origin changes nothing on the
        broker (each grant rewrites the user's rights, which the broker must not do per message)."""
        key = (broker.vhost, organisation)
        known = cls.instances.setdefault(key, set())
        if instance in known and key in cls.issued and (not audit or key in cls.ledgers):
            return cls.issued[key]
        if audit:
            cls.ledgers.add(key)
            cls.ledger_instances.setdefault(broker.vhost, set()).add(instance)
        known.add(instance)
        cls.issued[key] = admit(broker, OrganisationAccess(organisation, tuple(sorted(known)),
                                                           reads_every_event=key in cls.ledgers))
        return cls.issued[key]


def sender_uri(broker, origin: dict) -> tuple[str, str]:
    """The pretend origin as a real sender: its organisation admitted with its own bus user and
    the instance's signing key registered, as city IT would do; returns (amqp uri, user)."""
    creds = Admissions.admit(broker, origin["organisation"], origin["instance"])
    ensure_key(signing_key_file(origin["instance"]))
    uri = f"amqp://{creds['user']}:{creds['password']}@{broker.host}:{broker.port}/{broker.vhost}"
    return uri, creds["user"]


def referral_envelope(origin_instance: str, household_id: str | None = None,
                      position: int | None = None) -> dict:
    """A valid consultation.household_referred v1 from a (pretend) consultation instance."""
    position = position or _positions.setdefault(origin_instance, 0) + 1
    _positions[origin_instance] = position
    now = datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")
    return {
        "event_id": event_id_for(origin_instance, position),
        "type": "consultation.household_referred", "version": 1, "occurred_at": now,
        "household_id": household_id or str(uuid4()),
        "origin": {"service": "consultation", "organisation": "org-test", "instance": origin_instance},
        "position": position, "correlation_id": str(uuid4()), "causation_id": str(uuid4()),
        "payload": {
            "referral_id": str(uuid4()), "consultation_id": str(uuid4()),
            "referring_agency": {"agency_id": "kikan-tokiwadaira", "name": "常盤平基幹相談支援センター ふれあい"},
            "reasons": ["compound_issues"], "issue_categories": ["hikikomori"], "urgency": "normal",
            "referred_at": now, "caseworker_id": "sw-9",
        },
    }


def consent_envelope(origin_instance: str, household_id: str, purposes, person_id: str | None = None,
                     position: int = 1) -> dict:
    """A valid consultation.consent_recorded v1 from a (pretend) consultation instance: 本人同意
    given in writing by the person for `purposes`, naming no organisation."""
    now = datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")
    return {
        "event_id": event_id_for(origin_instance, position), "type": "consultation.consent_recorded",
        "version": 1, "occurred_at": now, "household_id": household_id,
        "origin": {"service": "consultation", "organisation": "org-test", "instance": origin_instance},
        "position": position, "correlation_id": str(uuid4()), "causation_id": str(uuid4()),
        "payload": {"consent_id": str(uuid4()), "person_id": person_id or str(uuid4()), "given_by": "self",
                    "organisations": [], "purposes": list(purposes), "method": "written", "given_at": now,
                    "agency": {"agency_id": "a", "name": "相談窓口"}, "caseworker_id": "sw-9"}}


def area_issues_of(platform, instance: str, last_area: str):
    """The instance's area_issues query (by area, None for every area), once the sheet about
    `last_area`, sent last, is listed: the sheets sent before it were handled."""
    def listed(area):
        with platform.rpc() as rpc:
            return rpc[instance].area_issues(area)
    wait_for_area(listed, last_area)
    return listed


def wait_for_area(listed, area: str, message: str = "the last sheet") -> None:
    from tests.servers import wait_until  # tests.servers imports this module
    wait_until(lambda: listed(area)["issues"], message=message)


def publish(broker, body, key: str) -> None:
    """Publish straight onto kasane.events. An envelope goes as its origin instance would send it
    (its organisation's bus user, `user_id`, signed with the instance's key); raw bytes go as a
    misbehaving publisher would, with the administrator's account and no user_id."""
    if isinstance(body, bytes):
        return _publish(broker.amqp_uri, body, key)
    uri, user = sender_uri(broker, body["origin"])
    body = sealed(broker, body)
    signature = sign_event(load_key(signing_key_file(body["origin"]["instance"])), body)
    _publish(uri, json.dumps(body).encode(), key, user_id=user, headers={SIGNATURE_HEADER: signature})


def sealed(broker, body: dict) -> dict:
    """The envelope as its origin's relay sends it: an addressed personal part sealed for the
    recipient and every audit ledger of the run (kasane.bus.sealed)."""
    personal = (body.get("payload") or {}).get("personal")
    if personal is None or is_sealed(personal):
        return body
    recipient = (body.get("recipient") or {}).get("instance")
    readers = {i: X25519PublicKey.from_public_bytes(bytes.fromhex(ensure_receiving_key(receiving_key_file(i))))
               for i in {recipient, *Admissions.ledger_instances.get(broker.vhost, ())} if i}
    return {**body, "payload": {**body["payload"], "personal": seal(personal, body, readers)}}


def opened(envelope: dict, instance: str) -> dict:
    """What `instance` reads of an envelope taken off the wire: its personal part opened with the
    instance's receiving key (the test stands in for that instance)."""
    return Opener(instance, load_receiving_key(receiving_key_file(instance)))(envelope)


def _publish(uri: str, data: bytes, key: str, **properties) -> None:
    with Connection(uri, transport_options={"confirm_publish": True}) as connection:
        Producer(connection.channel(), exchange=events_exchange, auto_declare=False).publish(
            data, routing_key=key, content_type="application/json", delivery_mode=2, retry=False,
            **properties)


def publish_envelope(broker, envelope: dict) -> None:
    publish(broker, envelope, routing_key(envelope["origin"]["instance"], envelope["type"], envelope["version"]))


def dead_letters(broker, instance: str) -> list:
    """Take every message from the instance's dead-letter queue."""
    taken = []
    with Connection(broker.amqp_uri) as connection:
        channel = connection.channel()
        while (message := channel.basic_get(queue=f"dlq.{instance}", no_ack=True)) is not None:
            taken.append(message)
    return taken


def admin_sql(deployed: DeployedInstance, statement: str, params=(), dbname: str | None = None):
    db = deployed.settings.database
    with psycopg.connect(host=db.host, port=db.port, user=db.admin_user, autocommit=True,
                         dbname=dbname or db.database_for(deployed.settings.instance)) as conn:
        cursor = conn.execute(statement, params or None)
        return cursor.fetchall() if cursor.description else None


def inbox_rows(deployed: DeployedInstance, origin_instance: str) -> list:
    return admin_sql(deployed, "SELECT position FROM kasane_inbox WHERE origin_instance = %s "
                               "ORDER BY position", (origin_instance,))


def tap(platform, name: str) -> str:
    """A queue bound to `ev.#`, hearing every event on the bus (addressed ones included), as the
    audit ledger does: a test's bystander that proves what did and did not travel."""
    with Connection(platform.broker.amqp_uri) as connection:
        declare_consumer(connection.channel(), name, [EVERY_EVENT])
    return name


def stand_in(instance: str) -> None:
    """The test stands in for a pretend `instance`: its receiving key exists (as city IT's
    provisioning makes one), so that senders can seal personal parts for it."""
    ensure_receiving_key(receiving_key_file(instance))


def take(platform, instance: str, wait: float = 1.0) -> list[dict]:
    """Every message waiting in `inbox.<instance>` (acked), as parsed envelopes, read as that
    instance reads them (personal parts opened) when it has a receiving key; a tap has none and
    sees the wire as it is."""
    taken = []
    with Connection(platform.broker.amqp_uri) as connection:
        def keep(body, message):
            taken.append(json.loads(body) if isinstance(body, (str, bytes)) else body)
            message.ack()

        with Consumer(connection, queues=[Queue(f"inbox.{instance}", no_declare=True)],
                      callbacks=[keep], accept=["json"]):
            try:
                while True:
                    connection.drain_events(timeout=wait)
            except socket.timeout:
                pass
    if receiving_key_file(instance).exists():
        return [opened(e, instance) for e in taken]
    return taken
