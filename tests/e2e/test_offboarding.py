"""返還・廃棄 end to end: `kasane org offboard` copies a contractor's instance whole into the
city's archive, proves it, records the exit with the directory (情報管理台帳) so that the audit
ledger keeps it, closes the contractor's store to writers and removes its bus user."""
import io

import psycopg
import pytest
from eventsourcing.domain import Aggregate, event

from kasane.audit.checkpoint import checkpoint_once
from kasane.audit.ledger_copy import read_ledger
from kasane.audit.signing import ensure_key, load_key
from kasane.audit.verify import registered_public_key, verify_instance
from kasane.bus.access import user_name
from kasane.bus.admin import BrokerAdmin
from kasane.cli.offboarding import offboard
from kasane.config import ConfigurationError, signing_key_file
from kasane.offboarding.archive_copy import archive_settings
from kasane.store.application import KasaneApplication, postgres_env
from kasane.store.trace import Trace

from tests.servers import wait_until

pytestmark = pytest.mark.integration

CONTRACTOR = "org-exit-ishikai"


class Visit(Aggregate):
    @event("Recorded")
    def __init__(self, outcome: str):
        self.outcome = outcome


@pytest.fixture(scope="module")
def city(platform):
    directory = platform.instance("directory", "exit-directory", organisation="org-exit-city")
    ledger = platform.instance("audit", "exit-ledger", organisation="org-exit-city")
    platform.start(directory, ledger)
    yield directory, ledger
    platform.stop(directory, ledger)


def contractor_instance(platform, name: str):
    """A contractor's outreach instance with 40 events and its head signed by its own key."""
    deployed = platform.instance("outreach", name, organisation=CONTRACTOR)
    key_file = signing_key_file(name)
    ensure_key(key_file)
    app = KasaneApplication(env=postgres_env(deployed.settings))
    for n in range(40):
        app.save_traced(Visit(f"訪問{n}"), trace=Trace.for_command())
    checkpoint_once(app, load_key(key_file), name)
    app.close()
    return deployed


def exit_entries(ledger, directory) -> list:
    events = read_ledger(ledger.settings).events.get(directory.settings.instance, {})
    return [e for e in events.values() if e["type"] == "directory.contractor_exit_recorded"]


def test_an_offboarded_contractor_s_history_is_in_the_archive_and_the_exit_in_the_ledger(platform, city):
    directory, ledger = city
    contractor = contractor_instance(platform, "exit-outreach")
    out = io.StringIO()
    offboard(CONTRACTOR, ledger.settings.instance, reader="情報政策課 運用担当", out=out,
             deployment=[directory, ledger, contractor])
    archive = archive_settings(contractor.settings)
    verdict = verify_instance(archive, registered_public_key("exit-outreach"))
    assert verdict.holds and verdict.events == 42 and verdict.checkpoints == 1
    entries = wait_until(lambda: exit_entries(ledger, directory), message="the exit in the ledger")
    payload = entries[0]["payload"]
    assert payload["organisation_id"] == CONTRACTOR and payload["archive"] == ledger.settings.instance
    assert payload["instances"][0]["head_events"] == 42 and payload["recorded_by"]["name"] == "情報政策課 運用担当"
    assert user_name(CONTRACTOR, platform.broker.vhost) not in BrokerAdmin(platform.broker).users()
    assert "複写を検証しました（42 件" in out.getvalue()
    db = contractor.settings.database
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        psycopg.connect(host=db.host, port=db.port, dbname=db.database_for("exit-outreach"),
                        user=db.service_role_for("exit-outreach"))


def test_an_archive_of_the_leaving_organisation_itself_is_refused(platform, city):
    directory, ledger = city
    contractor = platform.instance("outreach", "exit-outreach-self", organisation="org-exit-self")
    with pytest.raises(ConfigurationError, match="--to exit-outreach-self"):
        offboard("org-exit-self", "exit-outreach-self", deployment=[directory, ledger, contractor])
    with pytest.raises(ConfigurationError, match="runs no instance"):
        offboard("org-exit-nobody", ledger.settings.instance, deployment=[directory, ledger, contractor])
