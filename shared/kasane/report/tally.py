"""月別集計 — one in-process read model, declared per business line, that counts the events a
KPI row counts by fiscal year (年度), month, agency and area.

A business line declares its counters once (`Count(...)`, in its `views/report.py`); the view
is fed from the instance's own log like every other view (kasane.store.log_follower), so it is
rebuilt from events on every start and a past year always gives the same numbers. The day of
each event is the desk's day in Japan time (kasane.fiscal_year).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime
from dataclasses import dataclass, field
from typing import Any, Callable

from kasane.fiscal_year import fiscal_year_label, fiscal_year_of, japan_date

CITY_WIDE = "city-wide"


@dataclass(frozen=True)
class Count:
    """One counter: `key` grows by `weight(e)` for every `event` for which `when(e)` holds, on
    the day `day(e)`, under `agency(e)` and `area(e)`. `distinct(e)`, if given, counts each value
    once per fiscal year instead (団体数). `cumulative` rows report everything up to the year's
    end (登録者数（全体）)."""
    event: type
    key: str
    day: Callable[[Any], Any]
    weight: Callable[[Any], int] = lambda e: 1
    when: Callable[[Any], bool] = lambda e: True
    agency: Callable[[Any], str | None] = lambda e: None
    area: Callable[[Any], str | None] = lambda e: None
    distinct: Callable[[Any], str] | None = None
    cumulative: bool = False
    distinct_ever: bool = False  # each value counted once in its first year only (新規)


def _day(value):
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    return japan_date(value)


def attr(name: str) -> Callable[[Any], Any]:
    return lambda e: getattr(e, name)


@dataclass
class _Cells:
    cells: Counter = field(default_factory=Counter)  # (key, fy, month, agency, area) -> n
    seen: dict = field(default_factory=lambda: defaultdict(set))  # (key, fy) -> distinct values


class MonthlyTally:
    def __init__(self, counts: list[Count]):
        self.by_event: dict[type, list[Count]] = defaultdict(list)
        for count in counts:
            self.by_event[count.event].append(count)
        self.cumulative = {c.key for c in counts if c.cumulative}
        self.keys = list(dict.fromkeys(c.key for c in counts))
        self.state = _Cells()

    def apply(self, e) -> None:
        for count in self.by_event.get(type(e), ()):
            if count.when(e):
                self._add(count, e)

    def _add(self, count: Count, e) -> None:
        day = _day(count.day(e))
        fy = fiscal_year_of(day)
        n = count.weight(e)
        if count.distinct is not None:
            seen = self.state.seen[(count.key, None if count.distinct_ever else fy)]
            if count.distinct(e) in seen:
                return
            seen.add(count.distinct(e))
            n = 1
        cell = (count.key, fy, f"{day:%Y-%m}", count.agency(e) or CITY_WIDE, count.area(e) or CITY_WIDE)
        self.state.cells[cell] += n

    def of(self, fiscal_year: int) -> dict:
        """Every counter of the fiscal year: its total and its cells (month, agency, area)."""
        counters: dict[str, dict[str, Any]] = {key: {"total": 0, "cells": [], "cumulative": key in self.cumulative}
                    for key in self.keys}
        for (key, fy, month, agency, area), n in sorted(self.state.cells.items()):
            if fy == fiscal_year or (key in self.cumulative and fy < fiscal_year):
                counters[key]["total"] += n
                counters[key]["cells"].append({"month": month if fy == fiscal_year else "before",
                                               "agency": agency, "area": area, "n": n})
        return {"fiscal_year": fiscal_year, "label": fiscal_year_label(fiscal_year),
                "counters": counters}
