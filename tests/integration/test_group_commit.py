"""まとめ書き on real PostgreSQL: the saves a process makes while another is being written are
committed together, in one transaction, each answered with its own notification ids; a batch the
store refuses is written again one save at a time, so only the refused save fails. The writers'
lock is held by the test, so the first save waits in the database and the others queue behind it."""
from __future__ import annotations

import threading
import uuid

import pytest
from eventsourcing.persistence import IntegrityError

from kasane.store.inbox import InboxEntry
from kasane.store.trace import Trace

from tests.bus_helpers import admin_sql
from tests.servers import wait_until
from tests.store_helpers import Note, store_fixture, two_copies_of_a_tally, writers_lock_held

pytestmark = pytest.mark.integration


store = store_fixture("group")


def saving(app, aggregate, inbox=()):
    outcome = {}

    def run():
        try:
            outcome["recordings"] = app.save_traced(aggregate, trace=Trace.for_command(), inbox=inbox)
        except Exception as failed:  # noqa: BLE001
            outcome["error"] = failed
    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def saved_behind_the_writers_lock(deployed, app, first, *others):
    """`first` saved while the test holds the writers' lock, `others` once it waits there; the
    lock released when all of them queue. Their outcomes, in that order."""
    with writers_lock_held(deployed):
        started = [saving(app, *first)]
        wait_until(lambda: admin_sql(deployed, "SELECT count(*) FROM pg_stat_activity WHERE wait_event = "
                                               "'advisory' AND datname = current_database()")[0][0] == 1,
                   timeout=10, interval=0.005, message="the first save waiting for the writers' lock")
        started += [saving(app, *other) for other in others]
        wait_until(lambda: app._group.waiting == len(others), timeout=10, interval=0.005,
                   message="the other saves queued behind it")
    for thread, _ in started:
        thread.join(10)
    return [outcome for _, outcome in started]


def transactions_of(deployed) -> list[list[int]]:
    """The stored events' notification ids, grouped by the transaction that wrote them."""
    rows = admin_sql(deployed, "SELECT xmin::text, notification_id FROM kasane_events ORDER BY notification_id")
    grouped: dict = {}
    for xmin, notification_id in rows:
        grouped.setdefault(xmin, []).append(notification_id)
    return list(grouped.values())


def ids(outcome) -> list[int]:
    return [r.notification.id for r in outcome["recordings"]]


def test_saves_made_while_one_is_written_commit_together_each_answered_with_its_own_ids(store):
    deployed, app = store
    outcomes = saved_behind_the_writers_lock(deployed, app, (Note("先"),), *[(Note(f"後{n}"),) for n in range(4)])
    assert [len(t) for t in transactions_of(deployed)] == [1, 4]
    assert sorted(i for o in outcomes for i in ids(o)) == [1, 2, 3, 4, 5]
    logged = {n.id: n.originator_id for n in app.recorder.select_notifications(1, 10)}
    assert all(logged[r.notification.id] == r.domain_event.originator_id for o in outcomes for r in o["recordings"])


def test_a_write_conflict_in_a_batch_refuses_only_the_stale_save_and_the_rest_commit(store):
    deployed, app = store
    first, stale = two_copies_of_a_tally(app)
    first.add(1)
    stale.add(2)
    entry = InboxEntry("consultation-1", 7, uuid.uuid4(), "consultation.household_referred")
    outcomes = saved_behind_the_writers_lock(deployed, app, (Note("先"),), (first,), (stale, [entry]),
                                             (Note("後"),))
    assert isinstance(outcomes[2]["error"], IntegrityError)
    assert "error" not in outcomes[1] and "error" not in outcomes[3]
    assert app.repository.get(first.id).count == 1
    assert admin_sql(deployed, "SELECT count(*) FROM kasane_inbox")[0][0] == 0  # the stale save's, with it
    assert [len(t) for t in transactions_of(deployed)] == [1, 1, 1, 1]


def test_an_inbox_duplicate_in_a_batch_fails_only_the_message_taken_twice(store):
    deployed, app = store
    taken = InboxEntry("consultation-1", 3, uuid.uuid4(), "consultation.household_referred")
    app.save_traced(Note("一度目"), trace=Trace.for_command(), inbox=[taken])
    again = InboxEntry("consultation-1", 4, uuid.uuid4(), "consultation.household_referred")
    outcomes = saved_behind_the_writers_lock(deployed, app, (Note("先"),), (Note("二度目"), [taken]),
                                             (Note("新しい"), [again]))
    assert isinstance(outcomes[1]["error"], IntegrityError) and "error" not in outcomes[2]
    assert [r[0] for r in admin_sql(deployed, "SELECT position FROM kasane_inbox ORDER BY position")] == [3, 4]
