"""まとめ書き (kasane.store.group_commit) with a writer that records what it is given; threads
stand for a process's concurrent commands. The store itself: tests/integration/test_group_commit.py."""
from __future__ import annotations

import threading

import pytest
from eventsourcing.persistence import IntegrityError, OperationalError

from kasane.store.group_commit import MAX_EVENTS, GroupCommit, SaveInterrupted

from tests.servers import wait_until


class Store:
    """Writes each call as one transaction; `hold` keeps the next write waiting until released."""

    def __init__(self, refuse=lambda events: None):
        self.transactions, self.handed = [], []
        self.refuse = refuse
        self.hold, self.held = threading.Event(), threading.Event()
        self.hold.set()

    def write(self, events, inbox):
        self.held.set()
        self.hold.wait(5)
        self.refuse(events)
        self.transactions.append((list(events), list(inbox)))
        return [f"recorded {e}" for e in events]

    def group(self) -> GroupCommit:
        return GroupCommit(self.write, self.handed.append)


def in_thread(group, events, inbox=()):
    outcome = {}

    def run():
        try:
            outcome["recordings"] = group.save(events, inbox)
        except BaseException as failed:  # noqa: BLE001
            outcome["error"] = failed
    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def saves_waiting_behind_a_write(store, group, *saves):
    """The first save written and held there; the others queued behind it."""
    store.hold.clear()
    first = in_thread(group, *saves[0])
    wait_until(store.held.is_set, timeout=5, interval=0.001)
    rest = [in_thread(group, *save) for save in saves[1:]]
    wait_until(lambda: group.waiting == len(saves) - 1, timeout=5, interval=0.001)
    store.hold.set()
    for thread, _ in (first, *rest):
        thread.join(5)
    return [outcome for _, outcome in (first, *rest)]


def test_a_save_with_no_write_in_progress_is_written_at_once_and_alone():
    store = Store()
    assert store.group().save(["e1", "e2"], ["i1"]) == ["recorded e1", "recorded e2"]
    assert store.transactions == [(["e1", "e2"], ["i1"])]
    assert store.handed == [["recorded e1", "recorded e2"]]


def test_saves_made_during_a_write_go_together_in_the_next_transaction_each_answered_its_own():
    store = Store()
    outcomes = saves_waiting_behind_a_write(store, store.group(), (["a"], ()), (["b1", "b2"], ["ib"]),
                                            (["c"], ["ic"]), ([], ["id"]))
    assert store.transactions == [(["a"], []), (["b1", "b2", "c"], ["ib", "ic", "id"])]
    assert [o["recordings"] for o in outcomes] == [["recorded a"], ["recorded b1", "recorded b2"],
                                                   ["recorded c"], []]
    assert store.handed == [["recorded a"], ["recorded b1", "recorded b2", "recorded c"]]


def test_a_batch_the_store_refuses_is_written_again_one_save_at_a_time():
    def refuse(events):
        if "stale" in events:
            raise IntegrityError("duplicate key value violates unique constraint")
    store = Store(refuse)
    outcomes = saves_waiting_behind_a_write(store, store.group(), (["a"], ()), (["b"], ()),
                                            (["stale"], ["is"]), (["c"], ()))
    assert store.transactions == [(["a"], []), (["b"], []), (["c"], [])]
    assert outcomes[1]["recordings"] == ["recorded b"] and outcomes[3]["recordings"] == ["recorded c"]
    assert isinstance(outcomes[2]["error"], IntegrityError)
    assert "recordings" not in outcomes[2]


def test_a_lost_connection_fails_every_save_of_the_batch_without_writing_them_again():
    def refuse(events):
        if len(events) > 1:
            raise OperationalError("server closed the connection unexpectedly")
    store = Store(refuse)
    outcomes = saves_waiting_behind_a_write(store, store.group(), (["a"], ()), (["b"], ()), (["c"], ()))
    assert all(isinstance(o["error"], OperationalError) for o in outcomes[1:])
    assert store.transactions == [(["a"], [])] and store.handed == [["recorded a"]]


def test_a_batch_holds_at_most_its_limit_of_events_and_the_rest_follow_in_order():
    store = Store()
    big = [f"x{n}" for n in range(MAX_EVENTS - 1)]
    saves_waiting_behind_a_write(store, store.group(), (["a"], ()), (big, ()), (["b", "c"], ()), (["d"], ()))
    assert [t[0] for t in store.transactions] == [["a"], big, ["b", "c", "d"]]


def test_the_saves_waiting_on_a_writer_that_is_stopped_are_told_and_the_next_one_writes():
    store, stopped = Store(), threading.Event()

    def write(events, inbox):
        if "killed" in events:
            stopped.set()
            raise SystemExit  # a killed green thread's GreenletExit is a BaseException too
        return store.write(events, inbox)
    group = GroupCommit(write, store.handed.append)
    outcomes = saves_waiting_behind_a_write(store, group, (["a"], ()), (["killed"], ()), (["b"], ()))
    assert stopped.is_set() and isinstance(outcomes[1]["error"], SystemExit)
    assert isinstance(outcomes[2]["error"], SaveInterrupted)
    assert group.save(["later"], ()) == ["recorded later"]


@pytest.mark.parametrize("failure", [RuntimeError("a handler's own fault"), IntegrityError("conflict")])
def test_a_save_alone_is_answered_with_its_own_failure_and_nothing_is_handed_over(failure):
    def write(events, inbox):
        raise failure
    handed = []
    with pytest.raises(type(failure)):
        GroupCommit(write, handed.append).save(["a"], ())
    assert handed == []


class Stoppable(threading.Event):
    """A saver's turn; once `stopped`, the saver's wait ends in SystemExit when it is woken, as
    a killed green thread's wait does."""
    stopped = False

    def wait(self, timeout=None):
        woken = super().wait(timeout)
        if self.stopped:
            raise SystemExit
        return woken


@pytest.mark.parametrize("woken_by", ["its killer", "the writer handing it the writing"])
def test_a_saver_stopped_while_it_waits_is_never_written_and_the_saves_behind_it_go_on(woken_by):
    store = Store()

    class Group(GroupCommit):
        _turn = Stoppable
    group = Group(store.write, store.handed.append)
    store.hold.clear()
    first = in_thread(group, ["a"])
    wait_until(store.held.is_set, timeout=5, interval=0.001)
    stopped = in_thread(group, ["stopped"])
    wait_until(lambda: group.waiting == 1, timeout=5, interval=0.001)
    turn = group._waiting[0].turn
    turn.stopped = True
    if woken_by == "its killer":
        threading.Event.set(turn)
        stopped[0].join(5)  # gone before the first save is written
    store.hold.set()
    for thread, _ in (first, stopped):
        thread.join(5)
    behind = in_thread(group, ["behind"])
    behind[0].join(5)
    assert isinstance(stopped[1]["error"], SystemExit)
    assert behind[1]["recordings"] == ["recorded behind"]
    assert [t[0] for t in store.transactions] == [["a"], ["behind"]]
