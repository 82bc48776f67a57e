"""手渡し: what a commit hands the relay and the views is used only where it continues the log
without a gap (kasane.store.offers); anything else sends them to read the log."""
from types import SimpleNamespace

from kasane.store.offers import Offers


def recorded(*ids: int) -> list:
    return [SimpleNamespace(notification=SimpleNamespace(id=i), domain_event=f"event {i}") for i in ids]


def ids(run: list) -> list[int]:
    return [r.notification.id for r in run]


def test_recordings_that_continue_the_position_are_passed_in_log_order():
    offers = Offers(limit=10)
    offers.offer(recorded(13, 14))
    offers.offer(recorded(11, 12))  # two commits' callbacks, the later one first
    run, complete = offers.after(10)
    assert ids(run) == [11, 12, 13, 14] and complete


def test_a_gap_stops_the_run_and_says_the_log_must_be_read():
    offers = Offers(limit=10)
    offers.offer(recorded(11, 12, 14))  # 13: another process's commit, or a rolled-back id
    run, complete = offers.after(10)
    assert ids(run) == [11, 12] and not complete


def test_recordings_not_following_the_position_give_nothing():
    offers = Offers(limit=10)
    offers.offer(recorded(15, 16))
    assert offers.after(10) == ([], False)


def test_recordings_already_relayed_from_the_log_are_passed_over():
    offers = Offers(limit=10)
    offers.offer(recorded(9, 10, 11))
    run, complete = offers.after(10)
    assert ids(run) == [11] and complete


def test_offers_are_taken_by_the_pass_that_looks_at_them():
    offers = Offers(limit=10)
    offers.offer(recorded(11))
    offers.after(20)
    assert offers.after(10) == ([], True)


def test_more_offers_than_a_pass_holds_are_dropped_so_a_relay_behind_reads_the_log():
    offers = Offers(limit=3)
    offers.offer(recorded(11, 12))
    offers.offer(recorded(13, 14))
    assert offers.after(10) == ([], True)
