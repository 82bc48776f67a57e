"""どの行を何で数えるか — each KPI row of a city profile names the counter that counts it (its
`counter`, one of the business line's REPORT_COUNTERS, counted in its `views/report.py`) or is
marked 手入力 with why no event counts it (deploy/profiles; directory.profile_kpis checks that
every row does one or the other).

A counted row sums the counter over every instance of its business line; `agencies` narrows it
to the row's own agency (`"row"`), to agencies whose id starts with a prefix, or to none (all).
"""
from __future__ import annotations

from dataclasses import dataclass

ROW_AGENCY = "row"


@dataclass(frozen=True)
class Counted:
    counter: str
    agencies: str | None = None  # ROW_AGENCY, "prefix:<id prefix>", "body:<meeting body id>" or None


@dataclass(frozen=True)
class Manual:
    reason: str


def source_of(kpi: dict) -> Counted | Manual:
    """The row's own `counter` (and `agencies`), or its 手入力 reason."""
    if kpi.get("counter"):
        return Counted(kpi["counter"], kpi.get("agencies"))
    return Manual(kpi.get("manual") or "この項目を数える記録がないため")


def agency_matches(spec: Counted, row_agency: str | None, agency: str) -> bool:
    if spec.agencies is None:
        return True
    if spec.agencies == ROW_AGENCY:
        return agency == row_agency
    if spec.agencies.startswith("body:"):  # a city's own meeting body (会議体), by its id
        return agency == spec.agencies.removeprefix("body:")
    return agency.startswith(spec.agencies.removeprefix("prefix:"))
