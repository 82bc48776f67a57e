"""The first slice end to end: consultation (its own process and database) refers a household
over RabbitMQ, collaboration (its own process and database) opens a case."""
import pytest

from kasane.errors import InvalidCommand

from tests.bus_helpers import admin_sql, inbox_rows
from tests.servers import running_instances, wait_until

pytestmark = pytest.mark.e2e


slice_instances = running_instances(("consultation", "slice-desk"), ("collaboration", "slice-takikan"))


def refer(rpc, desk: str, intake: dict) -> dict:
    received = rpc[desk].receive_consultation(intake)
    rpc[desk].refer_to_collaboration({"consultation_id": received["consultation_id"],
                                      "caseworker_id": "sw-01", "reasons": ["compound_issues"]})
    return received


def test_a_referral_from_consultation_opens_a_case_showing_the_referring_agency(platform, slice_instances, intake):
    consultation, collaboration = slice_instances
    desk, takikan = consultation.settings.instance, collaboration.settings.instance
    with platform.rpc() as rpc:
        received = refer(rpc, desk, intake())
        case = wait_until(lambda: rpc[takikan].open_case_of(received["household_id"]),
                          message="the case in collaboration")
        assert case["referring_agency"]["name"] == "常盤平高齢者いきいき安心センター"
        assert case["referrals"][0]["origin_instance"] == desk
        assert rpc[takikan].get_case(case["case_id"]) == case
        assert rpc[desk].get_consultation(received["consultation_id"])["status"] == "referred"


def test_no_personal_detail_reaches_collaboration_without_consent(platform, slice_instances, intake):
    consultation, collaboration = slice_instances
    with platform.rpc() as rpc:
        received = refer(rpc, consultation.settings.instance, intake())
        wait_until(lambda: rpc[collaboration.settings.instance].open_case_of(received["household_id"]))
    stored = admin_sql(collaboration, "SELECT convert_from(state, 'UTF8') FROM kasane_events")
    assert not any("見本" in row[0] or "ミホン" in row[0] for row in stored)


def test_an_invalid_intake_names_the_fields_stores_nothing_and_repeats_no_value(platform, slice_instances, intake):
    consultation, _ = slice_instances
    desk = consultation.settings.instance
    before = admin_sql(consultation, "SELECT count(*) FROM kasane_events")[0][0]
    bad = intake(channel="伝書鳩", persons=[{"name": "見本 ハナ", "birth_date": "1942-13-45"}])
    del bad["caseworker_id"]
    with platform.rpc() as rpc, pytest.raises(InvalidCommand) as refused:
        rpc[desk].receive_consultation(bad)
    assert set(refused.value.errors) == {"channel", "persons", "caseworker_id"}
    assert "見本" not in str(refused.value) and "伝書鳩" not in str(refused.value)
    assert admin_sql(consultation, "SELECT count(*) FROM kasane_events")[0][0] == before


def test_kill_9_after_commit_before_relay_delivers_the_referral_exactly_once(platform, unique, intake):
    consultation = platform.instance("consultation", f"crash-desk-{unique}")
    collaboration = platform.instance("collaboration", f"crash-takikan-{unique}")
    desk, takikan = consultation.settings.instance, collaboration.settings.instance
    platform.start(collaboration)
    platform.start(consultation, relay=False)  # commits, never publishes
    with platform.rpc() as rpc:
        received = refer(rpc, desk, intake())
        platform.kill9(consultation)
        assert rpc[takikan].open_case_of(received["household_id"]) is None
        platform.start(consultation)
        case = wait_until(lambda: rpc[takikan].open_case_of(received["household_id"]))
    assert len(case["referrals"]) == 1
    assert len(inbox_rows(collaboration, desk)) == 1


def test_a_crash_after_publishing_before_recording_the_position_still_opens_one_case(platform, unique, intake):
    consultation = platform.instance("consultation", f"crash2-desk-{unique}")
    collaboration = platform.instance("collaboration", f"crash2-takikan-{unique}")
    desk, takikan = consultation.settings.instance, collaboration.settings.instance
    platform.start(collaboration)
    platform.start(consultation, faults={"relay-crash-after-publish"})
    with platform.rpc() as rpc:
        received = rpc[desk].receive_consultation(intake())  # the relay publishes, then dies
        wait_until(lambda: platform_process_gone(consultation), message="the injected crash")
        platform.start(consultation, relay=False)
        rpc[desk].refer_to_collaboration({"consultation_id": received["consultation_id"],
                                          "caseworker_id": "sw-01", "reasons": ["compound_issues"]})
        platform.stop(consultation)
        platform.start(consultation)  # relays both events again, then the referral
        case = wait_until(lambda: rpc[takikan].open_case_of(received["household_id"]))
        health = wait_until(lambda: (h := rpc[takikan].health())["consumer"]["consumed"] >= 1 and h)
    assert len(case["referrals"]) == 1
    assert len(inbox_rows(collaboration, desk)) == 1
    assert health["consumer"]["dead_lettered"] == 0


def platform_process_gone(deployed) -> bool:
    from kasane.cli import processes
    return processes.running_pid(deployed.settings.instance) is None
