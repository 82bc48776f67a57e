"""The event store on real PostgreSQL: append-only for every role that may log in (the owner
cannot), inbox in the same transaction as the events it caused, a save in one round trip, one
clear sentence when the database is missing."""
import uuid

import psycopg
import pytest
from psycopg import _pipeline_base, sql
from eventsourcing.persistence import IntegrityError

from kasane.errors import InfrastructureUnavailable
from kasane.runtime.dependency import check_database
from kasane.store.inbox import InboxEntry
from kasane.store.recorder import CHAIN_TABLE, EVENTS_TABLE, INBOX_TABLE, RELAY_TABLE
from kasane.store.trace import Trace

from tests.bus_helpers import admin_sql
from tests.store_helpers import Note, Tally, store_fixture, two_copies_of_a_tally

pytestmark = pytest.mark.integration


store = store_fixture("store")


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


def as_owner(deployed):
    """The administrator acting as the owner role: the owner itself cannot log in."""
    db = deployed.settings.database
    conn = psycopg.connect(host=db.host, port=db.port, user=db.admin_user, autocommit=True,
                           dbname=db.database_for(deployed.settings.instance))
    conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(db.owner_role_for(deployed.settings.instance))))
    return conn


def test_even_the_schema_owner_is_stopped_by_the_append_only_trigger(store):
    deployed, app = store
    app.save_traced(Note("記録"), trace=Trace.for_command())
    with as_owner(deployed) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            conn.execute("UPDATE kasane_events SET topic = 'forged'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            conn.execute("DELETE FROM kasane_events")


def test_the_schema_owner_cannot_log_in(store):
    deployed, _ = store
    owner = deployed.settings.database.owner_role_for(deployed.settings.instance)
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        connect_as(deployed, owner)


GUARDED = {EVENTS_TABLE: "topic", CHAIN_TABLE: "hash", INBOX_TABLE: "position", RELAY_TABLE: "position"}
TAMPERING = ["UPDATE {table} SET {column} = {column}", "DELETE FROM {table}", "TRUNCATE {table}",
             "ALTER TABLE {table} DISABLE TRIGGER ALL"]


def login_roles(deployed) -> list[str]:
    """Every role of the cluster that may log in, but for superusers (the administrator)."""
    with connect_as(deployed, deployed.settings.database.admin_user) as conn:
        return [r[0] for r in conn.execute(
            "SELECT rolname FROM pg_roles WHERE rolcanlogin AND NOT rolsuper AND NOT rolbypassrls")]


def test_no_role_that_may_log_in_can_rewrite_or_unguard_a_stored_table(store):
    deployed, app = store
    app.save_traced(Note("記録"), trace=Trace.for_command(),
                    inbox=[InboxEntry("somewhere", 1, uuid.uuid4(), "t")])
    with connect_as(deployed, deployed.settings.database.service_role_for(deployed.settings.instance)) as conn:
        conn.execute("SELECT kasane_move_relay('r', 5)")
    db, instance = deployed.settings.database, deployed.settings.instance
    roles = login_roles(deployed)
    assert {db.service_role_for(instance), db.auditor_role_for(instance)} <= set(roles)
    assert db.owner_role_for(instance) not in roles
    with connect_as(deployed, db.admin_user) as conn:  # the catalogue, for every such role
        for role in roles:
            for table in GUARDED:
                held = conn.execute("SELECT has_table_privilege(%s, %s, 'UPDATE, DELETE, TRUNCATE') "
                                    "OR pg_has_role(%s, %s, 'USAGE')",
                                    (role, table, role, db.owner_role_for(instance))).fetchone()[0]
                assert not held, f"{role} may change {table}"
    for role in (db.service_role_for(instance), db.auditor_role_for(instance)):  # and by trying
        with connect_as(deployed, role) as conn:
            for table, column in GUARDED.items():
                for statement in TAMPERING:
                    with pytest.raises(psycopg.errors.InsufficientPrivilege):
                        conn.execute(statement.format(table=table, column=column))
    assert len(app.recorder.select_notifications(1, 10)) == 1


def test_the_relay_position_moves_only_forward(store):
    deployed, _ = store
    with connect_as(deployed, deployed.settings.database.service_role_for(deployed.settings.instance)) as conn:
        for position in (5, 3, 8):
            conn.execute("SELECT kasane_move_relay('r', %s)", (position,))
        assert conn.execute("SELECT position FROM kasane_relay WHERE relay = 'r'").fetchone()[0] == 8


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


def test_a_consumers_inbox_state_and_its_batch_of_aggregates_come_in_one_round_trip(store, monkeypatch):
    from kasane.store.inbox import inbox_state_of, inbox_state_statement
    from kasane.store.unit_of_work import UnitOfWork

    _, app = store
    tally, taken = Tally(), uuid.uuid4()
    app.save_traced(tally, trace=Trace.for_command(),
                    inbox=[InboxEntry("desk", 4, taken, "t"), InboxEntry("desk", 9, uuid.uuid4(), "t")])
    connections, pipelines = [], []
    get_connection, pipeline = app.recorder.datastore.get_connection, psycopg.Connection.pipeline
    monkeypatch.setattr(app.recorder.datastore, "get_connection", lambda: connections.append(1) or get_connection())
    monkeypatch.setattr(psycopg.Connection, "pipeline", lambda conn: pipelines.append(1) or pipeline(conn))

    never, uow = uuid.uuid4(), UnitOfWork(app)
    rows, = uow.prefetch([tally.id, never], along=[inbox_state_statement(INBOX_TABLE, [("desk", 4), ("desk", 5)])])
    assert (len(connections), len(pipelines)) == (1, 1)  # both statements sent together, one sync
    assert inbox_state_of(rows) == ({("desk", 4): taken}, {"desk": 9})
    monkeypatch.undo()
    assert uow.find(tally.id).version == 1 and uow.find(never) is None


# 一往復の保存: a save's statements and its COMMIT leave in one round trip (one pipeline sync,
# where eventsourcing syncs twice), and a write conflict is still refused whole at the COMMIT.

def test_a_save_syncs_its_pipeline_once_and_answers_the_notification_ids_of_the_log(store, monkeypatch):
    _, app = store
    app.save_traced(Note("先に"), trace=Trace.for_command())  # the pool's connection made first
    syncs = []  # every sync a pipeline sends (its own exit's, and a nested pipeline's on entering)
    enqueue_sync = _pipeline_base.BasePipeline._enqueue_sync
    monkeypatch.setattr(_pipeline_base.BasePipeline, "_enqueue_sync",
                        lambda self: (syncs.append(1), enqueue_sync(self))[1])
    recordings = app.save_traced(Note("一"), Note("二"), trace=Trace.for_command())
    assert len(syncs) == 1
    logged = app.recorder.select_notifications(1, 10)
    assert [r.notification.id for r in recordings] == [n.id for n in logged[1:]]


def test_a_write_conflict_is_refused_at_the_commit_and_nothing_of_it_is_stored(store):
    deployed, app = store
    first, second = two_copies_of_a_tally(app)
    first.add(1)
    second.add(1)
    app.save_traced(first, trace=Trace.for_command())
    entry = InboxEntry("consultation-1", 9, uuid.uuid4(), "consultation.household_referred")
    with pytest.raises(IntegrityError):
        app.save_traced(second, trace=Trace.for_command(), inbox=[entry])
    assert admin_sql(deployed, "SELECT count(*) FROM kasane_inbox")[0][0] == 0
    assert app.repository.get(first.id).version == 2
    app.save_traced(Note("後で"), trace=Trace.for_command())  # the connection is whole again
