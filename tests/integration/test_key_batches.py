"""鍵の一括作成: a batch of events saved together (a consumer's batch, an import's rows) gets its
new persons' and households' data keys in one round trip to the key store, each event sealed
under the same key `key_for` gives afterwards; a subject who already had a key keeps it."""
import pytest
from eventsourcing.domain import Aggregate, event

from kasane.privacy.keystore import KEYS_TABLE, PostgresKeyStore
from kasane.store.application import KasaneApplication, postgres_env
from kasane.store.trace import Trace, stamp

pytestmark = pytest.mark.integration

HOKATSU = {"agency_id": "kb-hokatsu", "name": "常盤平高齢者いきいき安心センター"}


class Visit(Aggregate):
    @event("Recorded")
    def __init__(self, household_id: str, personal: dict):
        self.household_id, self.personal = household_id, personal


def visit(n: int) -> Visit:
    return Visit(household_id=f"h-{n}", personal={
        "persons": [{"person_id": f"p-{n}", "name": f"見本 {n}"}, {"person_id": "p-known", "name": "既知 一郎"}],
        "note": "訪問の記録"})


class Counting(PostgresKeyStore):
    """The instance's own key store, counting the statements it sends."""

    def __init__(self, keys: PostgresKeyStore):
        super().__init__(keys.conninfo, keys.master)
        self.statements = 0

    def _execute(self, statement, params=()):
        self.statements += 1
        return super()._execute(statement, params)


@pytest.fixture
def app(platform, unique):
    deployed = platform.instance("outreach", f"kb-{unique}", agencies=(HOKATSU,))
    application = KasaneApplication(env=postgres_env(deployed.settings, pool_size=1))
    yield application
    application.close()


def test_a_batch_of_events_makes_its_new_keys_in_one_round_trip_and_keeps_a_known_subjects_key(app):
    known_id, _ = app.keys.key_for("p-known", "h-0")
    counting = app.mapper.sealer.keys = Counting(app.keys)
    events = []
    for n in range(20):
        for domain_event in visit(n).collect_events():
            stamp(domain_event, Trace.for_command())
            events.append(domain_event)

    app.save_events(events)

    assert counting.statements == 1  # 20 persons, 20 households and a known person: one statement
    rows = counting._execute(f"SELECT subject_id, key_id FROM {KEYS_TABLE} WHERE wrapped_key IS NOT NULL")
    subjects = {subject: str(key_id) for subject, key_id in rows}
    assert set(subjects) == {"p-known", *(f"p-{n}" for n in range(20)), *(f"h-{n}" for n in range(20))}
    assert subjects["p-known"] == known_id
    assert counting.key_for("p-7")[0] == subjects["p-7"] and counting.statements == 2  # cached
    stored = [n for n in app.recorder.select_notifications(1, 100) if n.topic.endswith("Visit.Recorded")]
    assert [app.mapper.to_domain_event(s).personal["persons"][0]["name"] for s in stored] == [
        f"見本 {n}" for n in range(20)]


def test_keys_made_by_a_batch_are_found_by_another_writer_and_not_made_twice(app):
    other = PostgresKeyStore(app.keys.conninfo, app.keys.master)
    try:
        made_elsewhere, _ = other.key_for("p-3", "h-3")
        app.keys.keys_for([("p-3", "h-3"), ("p-4", "h-4"), ("p-4", "h-4")])
        assert app.keys.key_for("p-3")[0] == made_elsewhere
        assert other.key_for("p-4")[0] == app.keys.key_for("p-4")[0]
    finally:
        other.close()
