"""年度 — the Japanese fiscal year, 1 April to 31 March, in Japan time (DOMAIN.md §6): what every
service's 年度 counts (the KPI rows of seeds 003 ch.3 and 004 §5) are counted by.

A consultation received at 2026-03-31 23:30 JST belongs to FY2025 (令和7年度) even though it is
already 1 April in no time zone that matters: the day is the desk's day, in Japan time.
Japan has no daylight saving, so a fixed +09:00 offset is exact.
"""
from __future__ import annotations

from datetime import date, datetime

from kasane.clock import JST, japan_date, today

__all__ = ["JST", "japan_date", "fiscal_year_of", "fiscal_year_label", "fiscal_year_bounds",
           "today_in_japan"]
REIWA_OFFSET = 2018  # 令和元年度 = FY2019, so 令和7年度 = FY2025


def fiscal_year_of(moment: datetime | date) -> int:
    """FY (年度) of a moment or day: the calendar year in which its fiscal year began."""
    day = japan_date(moment)
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_label(fiscal_year: int) -> str:
    """令和7年度 for 2025 (earlier years are before 令和 and are shown as 年度 in AD)."""
    if fiscal_year > REIWA_OFFSET:
        return f"令和{fiscal_year - REIWA_OFFSET}年度"
    return f"{fiscal_year}年度"


def fiscal_year_bounds(fiscal_year: int) -> tuple[datetime, datetime]:
    """[start, end) of the fiscal year, as aware datetimes in Japan time."""
    return (datetime(fiscal_year, 4, 1, tzinfo=JST), datetime(fiscal_year + 1, 4, 1, tzinfo=JST))


def today_in_japan(now: datetime | None = None) -> date:
    """Today in Japan by the kernel clock (kasane.clock), or the day of the moment given."""
    return japan_date(now) if now is not None else today()
