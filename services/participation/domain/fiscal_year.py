"""年度 — the Japanese fiscal year, 1 April to 31 March, counted on the day in Japan time
(DOMAIN.md §6): what the KPI rows of seed 004 §5(4) are counted by."""
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


def fiscal_year_bounds(fiscal_year: int) -> tuple[date, date]:
    """First and last day of the fiscal year (4月1日 … 翌3月31日)."""
    return date(fiscal_year, 4, 1), date(fiscal_year + 1, 3, 31)


def today_in_japan(now: datetime | None = None) -> date:
    return japan_date(now or datetime.now(timezone.utc))
