"""The ages `kasane bus status` prints, and the publish time the consumer reads off a message."""
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from kasane.bus.consumer import ConsumerStats, _published
from kasane.bus.queue_report import _dead_lettered_at, age_text


@pytest.mark.parametrize("seconds,text", [(None, "—"), (0, "0s"), (59, "59s"), (90, "1.5m"),
                                          (3 * 3600, "3.0h"), (2 * 86400, "2.0d")])
def test_ages_read_in_the_unit_city_it_needs(seconds, text):
    assert age_text(seconds) == text


def test_the_consumer_reports_the_age_of_what_it_holds_and_nothing_when_it_holds_nothing():
    stats = ConsumerStats()
    assert stats.oldest_pending_age(now=1000.0) == 0.0
    stats.oldest_pending_published = _published(SimpleNamespace(properties={"timestamp": 940}))
    assert stats.oldest_pending_age(now=1000.0) == 60.0
    aware = datetime(2026, 11, 30, tzinfo=timezone.utc)
    assert _published(SimpleNamespace(properties={"timestamp": aware})) == aware.timestamp()
    assert _published(SimpleNamespace(properties={})) is None


def test_a_dead_letter_is_aged_from_when_it_was_dead_lettered():
    kasane = {"properties": {"headers": {"x-kasane-dead-lettered-at": "2026-01-01T00:00:00+00:00"}}}
    broker = {"properties": {"timestamp": 5, "headers": {"x-death": [{"time": 100}]}}}
    assert _dead_lettered_at(kasane) == datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp()
    assert _dead_lettered_at(broker) == 100.0
    assert _dead_lettered_at({"properties": {"timestamp": 7}}) == 7.0
