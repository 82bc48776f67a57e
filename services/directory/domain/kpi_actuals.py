"""手入力の実績 — actuals of the KPI rows no event can count (a council meeting held, the
number of 法人 supported), entered by city staff. Each entry is an event: who entered which
value for which row, when; a later entry for the same row supersedes the earlier one, which
stays in the history."""
from __future__ import annotations

from uuid import NAMESPACE_URL, uuid5

from eventsourcing.domain import event

from kasane.keyed import KeyedAggregate


class KpiActuals(KeyedAggregate):
    """One city's hand-entered actuals of one fiscal year (年度)."""

    KEY = ("city", "fiscal_year")
    NAMESPACE = uuid5(NAMESPACE_URL, "https://kasane.example/directory/kpi-actuals")

    @event("Started")
    def __init__(self, city: str, fiscal_year: int):
        self.city, self.fiscal_year = city, fiscal_year
        self.entries: dict[str, dict] = {}

    @event("Entered")
    def enter(self, kpi_id: str, value: float, entered_by: dict, entered_at: str,
              note: str | None = None) -> None:
        self.entries[kpi_id] = {"kpi_id": kpi_id, "value": value, "entered_by": entered_by,
                                "entered_at": entered_at, "note": note}
