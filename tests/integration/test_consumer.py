"""The inbox consumer of a running collaboration process, fed straight from the exchange:
duplicates cause nothing twice, poison goes to the dead-letter queue with its reason without
blocking the queue, and messages wait out a database outage."""
import pytest

from kasane.cli import processes

from tests.bus_helpers import admin_sql, dead_letters, inbox_rows, publish, publish_envelope, referral_envelope
from tests.servers import running_instance, wait_until

pytestmark = pytest.mark.integration


takikan = running_instance("collaboration", "consumer-takikan")


def open_case(platform, takikan, household_id):
    with platform.rpc() as rpc:
        return rpc[takikan.settings.instance].open_case_of(household_id)


def test_the_same_integration_event_delivered_twice_opens_one_case(platform, takikan, unique):
    origin = f"dup-desk-{unique}"
    envelope = referral_envelope(origin)
    publish_envelope(platform.broker, envelope)
    publish_envelope(platform.broker, envelope)
    case = wait_until(lambda: open_case(platform, takikan, envelope["household_id"]))
    later = referral_envelope(origin)  # proves the duplicate was handled before it
    publish_envelope(platform.broker, later)
    wait_until(lambda: open_case(platform, takikan, later["household_id"]))
    assert len(open_case(platform, takikan, envelope["household_id"])["referrals"]) == 1
    assert case["referrals"][0]["referral_id"] == envelope["payload"]["referral_id"]
    assert [row[0] for row in inbox_rows(takikan, origin)] == [1, 2]


def test_a_second_referral_for_the_household_joins_its_open_case(platform, takikan, unique):
    origin = f"join-desk-{unique}"
    first = referral_envelope(origin)
    second = referral_envelope(origin, household_id=first["household_id"])
    publish_envelope(platform.broker, first)
    publish_envelope(platform.broker, second)
    case = wait_until(lambda: (c := open_case(platform, takikan, first["household_id"]))
                      and len(c["referrals"]) == 2 and c)
    assert [r["referral_id"] for r in case["referrals"]] == [
        first["payload"]["referral_id"], second["payload"]["referral_id"]]


def test_malformed_messages_are_dead_lettered_with_their_reason_and_the_next_is_processed(platform, takikan, unique):
    origin = f"poison-desk-{unique}"
    instance = takikan.settings.instance
    broken = referral_envelope(origin)
    del broken["payload"]["reasons"]
    publish(platform.broker, b"{not json", f"ev.{origin}.consultation.household_referred.v1")
    publish_envelope(platform.broker, broken)
    good = referral_envelope(origin)
    publish_envelope(platform.broker, good)
    wait_until(lambda: open_case(platform, takikan, good["household_id"]), message="the good message")
    letters = wait_until(lambda: (found := dead_letters(platform.broker, instance)) and found)
    reasons = sorted(m.headers["x-kasane-reason"] for m in letters)
    assert len(letters) == 2
    assert reasons[0] == "body is not UTF-8 JSON"
    assert "payload.reasons" in reasons[1]
    assert all(m.headers["x-kasane-original-routing-key"].startswith(f"ev.{origin}.") for m in letters)
    assert open_case(platform, takikan, broken["household_id"]) is None


def test_messages_wait_while_the_consumer_database_is_down_none_is_lost_and_the_outage_is_said_twice(
        platform, takikan, unique):
    """Retried again and again (each try waits for the pool), said once when the outage starts and
    once when it ends, never once per retry; the error shown in health is cleared on recovery."""
    origin = f"outage-desk-{unique}"
    database = takikan.settings.database.database_for(takikan.settings.instance)
    envelopes = [referral_envelope(origin) for _ in range(3)]
    before = health(platform, takikan)["retries"]
    admin_sql(takikan, f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS false', dbname="postgres")
    admin_sql(takikan, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
              (database,), dbname="postgres")
    try:
        for envelope in envelopes:
            publish_envelope(platform.broker, envelope)
        wait_until(lambda: health(platform, takikan)["retries"] >= before + 2, timeout=150,
                   message="the consumer retrying during the outage")
        assert health(platform, takikan)["last_error"]
    finally:
        admin_sql(takikan, f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS true', dbname="postgres")
    for envelope in envelopes:
        wait_until(lambda envelope=envelope: _quietly(open_case, platform, takikan, envelope["household_id"]),
                   timeout=90, message="processing after the outage")
    assert [row[0] for row in inbox_rows(takikan, origin)] == [1, 2, 3]
    assert dead_letters(platform.broker, takikan.settings.instance) == []
    assert health(platform, takikan)["last_error"] == ""
    lines = processes.log_file(takikan.settings.instance).read_text().splitlines()
    said = [line for line in lines if f"consumer {takikan.settings.instance} (database)" in line]
    assert len(said) == 2, said
    assert "retrying with backoff" in said[0] and "recovered after" in said[1]


def health(platform, takikan) -> dict:
    with platform.rpc() as rpc:
        return rpc[takikan.settings.instance].health()["consumer"]


def _quietly(function, *args):
    try:
        return function(*args)
    except Exception:  # noqa: BLE001 — the service's own pool may still be reconnecting
        return None
