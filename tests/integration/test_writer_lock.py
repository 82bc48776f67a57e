"""書き込みの直列化: writers of one event store take one advisory lock per transaction, waiting for it
at most the store's lock timeout (set in the same statement as the lock), so notification order
is commit order and a writer stuck behind another gives up instead of hanging (eventsourcing
then tries the save again a few times)."""
import threading
import time

import pytest
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import OperationalError

from kasane.store.application import KasaneApplication, postgres_env
from kasane.store.trace import Trace

from tests.bus_helpers import admin_sql
from tests.store_helpers import writers_lock_held

pytestmark = pytest.mark.integration


class Note(Aggregate):
    @event("Written")
    def __init__(self, text: str):
        self.text = text


@pytest.fixture
def store(platform, unique):
    deployed = platform.instance("collaboration", f"lock-{unique}")
    app = KasaneApplication(env={**postgres_env(deployed.settings), "POSTGRES_LOCK_TIMEOUT": "1"})
    yield deployed, app
    app.close()


def holding_the_writers_lock(deployed, released: threading.Event, taken: threading.Event):
    """Another writer, in a transaction of its own, holding the lock until `released`."""
    def hold():
        with writers_lock_held(deployed):
            taken.set()
            released.wait(30)
    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    return thread


def notes(deployed) -> int:
    return admin_sql(deployed, "SELECT count(*) FROM kasane_events WHERE topic LIKE %s", ("%Note.Written",))[0][0]


def test_a_writer_behind_another_gives_up_after_the_stores_lock_timeout_and_then_writes(store):
    deployed, app = store
    released, taken = threading.Event(), threading.Event()
    holder = holding_the_writers_lock(deployed, released, taken)
    assert taken.wait(10)
    started = time.monotonic()
    with pytest.raises(OperationalError, match="lock timeout"):
        with app.recorder.datastore.transaction(commit=False) as curs:
            for statement in app.recorder.lock_table_statements:  # what every save runs first
                curs.execute(statement, prepare=True)
    waited = time.monotonic() - started
    released.set()
    holder.join(10)
    assert 0.9 <= waited < 5  # the store's 1 s, not PostgreSQL's default of waiting for ever
    assert notes(deployed) == 0
    app.save_traced(Note(text="解放の後"), trace=Trace.for_command())
    assert notes(deployed) == 1
