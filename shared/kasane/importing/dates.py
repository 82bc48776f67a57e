"""日付 — 和暦 (令和7年4月1日, R7.4.1, 平成31年4月30日, 令和元年) and 西暦 (2025/4/1, 2025-04-01,
2025年4月1日, 20250401), with an optional time (10:30), as the records of a city write them.

A day of an era outside that era (平成32年, 令和1年4月1日) is refused, not moved to another era.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time

ERAS = {  # first day of each era
    "明治": date(1868, 1, 25), "大正": date(1912, 7, 30), "昭和": date(1926, 12, 25),
    "平成": date(1989, 1, 8), "令和": date(2019, 5, 1),
}
ERA_LETTERS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
_ERA_ORDER = list(ERAS)

_WAREKI = re.compile(r"^(明治|大正|昭和|平成|令和|[MTSHR])\.?\s*(元|\d{1,2})\s*[年./-]\s*(\d{1,2})"
                     r"\s*[月./-]\s*(\d{1,2})\s*日?(.*)$")
_SEIREKI = re.compile(r"^(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?(.*)$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(.*)$")
_TIME = re.compile(r"^[T\s]*(\d{1,2})[:時](\d{2})分?(?::?(\d{2})秒?)?$")


class NotADate(ValueError):
    """Not a day this reader knows how to read (the message never repeats the text)."""


def parse_day(value) -> tuple[date, time | None]:
    """The day (and time of day, if written) a cell holds; NotADate otherwise."""
    if isinstance(value, datetime):
        return value.date(), (value.time() if value.time() != time(0) else None)
    if isinstance(value, date):
        return value, None
    text = unicodedata.normalize("NFKC", str(value)).strip().upper()
    for pattern, reader in ((_WAREKI, _wareki), (_SEIREKI, _seireki), (_COMPACT, _seireki)):
        found = pattern.match(text)
        if found:
            day, rest = reader(found)
            return day, _time_of(rest)
    raise NotADate("日付として読めません（和暦 令和7年4月1日・R7.4.1、西暦 2025/4/1 など）")


def _wareki(found) -> tuple[date, str]:
    era = ERA_LETTERS.get(found.group(1), found.group(1))
    year = 1 if found.group(2) == "元" else int(found.group(2))
    day = _day(ERAS[era].year + year - 1, found.group(3), found.group(4))
    following = _ERA_ORDER.index(era) + 1
    ends = ERAS[_ERA_ORDER[following]] if following < len(_ERA_ORDER) else date.max
    if not ERAS[era] <= day < ends:
        raise NotADate("その元号にない日付です")
    return day, found.group(5)


def _seireki(found) -> tuple[date, str]:
    return _day(int(found.group(1)), found.group(2), found.group(3)), found.group(4)


def _day(year: int, month: str, day: str) -> date:
    try:
        return date(year, int(month), int(day))
    except ValueError:
        raise NotADate("暦にない日付です") from None


def _time_of(rest: str) -> time | None:
    rest = rest.strip()
    if not rest:
        return None
    found = _TIME.match(rest)
    if not found:
        raise NotADate("時刻として読めません（10:30 など）")
    try:
        return time(int(found.group(1)), int(found.group(2)), int(found.group(3) or 0))
    except ValueError:
        raise NotADate("時刻として読めません（10:30 など）") from None
