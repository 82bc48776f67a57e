"""返還・廃棄 end to end: `kasane org offboard` copies a contractor's instance whole into the
city's archive, proves it, records the exit with the directory (情報管理台帳) so that the audit
ledger keeps it, closes the contractor's store to writers and removes its bus user."""
import io
import json
import uuid
from pathlib import Path

import psycopg
import pytest
from eventsourcing.domain import Aggregate, event

from kasane.audit.checkpoint import checkpoint_once
from kasane.audit.ledger_copy import read_ledger
from kasane.audit.signing import ensure_key, load_key
from kasane.audit.verify import registered_public_key, verify_instance
from kasane.bus.access import user_name
from kasane.bus.admin import BrokerAdmin
from kasane.cli.archive import store_history
from kasane.cli.offboarding import offboard
from kasane.cli.privacy import erase
from kasane.config import ConfigurationError, signing_key_file
from kasane.transfer.archive_copy import archive_settings
from kasane.store.application import KasaneApplication, postgres_env
from kasane.store.trace import Trace

from tests.servers import wait_until

pytestmark = pytest.mark.integration

CONTRACTOR = "org-exit-ishikai"


NAME, KANA = "松戸 花子", "マツド ハナコ"
PERSON = str(uuid.uuid4())  # the household's person, in each of its four visits


class Visit(Aggregate):
    """A visit to a household, its persons' details in the one personal part."""

    @event("Recorded")
    def __init__(self, household_id: str, outcome: str, personal: dict):
        self.household_id, self.outcome, self.personal = household_id, outcome, personal


@pytest.fixture(scope="module")
def city(platform):
    directory = platform.instance("directory", "exit-directory", organisation="org-exit-city")
    ledger = platform.instance("audit", "exit-ledger", organisation="org-exit-city")
    platform.start(directory, ledger)
    yield directory, ledger
    platform.stop(directory, ledger)


def contractor_instance(platform, name: str, household_id: str):
    """A contractor's outreach instance with 40 visits (the household's among them, its persons'
    details sealed) and its head signed by its own key: 74 data keys (37 persons, 37 households)."""
    deployed = platform.instance("outreach", name, organisation=CONTRACTOR)
    key_file = signing_key_file(name)
    ensure_key(key_file)
    app = KasaneApplication(env=postgres_env(deployed.settings))
    for n in range(40):
        household = household_id if n % 10 == 0 else str(uuid.uuid4())
        person = {"person_id": PERSON if household == household_id else str(uuid.uuid4()),
                  "name": NAME if household == household_id else f"他 {n}", "kana": KANA}
        app.save_traced(Visit(household, f"訪問{n}", {"persons": [person], "note": f"面談記録 {n}"}),
                        trace=Trace.for_command())
    checkpoint_once(app, load_key(key_file), name)
    app.close()
    return deployed


def files_holding(deployed, text: str, dbname: str) -> list[str]:
    """The database's data files (every relation, on disk after a checkpoint) that hold `text`."""
    from tests.bus_helpers import admin_sql
    admin_sql(deployed, "CHECKPOINT", dbname=dbname)
    folder = admin_sql(deployed, "SELECT current_setting('data_directory') || '/base/' || oid "
                                 "FROM pg_database WHERE datname = %s", (dbname,), dbname="postgres")[0][0]
    needle = text.encode("utf-8")
    return [str(f) for f in Path(folder).iterdir() if f.is_file() and needle in f.read_bytes()]


def exit_entries(ledger, directory) -> list:
    events = read_ledger(ledger.settings).events.get(directory.settings.instance, {})
    return [e for e in events.values() if e["type"] == "directory.contractor_exit_recorded"]


@pytest.fixture(scope="module")
def offboarded(platform, city):
    directory, ledger = city
    household = str(uuid.uuid4())
    contractor = contractor_instance(platform, "exit-outreach", household)
    out = io.StringIO()
    offboard(CONTRACTOR, ledger.settings.instance, reader="情報政策課 運用担当", out=out,
             deployment=[directory, ledger, contractor])
    return contractor, household, out.getvalue()


def test_an_offboarded_contractor_s_history_is_in_the_archive_and_the_exit_in_the_ledger(platform, city, offboarded):
    directory, ledger = city
    contractor, _, said = offboarded
    for side in (archive_settings(contractor.settings), contractor.settings):  # both still verify
        verdict = verify_instance(side, registered_public_key("exit-outreach"))
        assert verdict.holds and verdict.events == 42 and verdict.checkpoints == 1
    entries = wait_until(lambda: exit_entries(ledger, directory), message="the exit in the ledger")
    payload = entries[0]["payload"]
    assert payload["organisation_id"] == CONTRACTOR and payload["archive"] == ledger.settings.instance
    assert payload["instances"][0]["head_events"] == 42 and payload["recorded_by"]["name"] == "情報政策課 運用担当"
    assert user_name(CONTRACTOR, platform.broker.vhost) not in BrokerAdmin(platform.broker).users()
    assert "複写を検証しました（42 件" in said and "鍵 74 本を移し、74 本を廃棄しました" in said
    db = contractor.settings.database
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        psycopg.connect(host=db.host, port=db.port, dbname=db.database_for("exit-outreach"),
                        user=db.service_role_for("exit-outreach"))


def test_the_archive_replays_the_household_with_its_details_and_the_contractor_shows_them_destroyed(
        platform, city, offboarded):
    _, ledger = city
    contractor, household, _ = offboarded
    deployment = [ledger, contractor]
    archived, kept = io.StringIO(), io.StringIO()
    store_history("exit-outreach", household, ledger.settings.instance, "監査員 一", False, archived, deployment)
    store_history("exit-outreach", household, None, "監査員 一", False, kept, deployment)
    assert archived.getvalue().count(NAME) == 4 and archived.getvalue().count("Visit.Recorded") == 4
    lines = kept.getvalue().splitlines()
    assert NAME not in kept.getvalue() and len(lines) == 4
    assert all(line.count("廃棄済み") == 3 for line in lines)  # the note, the name and the kana
    with platform.rpc() as rpc:
        reads = rpc[ledger.settings.instance].reads(household)
    assert [r["reader"]["name"] for r in reads] == ["監査員 一", "監査員 一"]


def test_the_contractor_s_databases_hold_no_name_byte_for_byte(city, offboarded):
    contractor, _, _ = offboarded
    db = contractor.settings.database
    for name in (db.database_for("exit-outreach"), db.keys_database_for("exit-outreach")):
        assert files_holding(contractor, NAME, name) == [] and files_holding(contractor, KANA, name) == []
    assert files_holding(contractor, "exit-outreach", db.database_for("exit-outreach"))  # the search finds text


def test_an_archive_of_the_leaving_organisation_itself_is_refused(platform, city):
    directory, ledger = city
    contractor = platform.instance("outreach", "exit-outreach-self", organisation="org-exit-self")
    with pytest.raises(ConfigurationError, match="--to exit-outreach-self"):
        offboard("org-exit-self", "exit-outreach-self", deployment=[directory, ledger, contractor])
    with pytest.raises(ConfigurationError, match="runs no instance"):
        offboard("org-exit-nobody", ledger.settings.instance, deployment=[directory, ledger, contractor])


def test_a_person_s_erasure_reaches_the_city_s_archive_of_an_offboarded_contractor(platform, city, offboarded):
    _, ledger = city
    contractor, household, _ = offboarded
    said = io.StringIO()
    erase(PERSON, "削除請求 R9-0001", False, operator="情報政策課", deployment=[ledger], out=said)
    assert "_arc_exit_outreach_keys (the city's archive): 1 key(s) destroyed" in said.getvalue()
    shown = io.StringIO()
    store_history("exit-outreach", household, ledger.settings.instance, "監査員 一", True, shown,
                  [ledger, contractor])
    visits = json.loads(shown.getvalue())
    persons = [v["personal"]["persons"][0] for v in visits]
    assert all(p["person_id"] == PERSON and p["erased"] is True and p["name"] == "廃棄済み" for p in persons)
    assert [v["personal"]["note"] for v in visits] == ["面談記録 0", "面談記録 10", "面談記録 20", "面談記録 30"]
