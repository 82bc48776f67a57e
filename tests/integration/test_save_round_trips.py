"""一往復の保存: a save's statements and its COMMIT leave in one round trip (one pipeline sync,
where eventsourcing syncs twice), and a write conflict is still refused whole at the COMMIT."""
import uuid

import pytest
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError
from psycopg import _pipeline_base

from kasane.store.inbox import InboxEntry
from kasane.store.trace import Trace

from tests.bus_helpers import admin_sql
from tests.store_helpers import Note, open_store

pytestmark = pytest.mark.integration


class Tally(Aggregate):
    @event("Started")
    def __init__(self):
        self.count = 0

    @event("Counted")
    def count_one(self):
        self.count += 1


@pytest.fixture
def store(platform, unique):
    deployed, app = open_store(platform, "collaboration", f"trips-{unique}")
    yield deployed, app
    app.close()


def test_a_save_syncs_its_pipeline_once_and_answers_the_notification_ids_of_the_log(store, monkeypatch):
    _, app = store
    app.save_traced(Note("先に"), trace=Trace.for_command())  # the pool's connection made first
    syncs = []
    sync_gen = _pipeline_base.BasePipeline._sync_gen
    monkeypatch.setattr(_pipeline_base.BasePipeline, "_sync_gen",
                        lambda self: (syncs.append(1), (yield from sync_gen(self)))[1])
    recordings = app.save_traced(Note("一"), Note("二"), trace=Trace.for_command())
    assert len(syncs) == 1
    logged = app.recorder.select_notifications(1, 10)
    assert [r.notification.id for r in recordings] == [n.id for n in logged[1:]]


def test_a_write_conflict_is_refused_at_the_commit_and_nothing_of_it_is_stored(store):
    deployed, app = store
    tally = Tally()
    app.save_traced(tally, trace=Trace.for_command())
    first, second = app.repository.get(tally.id), app.repository.get(tally.id)
    first.count_one()
    second.count_one()
    app.save_traced(first, trace=Trace.for_command())
    entry = InboxEntry("consultation-1", 9, uuid.uuid4(), "consultation.household_referred")
    with pytest.raises(IntegrityError):
        app.save_traced(second, trace=Trace.for_command(), inbox=[entry])
    assert admin_sql(deployed, "SELECT count(*) FROM kasane_inbox")[0][0] == 0
    assert app.repository.get(tally.id).version == 2
    app.save_traced(Note("後で"), trace=Trace.for_command())  # the connection is whole again
