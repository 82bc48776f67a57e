"""接続権限 on the real broker: each organisation's user may publish only under its own origin,
bind and consume only its own queues and keys, and loses access when rotated or disabled."""
import socket

import amqp
import pytest
from uuid import uuid4

from kombu import Connection, Exchange, Producer

from kasane.bus.access import RPC_EXCHANGE, OrganisationAccess
from kasane.bus.admin import BrokerAdmin
from kasane.bus.organisations import admit, disable, rotate
from kasane.bus.topology import DEAD_LETTER_EXCHANGE, EVENTS_EXCHANGE, events_exchange


from tests.servers import wait_until

pytestmark = pytest.mark.integration


@pytest.fixture
def orgs(platform, unique):
    a = platform.instance("consultation", f"acc-a-{unique}", organisation=f"org-a-{unique}")
    b = platform.instance("collaboration", f"acc-b-{unique}", organisation=f"org-b-{unique}")
    creds = {d.settings.instance: admit(platform.broker, OrganisationAccess(
        d.settings.organisation, (d.settings.instance,))) for d in (a, b)}
    return a, b, _ByInstance(creds)


class _ByInstance(dict):
    """Credentials looked up by the deployed instance itself."""

    def __getitem__(self, deployed):
        return super().__getitem__(deployed.settings.instance)


def uri(platform, creds) -> str:
    return f"amqp://{creds['user']}:{creds['password']}@127.0.0.1:5672/{platform.broker.vhost}"


def publish_as(platform, creds, key: str, body=b"{}") -> None:
    with Connection(uri(platform, creds), transport_options={"confirm_publish": True}) as connection:
        Producer(connection.channel(), exchange=events_exchange, auto_declare=False).publish(
            body, routing_key=key, retry=False)


def test_an_organisation_publishes_under_its_own_origin_but_not_under_anothers(platform, orgs):
    a, b, creds = orgs
    publish_as(platform, creds[a], f"ev.{a.settings.instance}.consultation.consultation_received.v1")
    with pytest.raises(amqp.exceptions.AccessRefused):
        publish_as(platform, creds[a], f"ev.{b.settings.instance}.collaboration.case_opened.v1")


def test_an_organisation_cannot_consume_or_bind_another_organisations_queue(platform, orgs):
    a, b, creds = orgs
    with Connection(uri(platform, creds[a])) as connection:
        with pytest.raises(amqp.exceptions.AccessRefused):
            connection.channel().basic_get(queue=f"inbox.{b.settings.instance}")
    with Connection(uri(platform, creds[a])) as connection:
        with pytest.raises(amqp.exceptions.AccessRefused):
            connection.channel().queue_bind(queue=f"inbox.{b.settings.instance}", exchange=EVENTS_EXCHANGE,
                                             routing_key="ev.*.consultation.household_referred.v1")


@pytest.mark.parametrize("key", [
    "ev.*.consultation.connected_to_agency.v1.to.{b}",  # another's addressed events
    "ev.#",                                            # everything: the audit ledger's right only
    "ev.{b}.#",                                        # all of one origin
])
def test_an_organisation_cannot_bind_its_queue_to_keys_meant_for_others(platform, orgs, key):
    a, b, creds = orgs
    with Connection(uri(platform, creds[a])) as connection:
        channel = connection.channel()
        channel.queue_bind(queue=f"inbox.{a.settings.instance}", exchange=EVENTS_EXCHANGE,
                           routing_key=f"ev.*.consultation.connected_to_agency.v1.to.{a.settings.instance}")
        with pytest.raises(amqp.exceptions.AccessRefused):
            channel.queue_bind(queue=f"inbox.{a.settings.instance}", exchange=EVENTS_EXCHANGE,
                               routing_key=key.format(b=b.settings.instance))


RPC = Exchange(RPC_EXCHANGE, type="topic", durable=True)  # exactly as nameko declares it


@pytest.fixture
def rpc_exchange(platform):
    """`nameko-rpc` exists once any instance has started; declare it as nameko would."""
    with Connection(platform.broker.amqp_uri) as connection:
        RPC(connection.channel()).declare()


def call_rpc_as(platform, creds, instance: str, method: str = "health") -> None:
    """What a nameko RPC proxy sends: a call on `nameko-rpc` under `<instance>.<method>`."""
    with Connection(uri(platform, creds), transport_options={"confirm_publish": True}) as connection:
        Producer(connection.channel(), exchange=RPC, auto_declare=False).publish(
            {"args": [], "kwargs": {}}, routing_key=f"{instance}.{method}", serializer="json",
            reply_to=str(uuid4()), correlation_id=str(uuid4()), retry=False)


def test_an_organisation_may_call_rpc_on_its_own_instances_but_never_on_anothers(platform, orgs, rpc_exchange):
    a, b, creds = orgs
    call_rpc_as(platform, creds[a], a.settings.instance)
    with pytest.raises(amqp.exceptions.AccessRefused):
        call_rpc_as(platform, creds[a], b.settings.instance)
    with pytest.raises(amqp.exceptions.AccessRefused):  # nor by a name that only starts like its own
        call_rpc_as(platform, creds[a], a.settings.instance + "x")


def test_any_organisation_may_call_only_the_shared_support_meeting_read_on_anothers_instance(
        platform, orgs, rpc_exchange):
    a, b, creds = orgs
    call_rpc_as(platform, creds[a], b.settings.instance, "read_support_meeting")  # SHARED_CALLS
    for method in ("read_support_meetingx", "hold_support_meeting", "get_case"):
        with pytest.raises(amqp.exceptions.AccessRefused):
            call_rpc_as(platform, creds[a], b.settings.instance, method)


def test_an_organisation_declares_reply_queues_only_under_its_own_instances(platform, orgs, rpc_exchange):
    a, b, creds = orgs
    with Connection(uri(platform, creds[a])) as connection:
        channel = connection.channel()
        own = f"rpc.reply-{a.settings.instance}-{uuid4()}"
        channel.queue_declare(queue=own, auto_delete=True)
        channel.queue_bind(queue=own, exchange=RPC_EXCHANGE, routing_key=str(uuid4()))
        channel.queue_delete(queue=own)
        with pytest.raises(amqp.exceptions.AccessRefused):
            channel.queue_declare(queue=f"rpc.reply-{b.settings.instance}-{uuid4()}", auto_delete=True)


def test_an_organisation_reads_only_its_own_dead_letters(platform, orgs):
    a, b, creds = orgs
    with Connection(uri(platform, creds[a])) as connection:
        with pytest.raises(amqp.exceptions.AccessRefused):
            connection.channel().queue_bind(queue=f"dlq.{a.settings.instance}", exchange=DEAD_LETTER_EXCHANGE,
                                             routing_key=b.settings.instance)


def test_rotating_credentials_cuts_the_old_password_and_its_open_connections(platform, orgs):
    a, _, creds = orgs
    old = creds[a]
    admin = BrokerAdmin(platform.broker)
    with Connection(uri(platform, old)) as open_connection:
        open_connection.connect()
        wait_until(lambda: any(c.get("user") == old["user"] for c in admin.connections()),
                   timeout=30, message="the management API listing the connection")
        new = rotate(platform.broker, a.settings.organisation)
        wait_until(lambda: not _alive(open_connection), timeout=15, message="the old connection cut")
    with pytest.raises(amqp.exceptions.AccessRefused):
        Connection(uri(platform, old)).connect()
    with Connection(uri(platform, new)) as connection:
        connection.connect()


def test_a_disabled_organisation_can_no_longer_connect(platform, orgs):
    a, _, creds = orgs
    disable(platform.broker, a.settings.organisation)
    with pytest.raises(amqp.exceptions.AccessRefused):
        Connection(uri(platform, creds[a])).connect()


def test_services_run_with_nothing_but_their_organisations_rights(platform, orgs, intake):
    a, b, creds = orgs
    for deployed in (b, a):
        platform.start(deployed, kasane_amqp_user=creds[deployed]["user"],
                       kasane_amqp_password=creds[deployed]["password"])
    with platform.rpc() as rpc:
        received = rpc[a.settings.instance].receive_consultation(intake())
        rpc[a.settings.instance].refer_to_collaboration({
            "consultation_id": received["consultation_id"], "caseworker_id": "sw", "reasons": ["compound_issues"]})
        case = wait_until(lambda: rpc[b.settings.instance].open_case_of(received["household_id"]))
        desk, takikan = rpc[a.settings.instance].health(), rpc[b.settings.instance].health()
    assert case["referrals"][0]["origin_instance"] == a.settings.instance
    assert desk["relay"]["errors"] == 0 and takikan["relay"]["errors"] == 0
    assert takikan["consumer"]["dead_lettered"] == 0 and takikan["consumer"]["last_error"] == ""
    assert takikan["consumer"]["consuming"] is True
    platform.stop(a, b)


def _alive(connection) -> bool:
    try:
        connection.drain_events(timeout=0.2)
    except socket.timeout:
        return True  # nothing to read: still connected
    except Exception:  # noqa: BLE001 — closed by the broker
        return False
    return True


