"""個人情報の暗号化と廃棄 over the real PostgreSQL and RabbitMQ: a household referred with consent
from a consultation desk to 多機関協働, the audit ledger keeping every event.

- no name, kana, birth date, address or phone of the test persons is anywhere in clear in the
  three stores;
- the key store is a database of its own that the event store's roles cannot even connect to;
- `kasane erase` of a person: their details read as 廃棄済み in every replay and form, while
  every event, count and chain stays and `kasane audit verify` holds;
- a lost key store is reported as such by verify, by reads, and by the instance's refusal to
  start, until `kasane keys record-loss` records it;
- `kasane retention run` erases households past the city profile's period, once.
"""
import io
import re
import subprocess
from datetime import datetime, timedelta, timezone

import psycopg
import pytest
from eventsourcing.domain import Aggregate, event

from kasane.audit.verify import KEY_STORE_LOST, registered_public_key, verify_instance
from kasane.audit.ledger_copy import read_ledger
from kasane.bus.topology import routing_key
from kasane.cli import privacy
from kasane.errors import KasaneError
from kasane.forms.model import household_view
from kasane.privacy.keystore import KeyStoreLost
from kasane.privacy.provision import check_key_store, drop_key_store, open_key_store
from kasane.runtime.dependency import preflight
from kasane.store.application import KasaneApplication, postgres_env
from kasane.store.trace import Trace

from tests.bus_helpers import admin_sql, publish
from tests.forms_helpers import household
from tests.samples import make_intake
from tests.servers import wait_until

pytestmark = pytest.mark.integration

HOKATSU = {"agency_id": "pr-hokatsu", "name": "常盤平高齢者いきいき安心センター"}
DAY = timedelta(days=1)  # a checkpoint's grace: how long the machine is busy is not what is tested
READER = {"name": "監査 一郎", "organisation": "pr-city-audit"}
ADDRESS, PHONE = "松戸市常盤平見本町1-2-3", "047-000-1234"
SECRETS = ["見本 ハナ", "ミホン ハナ", "1942-05-10", "見本 一郎", "ミホン イチロウ", "母の介護と長男のひきこもり",
           ADDRESS, PHONE]


def needles(text: str) -> list[bytes]:
    """The text as bytes in UTF-8 and as JSON's \\u escapes (either could be how it is stored)."""
    return [text.encode(), text.encode("ascii", "backslashreplace").replace(b"\\u", b"\\\\u"),
            "".join(c if ord(c) < 128 else f"\\u{ord(c):04x}" for c in text).encode()]


def holding(deployed, text: str) -> int:
    """How many stored events hold the text, searched byte by byte in their state."""
    found = 0
    for needle in needles(text):
        found += admin_sql(deployed, "SELECT count(*) FROM kasane_events WHERE position(%s::bytea in state) > 0",
                           (needle,))[0][0]
    return found


@pytest.fixture(scope="module")
def net(platform):
    desk = platform.instance("consultation", "pr-desk", organisation="pr-hokatsu", agencies=(HOKATSU,))
    takikan = platform.instance("collaboration", "pr-takikan", organisation="pr-takikan")
    ledger = platform.instance("audit", "pr-ledger", organisation="pr-city-audit")
    # The ledger is a reader of every personal part on the bus, as a deployment's KASANE_AUDIT_INSTANCE.
    fast = {"kasane_key_cache_seconds": "0.2", "kasane_audit_instance": ledger.settings.instance}
    platform.start(desk, kasane_collaboration_instance=takikan.settings.instance, **fast)
    platform.start(takikan, ledger, **fast)
    with platform.rpc() as rpc:
        received = rpc[desk.settings.instance].receive_consultation(
            make_intake(agency=HOKATSU, address=ADDRESS, phone=PHONE))
        for person in received["person_ids"]:
            rpc[desk.settings.instance].record_consent({
                "household_id": received["household_id"], "person_id": person, "given_by": "self",
                "method": "written", "caseworker_id": "sw-01", "agency": HOKATSU,
                "given_at": "2026-11-19T09:00:00+09:00", "purposes": ["collaboration"]})
        rpc[desk.settings.instance].refer_to_collaboration({
            "consultation_id": received["consultation_id"], "caseworker_id": "sw-01",
            "reasons": ["compound_issues"]})
        case = wait_until(lambda: rpc[takikan.settings.instance].open_case_of(received["household_id"]),
                          message="the case in collaboration")
    with platform.rpc(reader=READER) as rpc:
        wait_until(lambda: any(e["type"] == "consultation.household_referred" for e in entries(rpc, ledger, received)),
                   message="the referral in the ledger")
    yield {"desk": desk, "takikan": takikan, "ledger": ledger, "received": received, "case": case}
    platform.stop(desk, takikan, ledger)


def entries(rpc, ledger, received) -> list:
    return rpc[ledger.settings.instance].household_entries(
        {"household_id": received["household_id"], "purpose": "試験"})["entries"]


def test_no_name_kana_or_birth_date_is_stored_in_clear_in_any_store(platform, net):
    with platform.rpc(reader=READER) as rpc:  # each store does hold the persons, sealed
        referral = next(e for e in entries(rpc, net["ledger"], net["received"])
                        if e["type"] == "consultation.household_referred")
        assert referral["payload"]["personal"]["persons"][0]["kana"] == "ミホン ハナ"
        assert rpc[net["desk"].settings.instance].get_consultation(
            net["received"]["consultation_id"])["status"] == "referred"
        record = rpc[net["takikan"].settings.instance].case_record(net["case"]["case_id"])
    assert [p["kana"] for p in record["persons"]] == ["ミホン ハナ", "ミホン イチロウ"]
    for deployed in (net["desk"], net["takikan"], net["ledger"]):
        for text in SECRETS:
            assert holding(deployed, text) == 0, (deployed.settings.instance, text)
    assert holding(net["desk"], "__kasane_sealed__") > 0  # the search finds what is there


def test_the_event_stores_roles_cannot_connect_to_the_key_store(net):
    db, instance = net["desk"].settings.database, net["desk"].settings.instance
    for role in (db.service_role_for(instance), db.auditor_role_for(instance)):
        with pytest.raises(psycopg.OperationalError, match="permission denied"):
            psycopg.connect(host=db.host, port=db.port, user=role, dbname=db.keys_database_for(instance))


def chain(deployed) -> list:
    return admin_sql(deployed, "SELECT notification_id, encode(hash, 'hex') FROM kasane_chain ORDER BY 1")


def test_an_erased_person_reads_as_erased_everywhere_while_counts_and_chains_stay(platform, net):
    desk, takikan, ledger, received = net["desk"], net["takikan"], net["ledger"], net["received"]
    hana = received["person_ids"][0]
    before = {d.settings.instance: chain(d) for d in (desk, takikan, ledger)}
    with platform.rpc() as rpc:
        counts = rpc[desk.settings.instance].fiscal_year_counts({"fiscal_year": 2026})
        assert hana in found_by_kana(rpc, desk, "ミホン ハナ")
    out = io.StringIO()
    privacy.erase(hana, "削除請求 第1号", household=False, operator="city-it",
                  deployment=[desk, takikan, ledger], out=out)
    assert "3 key(s) destroyed in all" in out.getvalue()
    privacy.erase(hana, "削除請求 第1号", household=False, operator="city-it", deployment=[desk, takikan, ledger],
                  out=io.StringIO())  # again: nothing more destroyed, nothing recorded twice
    with platform.rpc() as rpc:
        case = wait_until(lambda: (c := rpc[takikan.settings.instance].case_record(net["case"]["case_id"]))
                          and c["persons"][0].get("erased") and c, message="the case reading the erasure")
        erased = case["persons"][0]
        assert (erased["person_id"], erased["erased"], erased["name"], erased["kana"], erased["birth_date"]) == (
            hana, True, "廃棄済み", "廃棄済み", None)
        assert case["persons"][1]["kana"] == "ミホン イチロウ"
        assert rpc[desk.settings.instance].fiscal_year_counts({"fiscal_year": 2026}) == counts
        assert hana not in found_by_kana(rpc, desk, "ミホン ハナ")  # the running desk's search too
        assert received["person_ids"][1] in found_by_kana(rpc, desk, "ミホン イチロウ")
    with platform.rpc(reader=READER) as rpc:
        referral = next(e for e in entries(rpc, ledger, received) if e["type"] == "consultation.household_referred")
        view = household_view(rpc[ledger.settings.instance].household_entries(
            {"household_id": received["household_id"], "purpose": "試験"}), "pr-hokatsu")
    assert referral["payload"]["personal"]["persons"][0]["name"] == "廃棄済み"
    assert view["identity"]["氏名"] == "廃棄済み" and view["identity"]["ふりがな"] == "廃棄済み"
    for deployed in (desk, takikan, ledger):
        assert chain(deployed)[:len(before[deployed.settings.instance])] == before[deployed.settings.instance]
        erasures = admin_sql(deployed, "SELECT count(*) FROM kasane_events WHERE topic LIKE '%PrivacyLog.SubjectErased'")
        assert erasures == [(1,)]
        for text in ("見本 ハナ", "ミホン ハナ"):
            assert not any(n in dump_of(deployed) for n in needles(text))
    platform.stop(desk)  # rebuilt from the store alone: the same counts, the person not found
    platform.start(desk, kasane_collaboration_instance=takikan.settings.instance)
    with platform.rpc() as rpc:
        assert rpc[desk.settings.instance].fiscal_year_counts({"fiscal_year": 2026}) == counts
        assert hana not in found_by_kana(rpc, desk, "ミホン ハナ")
        assert received["person_ids"][1] in found_by_kana(rpc, desk, "ミホン イチロウ")
    copy = read_ledger(ledger.settings)
    for deployed in (desk, takikan, ledger):
        verdict = verify_instance(deployed.settings, registered_public_key(deployed.settings.instance), ledger=copy)
        assert verdict.holds, verdict.faults


def found_by_kana(rpc, desk, kana: str) -> list:
    return [c["person_id"] for c in rpc[desk.settings.instance].find_households({"kana": kana})["candidates"]]


def dump_of(deployed) -> bytes:
    """The whole database as pg_dump writes it, each bytea decoded back to its bytes."""
    db = deployed.settings.database
    text = subprocess.run(["pg_dump", "-h", db.host, "-p", str(db.port), "-U", db.admin_user,
                           db.database_for(deployed.settings.instance)], capture_output=True, check=True).stdout
    return text + b"".join(bytes.fromhex(h.decode()) for h in re.findall(rb"\\\\x([0-9a-f]+)", text))


def test_a_lost_key_store_is_reported_by_verify_and_reads_and_stops_the_instance_until_recorded(platform, unique):
    deployed = platform.instance("consultation", f"pr-lost-{unique}", agencies=(HOKATSU,))
    platform.start(deployed)
    with platform.rpc() as rpc:
        received = rpc[deployed.settings.instance].receive_consultation(make_intake(agency=HOKATSU))
    platform.stop(deployed)
    drop_key_store(deployed.settings.database, deployed.settings.instance)
    verdict = verify_instance(deployed.settings, registered_public_key(deployed.settings.instance), DAY)
    assert [f.kind for f in verdict.faults] == [KEY_STORE_LOST]
    assert "record-loss" in verdict.faults[0].detail
    with pytest.raises(KeyStoreLost):
        check_key_store(deployed.settings)
    app = KasaneApplication(env=postgres_env(deployed.settings, pool_size=1))
    try:  # a replay of the store says the key store is lost, not that the events are damaged
        with pytest.raises(KeyStoreLost, match="is lost"):
            [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(1, 1000)]
    finally:
        app.close()
    with pytest.raises(KasaneError, match=f"kasane keys record-loss {deployed.settings.instance}"):
        preflight(deployed.settings)
    privacy.record_loss(deployed.settings.instance, "ディスク故障", operator="city-it",
                        deployment=[deployed], out=io.StringIO())
    assert verify_instance(deployed.settings, registered_public_key(deployed.settings.instance), DAY).holds
    platform.start(deployed)
    with platform.rpc() as rpc:
        household = rpc[deployed.settings.instance].get_consultation(received["consultation_id"])
    assert household["consultation_id"] == received["consultation_id"]


def test_retention_erases_households_past_their_period_once_and_a_dry_run_destroys_nothing(platform, net, unique):
    ledger = net["ledger"]
    hh, envelopes = household(suffix=f"-pr-{unique}")  # its case closed on 2026-03-16
    for e in envelopes:
        publish(platform.broker, e, routing_key(e["origin"]["instance"], e["type"], e["version"],
                                                (e.get("recipient") or {}).get("instance")))
    query = {"household_id": hh, "purpose": "試験"}
    with platform.rpc(reader=READER) as rpc:
        wait_until(lambda: len(rpc[ledger.settings.instance].household_entries(query)["entries"]) == len(envelopes))

    def run(dry_run: bool, now: datetime) -> str:
        out = io.StringIO()
        privacy.retention("matsudo", dry_run, deployment=[ledger], now=now, out=out)
        return out.getvalue()

    assert hh not in run(True, datetime(2031, 3, 15, tzinfo=timezone.utc))  # five years not yet over
    listed = run(True, datetime(2031, 3, 17, tzinfo=timezone.utc))
    assert f"{hh}: collaboration.case_closed 2026-03-16, due 2031-03-16 (would be erased)" in listed
    with platform.rpc(reader=READER) as rpc:
        assert rpc[ledger.settings.instance].household_entries(query)["entries"][2]["payload"]["personal"][
            "persons"][0]["name"] == "伊勢 花子"  # the dry run destroyed nothing
    assert hh in run(False, datetime(2031, 3, 17, tzinfo=timezone.utc))
    assert hh not in run(False, datetime(2031, 3, 17, tzinfo=timezone.utc))  # once only
    with platform.rpc(reader=READER) as rpc:
        entries_after = wait_until(lambda: (e := rpc[ledger.settings.instance].household_entries(query)["entries"])
                                   and e[2]["payload"]["personal"]["summary"] == "廃棄済み" and e)
    assert len(entries_after) == len(envelopes)
    assert [p["name"] for p in entries_after[2]["payload"]["personal"]["persons"]] == ["廃棄済み", "廃棄済み"]


class Note(Aggregate):
    @event("Written")
    def __init__(self, household_id: str, personal: dict):
        self.household_id, self.personal = household_id, personal


def test_keys_exported_and_adopted_by_another_instance_open_its_copied_events_there(platform, unique):
    """What a contractor's exit builds on: the same stored bytes open under the city's keys."""
    contractor = platform.instance("consultation", f"pr-exit-{unique}", agencies=(HOKATSU,))
    archive = platform.instance("consultation", f"pr-archive-{unique}", agencies=(HOKATSU,))
    source = KasaneApplication(env=postgres_env(contractor.settings, pool_size=1))
    personal = {"persons": [{"person_id": "p-1", "name": "見本 ハナ"}], "note": "長男のひきこもり"}
    try:
        source.save_traced(Note(household_id="h-1", personal=personal), trace=Trace.for_command())
        [stored] = [n for n in source.recorder.select_notifications(1, 100) if n.topic.endswith("Note.Written")]
        target_keys = open_key_store(archive.settings)
        for exported in source.keys.export_keys():
            target_keys.adopt(*exported)
        target_keys.close()
        assert source.keys.destroy_all("契約終了") and source.mapper.to_domain_event(stored).personal["note"] == "廃棄済み"
    finally:
        source.close()
    target = KasaneApplication(env=postgres_env(archive.settings, pool_size=1))
    try:
        assert target.mapper.to_domain_event(stored).personal == personal
    finally:
        target.close()
