"""監査台帳 end to end: consultation, collaboration and the audit ledger as processes; the ledger
keeps every integration event and checkpoint, replays a household as of a date, and records
each read."""
from datetime import datetime

import pytest

from kasane.clock import parse_time
from tests.servers import wait_until

pytestmark = pytest.mark.e2e

READER = {"name": "監査 太郎", "organisation": "city-audit"}


@pytest.fixture(scope="module")
def flow(platform):
    desk = platform.instance("consultation", "ledger-desk")
    takikan = platform.instance("collaboration", "ledger-takikan")
    ledger = platform.instance("audit", "ledger-city")
    # Read records travel addressed to the ledger, as in a deployment that names it.
    platform.start(ledger, takikan, desk, kasane_checkpoint_seconds="1",
                   kasane_audit_instance=ledger.settings.instance)
    yield desk, takikan, ledger
    platform.stop(desk, takikan, ledger)


def history(platform, ledger, household_id, as_of=None):
    query = {"household_id": household_id}  # the reader travels in the call's context
    if as_of:
        query["as_of"] = as_of.isoformat()
    with platform.rpc(reader=READER) as rpc:
        return rpc[ledger.settings.instance].history(query)


def midpoint(earlier: dict, later: dict) -> datetime:
    """A moment strictly between two recorded events (their own times, not the test's clock)."""
    first, second = (parse_time(e["occurred_at"]) for e in (earlier, later))
    assert first < second
    return first + (second - first) / 2


def test_the_ledger_replays_a_household_across_services_as_of_any_moment(platform, flow, intake):
    desk, takikan, ledger = flow
    with platform.rpc() as rpc:
        received = rpc[desk.settings.instance].receive_consultation(intake())
        rpc[desk.settings.instance].refer_to_collaboration({
            "consultation_id": received["consultation_id"], "caseworker_id": "sw-02",
            "reasons": ["compound_issues"]})
    household = received["household_id"]
    now = wait_until(lambda: (h := history(platform, ledger, household)) and len(h["events"]) == 3 and h,
                     message="three events in the ledger")
    assert [e["type"] for e in now["events"]] == [
        "consultation.consultation_received", "consultation.household_referred", "collaboration.case_opened"]
    assert [e["label"] for e in now["events"]] == ["相談受付", "多機関協働へつなぎ", "ケース開始（多機関協働）"]
    [consultation] = now["state"]["consultations"].values()
    assert consultation["status"] == "多機関協働へつなぎ済" and len(now["state"]["cases"]) == 1
    assert now["events"][1]["caseworker_id"] == "sw-02"

    before = history(platform, ledger, household, as_of=midpoint(now["events"][0], now["events"][1]))
    assert [e["type"] for e in before["events"]] == ["consultation.consultation_received"]
    assert list(before["state"]["consultations"].values())[0]["status"] == "受付"
    assert before["state"]["cases"] == {}


def test_every_read_of_a_household_is_recorded_in_the_ledger(platform, flow, intake):
    desk, _, ledger = flow
    calls = []

    def read_history():
        calls.append(1)
        return history(platform, ledger, household)["events"]

    with platform.rpc() as rpc:
        household = rpc[desk.settings.instance].receive_consultation(intake())["household_id"]
        wait_until(read_history)
        reads = rpc[ledger.settings.instance].reads(household)
    assert len(reads) == len(calls)
    assert reads[-1]["reader"] == READER and reads[-1]["purpose"] == "監査"


def test_the_ledger_accepts_each_instances_signed_checkpoints(platform, flow, intake):
    desk, _, ledger = flow
    with platform.rpc() as rpc:
        rpc[desk.settings.instance].receive_consultation(intake())
        checkpoints = wait_until(lambda: rpc[ledger.settings.instance].checkpoints(desk.settings.instance),
                                 message="a checkpoint from the desk")
    assert all(cp["accepted"] for cp in checkpoints)


def test_verify_against_the_ledger_finds_a_rewrite_that_recomputed_the_whole_chain(platform, flow, intake):
    from kasane.audit.ledger_copy import read_ledger
    from kasane.audit.verify import registered_public_key, verify_instance
    from tests.bus_helpers import admin_sql

    desk, _, ledger = flow
    with platform.rpc() as rpc:
        household = rpc[desk.settings.instance].receive_consultation(intake(channel="email"))["household_id"]
    wait_until(lambda: history(platform, ledger, household)["events"])
    key = registered_public_key(desk.settings.instance)
    wait_until(lambda: verify_instance(desk.settings, key, ledger=read_ledger(ledger.settings)).holds,
               message="the desk verifying against the ledger")
    [(position,)] = admin_sql(desk, "SELECT max(notification_id) FROM kasane_events "
                                    "WHERE convert_from(state, 'UTF8') LIKE '%\"email\"%'")
    with platform.rpc() as rpc:  # the ledger holds a signed head at or after that event
        wait_until(lambda: any(cp["position"] >= position for cp in
                               rpc[ledger.settings.instance].checkpoints(desk.settings.instance)))
    # Change the channel in the stored event and recompute that link and every later one.
    admin_sql(desk, f"""
        DO $$ DECLARE r record; prev bytea; BEGIN
          SET LOCAL session_replication_role = replica;
          UPDATE kasane_events SET state = convert_to(replace(convert_from(state, 'UTF8'),
              '"email"', '"phone"'), 'UTF8') WHERE notification_id = {position};
          FOR r IN SELECT * FROM kasane_events WHERE notification_id >= {position} ORDER BY notification_id LOOP
            SELECT hash INTO prev FROM kasane_chain WHERE notification_id < r.notification_id
              ORDER BY notification_id DESC LIMIT 1;
            UPDATE kasane_chain SET prev_hash = prev, hash = sha256(prev || int8send(r.notification_id)
              || uuid_send(r.originator_id) || int8send(r.originator_version)
              || int4send(octet_length(convert_to(r.topic, 'UTF8'))) || convert_to(r.topic, 'UTF8') || r.state)
            WHERE notification_id = r.notification_id;
          END LOOP;
          DELETE FROM kasane_events WHERE topic LIKE '%CheckpointSigned' AND notification_id > {position};
        END $$""")
    verdict = verify_instance(desk.settings, key, ledger=read_ledger(ledger.settings))
    kinds = {(f.position, f.kind) for f in verdict.faults}
    assert (position, "altered") in kinds
    assert any(kind == "checkpoint_mismatch" for _, kind in kinds)


def test_history_as_of_shows_consent_before_and_after_its_withdrawal(platform, flow, intake):
    from tests.samples import AGENCY

    desk, _, ledger = flow
    with platform.rpc() as rpc:
        received = rpc[desk.settings.instance].receive_consultation(intake())
        consent_id = rpc[desk.settings.instance].record_consent({
            "household_id": received["household_id"], "person_id": received["person_ids"][0],
            "given_by": "self", "method": "written", "purposes": ["collaboration"],
            "caseworker_id": "sw-01", "agency": AGENCY})["consent_id"]
        rpc[desk.settings.instance].withdraw_consent({
            "household_id": received["household_id"], "consent_id": consent_id,
            "caseworker_id": "sw-01", "agency": AGENCY})
    household = received["household_id"]
    events = wait_until(lambda: (e := history(platform, ledger, household)["events"]) and any(
        x["type"] == "consultation.consent_withdrawn" for x in e) and e)
    given, withdrawn = (next(e for e in events if e["type"] == kind) for kind in (
        "consultation.consent_recorded", "consultation.consent_withdrawn"))
    while_given = midpoint(given, withdrawn)
    assert history(platform, ledger, household, as_of=while_given)["state"]["consent"][consent_id]["status"] == "同意あり"
    assert history(platform, ledger, household)["state"]["consent"][consent_id]["status"] == "撤回"


def test_a_search_showing_personal_details_is_recorded_in_the_ledger_with_its_reader(platform, flow, intake):
    desk, _, ledger = flow
    caseworker = {"name": "常盤平 相談員", "organisation": "org-ledger-desk"}
    with platform.rpc() as rpc:
        household = rpc[desk.settings.instance].receive_consultation(
            intake(persons=[{"name": "閲覧 試験", "kana": "エツラン シケン", "relation": "self"}]))["household_id"]
    with platform.rpc(reader=caseworker) as rpc:
        found = rpc[desk.settings.instance].find_households({"kana": "エツラン シケン"})
        assert household in [c["household_id"] for c in found["candidates"]]
        reads = wait_until(lambda: [r for r in rpc[ledger.settings.instance].reads(household)
                                    if r["purpose"] == "consultation.find_households"],
                           message="the read in the ledger")
    assert reads[-1]["reader"] == caseworker
