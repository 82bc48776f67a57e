"""The event store on real PostgreSQL: append-only for the service role, inbox in the same
transaction as the events it caused, one clear sentence when the database is missing."""
import uuid

import psycopg
import pytest
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError

from kasane.errors import InfrastructureUnavailable
from kasane.runtime.dependency import check_database
from kasane.store.application import KasaneApplication, postgres_env
from kasane.store.inbox import InboxEntry
from kasane.store.trace import Trace

pytestmark = pytest.mark.integration


class Note(Aggregate):
    @event("Written")
    def __init__(self, text: str):
        self.text = text


@pytest.fixture
def store(platform, unique):
    deployed = platform.instance("collaboration", f"store-{unique}")
    app = KasaneApplication(env=postgres_env(deployed.settings))
    yield deployed, app
    app.close()


def connect_as(deployed, role):
    db = deployed.settings.database
    return psycopg.connect(host=db.host, port=db.port, user=role, autocommit=True,
                           dbname=db.database_for(deployed.settings.instance))


@pytest.mark.parametrize("statement", [
    "UPDATE kasane_events SET topic = 'forged'",
    "DELETE FROM kasane_events",
    "TRUNCATE kasane_events",
    "UPDATE kasane_inbox SET position = 0",
    "DELETE FROM kasane_inbox",
])
def test_the_service_role_cannot_change_or_remove_what_is_stored(store, statement):
    deployed, app = store
    app.save_traced(Note("記録"), trace=Trace.for_command(),
                    inbox=[InboxEntry("somewhere", 1, uuid.uuid4(), "t")])
    role = deployed.settings.database.service_role_for(deployed.settings.instance)
    with connect_as(deployed, role) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(statement)
    assert len(app.recorder.select_notifications(1, 10)) == 1


def test_even_the_schema_owner_is_stopped_by_the_append_only_trigger(store):
    deployed, app = store
    app.save_traced(Note("記録"), trace=Trace.for_command())
    owner = deployed.settings.database.owner_role_for(deployed.settings.instance)
    with connect_as(deployed, owner) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            conn.execute("UPDATE kasane_events SET topic = 'forged'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            conn.execute("DELETE FROM kasane_events")


def test_an_inbox_entry_is_committed_with_the_events_it_caused_or_not_at_all(store):
    deployed, app = store
    entry = InboxEntry("consultation-1", 7, uuid.uuid4(), "consultation.household_referred")
    app.save_traced(Note("一回目"), trace=Trace.for_command(), inbox=[entry])
    with pytest.raises(IntegrityError):
        app.save_traced(Note("二回目"), trace=Trace.for_command(), inbox=[entry])
    stored = app.recorder.select_notifications(1, 10)
    assert [app.mapper.to_domain_event(n).text for n in stored] == ["一回目"]


def test_each_stored_event_carries_its_trace(store):
    _, app = store
    trace = Trace.for_command(command_id=str(uuid.uuid4()))
    app.save_traced(Note("記録"), trace=trace)
    [notification] = app.recorder.select_notifications(1, 10)
    meta = app.mapper.to_domain_event(notification)._meta
    assert meta["causation_id"] == trace.causation_id == meta["correlation_id"]


def test_a_missing_database_is_reported_in_one_sentence_with_the_fix(platform, unique):
    from kasane.config import InstanceSettings
    settings = InstanceSettings(service="consultation", instance=f"never-made-{unique}",
                                organisation="o", database=platform.database, broker=platform.broker)
    with pytest.raises(InfrastructureUnavailable, match="kasane provision"):
        check_database(settings)


class Tally(Aggregate):
    @event("Opened")
    def __init__(self):
        self.count = 0

    @event("Counted")
    def add(self, n: int) -> None:
        self.count += n


def test_a_batch_reads_its_aggregates_in_one_round_trip_and_sees_them_as_stored(store, monkeypatch):
    from kasane.store.unit_of_work import UnitOfWork, prefetch_of, prefetching

    _, app = store
    tally = Tally()
    tally.add(2)
    tally.add(3)
    app.save_traced(tally, trace=Trace.for_command())
    never = uuid.uuid4()
    uow = UnitOfWork(app)
    uow.prefetch([tally.id, never, tally.id])
    single_reads = []
    monkeypatch.setattr(app.repository, "get", lambda *a, **k: single_reads.append(a) or None)
    loaded = uow.get(tally.id)
    assert (loaded.count, loaded.version) == (5, 3) and uow.find(never) is None
    assert single_reads == []  # both answered from the batch read

    loaded.add(1)  # and what was prefetched saves like any loaded aggregate
    app.save_events(uow.take_events(Trace.for_command()))
    monkeypatch.undo()
    assert app.repository.get(tally.id).count == 6

    marked = prefetching(lambda envelope: [uuid.UUID(envelope["id"])])(lambda envelope, uow: None)
    assert prefetch_of(marked, {"id": str(never)}) == [never] and prefetch_of(print, {}) == []
