"""The program's one clock (時計). Moments are recorded in UTC; days people see and days that
decide a fiscal year (年度) are Japan's (JST, +09:00: Japan has no daylight saving, so the fixed
offset is exact). Every service asks this module for "now" and "today", never the platform:
a day taken from a UTC moment is yesterday's until 09:00 in Japan.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from typing import Callable, Iterator

JST = timezone(timedelta(hours=9), "JST")

_source: Callable[[], datetime] = lambda: datetime.now(timezone.utc)  # noqa: E731


def now() -> datetime:
    """The moment, in UTC, as every service records it."""
    return _source()


def japan_date(moment: datetime | date) -> date:
    """The day in Japan of a moment (a date is already one)."""
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            raise ValueError("a moment without a time zone has no day in Japan")
        return moment.astimezone(JST).date()
    return moment


def today() -> date:
    """Today in Japan (the desk's day)."""
    return japan_date(now())


def in_japan(moment: datetime) -> datetime:
    """The same moment as Japan's clocks show it (+09:00)."""
    return moment.astimezone(JST)


def utc_iso(moment: datetime | None = None) -> str:
    """A moment (now by default) as ISO 8601 in UTC with `Z`, as integration events carry it."""
    return (moment or now()).astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


@contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Tests: the clock stands at one aware moment until the block ends."""
    global _source
    if moment.tzinfo is None:
        raise ValueError("freeze the clock at an aware moment")
    previous, _source = _source, (lambda: moment)
    try:
        yield
    finally:
        _source = previous


def parse_time(text: str) -> datetime:
    """An ISO 8601 moment as events carry it (`Z` or an offset; one without is taken as UTC)."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
