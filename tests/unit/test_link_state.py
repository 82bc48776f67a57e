"""接続状態: a failing broker or database is said once when it starts failing and once when it
recovers, never once per retry; the error shown in health lasts only as long as the failure."""
import logging

import amqp
import psycopg

from kasane.bus.consumer import ConsumerStats
from kasane.bus.link import LinkState


def link(caplog):
    caplog.set_level(logging.DEBUG, logger="test.link")
    stats = ConsumerStats()
    return LinkState("relay desk-1", stats, logging.getLogger("test.link")), stats


def warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_hundred_refusals_of_one_kind_are_said_once_with_the_backoff(caplog):
    state, stats = link(caplog)
    for attempt in range(100):
        state.failed(amqp.exceptions.AccessRefused("ACCESS_REFUSED - Login was refused"), min(15.0, 0.2 * 2 ** attempt))
    said = warnings(caplog)
    assert len(said) == 1 and "AccessRefused" in said[0] and "next in 0.2s" in said[0]
    assert stats.last_error == "AccessRefused" and state.failures == 100


def test_a_new_kind_of_failure_is_said_again(caplog):
    state, _ = link(caplog)
    state.failed(psycopg.OperationalError("down"), 0.5)
    state.failed(psycopg.OperationalError("down"), 1.0)
    state.failed(ConnectionResetError("reset"), 2.0)
    assert len(warnings(caplog)) == 2


def test_recovery_is_said_once_and_clears_the_error(caplog):
    state, stats = link(caplog)
    state.failed(psycopg.OperationalError("down"), 0.5)
    state.recovered()
    state.recovered()  # every later successful pass says nothing
    said = warnings(caplog)
    assert len(said) == 2 and "recovered after 1 failure(s)" in said[1]
    assert stats.last_error == "" and not state.failing


def test_only_an_unexpected_kind_of_failure_carries_a_traceback(caplog):
    state, _ = link(caplog)
    for failure in (psycopg.OperationalError("down"), KeyError("bug")):
        try:
            raise failure
        except Exception as exc:  # noqa: BLE001 — as the relay's and consumer's loops catch it
            state.failed(exc, 0.5)
    expected, unexpected = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert not expected.exc_info
    assert unexpected.exc_info and unexpected.exc_info[0] is KeyError
