"""City IT's bus commands on the real broker: `kasane bus provision --profile CITY` admits exactly
the organisations of the city's deployment that its profile knows, and `kasane bus status` shows
each instance's depth, consumers, oldest message age and dead letters."""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from kombu import Connection, Producer

from kasane.bus.access import user_name
from kasane.bus.admin import BrokerAdmin
from kasane.bus.topology import dead_letter_exchange, events_exchange
from kasane.config import REPO_ROOT
from kasane.deployment import load_deployment

from tests.servers import wait_until

pytestmark = pytest.mark.e2e

KASANE = str(Path(sys.executable).with_name("kasane"))


def kasane(platform, *args, deployment: Path | None = None):
    env = {**os.environ, "KASANE_DB_PREFIX": platform.database.prefix,
           "KASANE_AMQP_VHOST": platform.broker.vhost}
    env.pop("KASANE_DEPLOYMENT", None)
    if deployment is not None:
        env["KASANE_DEPLOYMENT"] = str(deployment)
    return subprocess.run([KASANE, *args], capture_output=True, text=True, timeout=300, env=env)


def bus_users(platform) -> set[str]:
    prefix = user_name("", platform.broker.vhost)
    return {u for u in BrokerAdmin(platform.broker).users() if u.startswith(prefix)}


def without_hashes(document: dict) -> dict:
    return {**document, "users": [{k: v for k, v in u.items() if k != "password_hash"} for u in document["users"]]}


@pytest.fixture
def definitions_file(platform):
    path = REPO_ROOT / "deploy" / "generated" / f"rabbitmq-definitions.{platform.broker.vhost}.json"
    yield path
    path.unlink(missing_ok=True)


def test_provisioning_matsudo_by_its_profile_admits_its_organisations_and_is_idempotent(platform, definitions_file):
    organisations = {d.settings.organisation for d in load_deployment(REPO_ROOT / "deploy" / "instances.yaml", env={})}
    first = kasane(platform, "bus", "provision", "--profile", "matsudo")
    assert first.returncode == 0, first.stderr
    assert f"{len(organisations)} of " in first.stdout and "松戸市" in first.stdout
    expected = {user_name(o, platform.broker.vhost) for o in organisations}
    assert bus_users(platform) >= expected
    document = json.loads(definitions_file.read_text())
    assert {u["name"] for u in document["users"]} == expected
    queues = {q["name"] for q in BrokerAdmin(platform.broker).queues(platform.broker.vhost)}
    assert {"inbox.matsudo-outreach-ishikai", "dlq.matsudo-outreach-ishikai", "inbox.matsudo-takikan"} <= queues

    again = kasane(platform, "bus", "provision", "--profile", "matsudo")
    assert again.returncode == 0, again.stderr
    # Same users, rights, queues and bindings; each password hash is salted anew, the password kept.
    assert without_hashes(json.loads(definitions_file.read_text())) == without_hashes(document)
    assert bus_users(platform) >= expected


def test_a_deployment_that_departs_from_the_profile_is_refused_before_anything_is_admitted(platform, tmp_path, unique):
    deployment = tmp_path / "instances.yaml"
    deployment.write_text(yaml.safe_dump({"city": "matsudo", "instances": [
        {"instance": f"stray-{unique}", "service": "outreach", "organisation": f"unknown-org-{unique}"},
        {"instance": f"desk-{unique}", "service": "consultation", "organisation": "matsudo-shakyo",
         "agencies": [{"agency_id": "matsudo-takikan-kyodo", "name": "多機関協働業務"}]},
    ]}, allow_unicode=True), encoding="utf-8")
    result = kasane(platform, "bus", "provision", "--profile", "matsudo", deployment=deployment)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"organisation unknown-org-{unique} is not in the profile" in result.stderr
    assert "agency matsudo-takikan-kyodo belongs to collaboration, not consultation" in result.stderr
    assert not any(unique in u for u in bus_users(platform))

    other_city = kasane(platform, "bus", "provision", "--profile", "komae", deployment=deployment)
    assert other_city.returncode == 1
    assert "the deployment is for matsudo, the profile for komae" in other_city.stderr


def test_a_city_without_a_deployment_is_told_which_file_to_write(platform):
    result = kasane(platform, "bus", "provision", "--profile", "komae")
    assert result.returncode == 1
    assert "no deployment for komae: write instances.komae.yaml" in result.stderr


def test_status_shows_the_oldest_waiting_message_and_dead_letters_of_an_instance_nobody_consumes(platform, unique):
    idle = platform.instance("collaboration", f"idle-{unique}")  # provisioned, never started
    key = f"ev.desk-{unique}.consultation.household_referred.v1.to.idle-{unique}"
    published = int(time.time()) - 3 * 3600
    with Connection(platform.broker.amqp_uri, transport_options={"confirm_publish": True}) as connection:
        events = Producer(connection.channel(), exchange=events_exchange, auto_declare=False)
        for _ in range(2):
            events.publish(b"{}", routing_key=key, timestamp=published, retry=False)
        Producer(connection.channel(), exchange=dead_letter_exchange, auto_declare=False).publish(
            b"{}", routing_key=idle.settings.instance, retry=False,
            headers={"x-kasane-reason": "contract broken",
                     "x-kasane-dead-lettered-at": "2026-01-01T00:00:00+00:00"})
    def counted() -> str:
        result = kasane(platform, "bus", "status")
        assert result.returncode == 0, result.stderr
        line = next((s for s in result.stdout.splitlines() if s.startswith(f"idle-{unique} ")), "")
        return line if line.split()[1:2] == ["2"] and "dead letters" in line else ""
    # The management API's statistics lag a few seconds.
    line = wait_until(counted, timeout=30, interval=0.5, message="both messages and the dead letter in the status")
    columns = line.split()
    assert columns[:4] == [f"idle-{unique}", "2", "0", "0"], line
    assert columns[4] in ("3.0h", "3.1h")  # oldest waiting: published three hours ago
    assert columns[5] == "1" and columns[6].endswith("d")  # one dead letter, since 1 January
    assert "nobody consumes" in line and f"kasane bus dead-letters idle-{unique}" in line


def test_dead_letters_are_shown_with_their_reason_and_replayed_to_their_original_queue(platform, unique):
    idle = platform.instance("collaboration", f"replay-{unique}")
    key = f"ev.desk-{unique}.consultation.household_referred.v1.to.replay-{unique}"
    with Connection(platform.broker.amqp_uri, transport_options={"confirm_publish": True}) as connection:
        Producer(connection.channel(), exchange=dead_letter_exchange, auto_declare=False).publish(
            b'{"fixed": "later"}', routing_key=idle.settings.instance, retry=False,
            headers={"x-kasane-reason": "handler failed: KeyError",
                     "x-kasane-original-routing-key": key,
                     "x-kasane-original-user-id": platform.broker.user,
                     "x-kasane-dead-lettered-at": "2026-11-30T00:00:00+00:00"})
    shown = kasane(platform, "bus", "dead-letters", idle.settings.instance)
    assert shown.returncode == 0 and f"{key}  handler failed: KeyError" in shown.stdout

    with Connection(platform.broker.amqp_uri) as connection:
        channel = connection.channel()
        probe = channel.queue_declare(f"probe-dl-{unique}", durable=False, exclusive=True).queue
        channel.queue_bind(probe, exchange="kasane.events", routing_key=key)
        replayed = kasane(platform, "bus", "dead-letters", idle.settings.instance, "--replay")
        assert replayed.returncode == 0 and "replayed 1 message(s)" in replayed.stdout
        assert channel.queue_declare(f"dlq.{idle.settings.instance}", passive=True).message_count == 0
        assert channel.queue_declare(f"inbox.{idle.settings.instance}", passive=True).message_count == 1
        copy = channel.basic_get(probe, no_ack=True)
    assert copy.properties["user_id"] == platform.broker.user  # the publisher's, as first sent


def test_dead_letters_are_listed_a_page_at_a_time_saying_where_the_list_was_cut(platform, unique):
    idle = platform.instance("collaboration", f"paged-{unique}")
    with Connection(platform.broker.amqp_uri, transport_options={"confirm_publish": True}) as connection:
        dead = Producer(connection.channel(), exchange=dead_letter_exchange, auto_declare=False)
        for n in range(3):
            dead.publish(b"{}", routing_key=idle.settings.instance, retry=False,
                         headers={"x-kasane-reason": f"refused {n}", "x-kasane-original-routing-key": "ev.x.y.v1"})
    first = kasane(platform, "bus", "dead-letters", idle.settings.instance, "--limit", "2")
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        "?  ev.x.y.v1  refused 0", "?  ev.x.y.v1  refused 1",
        f"shown 1–2 of 3; the next with `kasane bus dead-letters {idle.settings.instance} --offset 2`"]
    rest = kasane(platform, "bus", "dead-letters", idle.settings.instance, "--limit", "2", "--offset", "2")
    assert rest.stdout.splitlines() == ["?  ev.x.y.v1  refused 2", "shown 3–3 of 3"]


@pytest.fixture
def own_vhost(platform, unique):
    """A vhost of the test's own: every other test's unrouted events stay out of its lists."""
    from dataclasses import replace
    from kasane.bus.organisations import remove_issued_users
    broker = replace(platform.broker, vhost=f"{platform.broker.vhost}-unrouted-{unique}")
    admin = BrokerAdmin(broker)
    admin.ensure_vhost(broker.vhost, users=(broker.user,))
    yield broker
    remove_issued_users(broker)  # the operator replaying made
    admin.delete_vhost(broker.vhost)


def kasane_on(broker, *args):
    env = {**os.environ, "KASANE_AMQP_VHOST": broker.vhost}
    return subprocess.run([KASANE, *args], capture_output=True, text=True, timeout=120, env=env)


def test_unrouted_events_are_shown_in_status_and_replayed_with_their_publishers_user_id(own_vhost, unique):
    from kasane.bus.topology import UNROUTED_QUEUE, declare_exchanges
    key = f"ev.lost-{unique}.nobody_subscribes.v1"
    published = int(time.time()) - 2 * 3600
    with Connection(own_vhost.amqp_uri, transport_options={"confirm_publish": True}) as connection:
        declare_exchanges(connection.channel())
        Producer(connection.channel(), exchange=events_exchange, auto_declare=False).publish(
            b'{"unrouted": true}', routing_key=key, timestamp=published, message_id=f"m-{unique}",
            user_id=own_vhost.user, headers={"x-kasane-event-id": unique}, retry=False)
    status = kasane_on(own_vhost, "bus", "status").stdout
    line = next(s for s in status.splitlines() if s.startswith(f"{UNROUTED_QUEUE} (unrouted)"))
    assert line.split()[2:4] == ["1", "2.0h"] and "kasane bus unrouted" in line
    listed = kasane_on(own_vhost, "bus", "unrouted").stdout.splitlines()
    assert listed == [f"   2.0h  {key}  user {own_vhost.user}  message m-{unique}", "shown 1–1 of 1"]

    with Connection(own_vhost.amqp_uri) as connection:
        channel = connection.channel()
        probe = channel.queue_declare(f"probe-{unique}", durable=False, exclusive=True).queue
        channel.queue_bind(probe, exchange="kasane.events", routing_key=f"ev.lost-{unique}.#")
        replayed = kasane_on(own_vhost, "bus", "unrouted", "--replay")  # as city IT's operator, not as guest
        assert replayed.stdout == "replayed 1 message(s) from kasane.unrouted\n", replayed.stderr
        message = channel.basic_get(probe, no_ack=True)
    assert message.body == b'{"unrouted": true}'
    assert message.properties["user_id"] == own_vhost.user  # kept: consumers check it
    assert message.properties["message_id"] == f"m-{unique}" and message.properties["timestamp"] == published
    assert message.properties["application_headers"]["x-kasane-event-id"] == unique
    assert kasane_on(own_vhost, "bus", "unrouted").stdout == "(none)\n"
