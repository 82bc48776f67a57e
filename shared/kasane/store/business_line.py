"""The base of every business line's application (業務系アプリケーションの土台): consultation,
collaboration, outreach, participation and community.

Each knows its instance and organisation, keeps in-process views caught up from its own log
(a LogFollower: its own views, the yearly counts 年度別件数 and the progress report 進捗管理),
and reads its copy of the city's directory (名簿の写し). Subclasses add one method per use case.
"""
from __future__ import annotations

from eventsourcing.application import AggregateNotFoundError

from kasane.directory_copy.reader import DirectoryCopyReader
from kasane.household_trail import HouseholdTrail
from kasane.store.application import KasaneApplication
from kasane.store.log_follower import LogFollower


class BusinessLineApplication(KasaneApplication):
    def __init__(self, env: dict | None = None, *, instance: str = "local",
                 organisation: str = "local"):
        super().__init__(env=env)
        self.instance, self.organisation = instance, organisation
        self.directory = DirectoryCopyReader(self)  # 名簿の写し: the agencies and areas chosen

    def follow(self, counts, report, *views) -> None:
        """Keep these views caught up from the instance's log: the service's own, its yearly
        counts (年度別件数) and its progress report tally (進捗管理, kasane.report)."""
        self.counts, self.report = counts, report
        self.trail = HouseholdTrail()  # 世帯の足跡: what this instance knows of each household
        self.views = LogFollower(self, [*views, counts, report, self.trail])

    def find(self, aggregate_id):
        """The aggregate, or None when this instance has none of that id."""
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    def listed(self, ids_of) -> list:
        """The aggregates a view lists — `ids_of()`, e.g. `self.caseload.open_ids` —, asked once
        the views have caught up with the log, each loaded from the store."""
        self.views.catch_up()
        return [self.repository.get(aggregate_id) for aggregate_id in ids_of()]

    def fiscal_year_counts(self, fiscal_year: int) -> dict:
        """年度別件数 — the counts of one fiscal year (年度)."""
        self.views.catch_up()
        return self.counts.of(fiscal_year)

    def household_trail(self, household_id: str) -> dict:
        """世帯の足跡 — what this instance knows of the household (labels and ids only)."""
        self.views.catch_up()
        return {"household_id": str(household_id), "instance": self.instance,
                "organisation": self.organisation, "entries": self.trail.of(household_id)}

    def report_counts(self, fiscal_year: int) -> dict:
        """進捗管理 — the KPI counters of the fiscal year by month, agency and area."""
        self.views.catch_up()
        return {"instance": self.instance, "position": self.views.position, **self.report.of(fiscal_year)}
