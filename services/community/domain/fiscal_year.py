"""年度 — the Japanese fiscal year, 1 April to 31 March, on the day in Japan time (DOMAIN.md §6):
what the 004 §5(2) rows are counted by. (A copy of collaboration's: services share no code.)"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

JST = timezone(timedelta(hours=9), "JST")


def japan_date(moment: datetime | date) -> date:
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            raise ValueError("a moment without a time zone has no fiscal year")
        return moment.astimezone(JST).date()
    return moment


def fiscal_year_of(moment: datetime | date) -> int:
    """FY (年度): the calendar year in which its fiscal year began."""
    day = japan_date(moment)
    return day.year if day.month >= 4 else day.year - 1
