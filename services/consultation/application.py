"""The consultation application: one method per use case (受付, 同意, つなぎ, 照会).

An instance knows its organisation and the agencies it operates (deploy/instances.yaml →
KASANE_AGENCIES); a command naming another agency is refused. Queries read in-process views
caught up from this instance's own log (views/).
"""
from __future__ import annotations

import logging
from datetime import date
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from kasane.area_issues import AreaIssues
from kasane.runtime.paging import PAGE_SIZE, page
from kasane.store.business_line import BusinessLineApplication

from consultation.domain.consultation import Consultation
from consultation.domain.rules import UnknownAgency
from consultation.views.caseload import Caseload
from consultation.views.counts import FiscalYearCounts
from consultation.views.report import report_tally
from consultation.views.search import HouseholdSearch
from consultation.views.timeline import HouseholdTimeline
from consultation import queries
from consultation.connections import Connections
from consultation.consenting import Consenting
from consultation.intake import Intake

log = logging.getLogger(__name__)


class ConsultationApplication(Intake, Consenting, Connections, BusinessLineApplication):
    def __init__(self, env: dict | None = None, *, agencies=(),
                 collaboration_instance: str | None = None, **where):
        super().__init__(env, **where)
        self.collaboration_instance = collaboration_instance  # where referrals are addressed
        self.agencies = {a["agency_id"]: {"agency_id": a["agency_id"], "name": a["name"]}
                         for a in agencies}
        if not self.agencies:
            # An instance started without KASANE_AGENCIES (older deployments): it accepts the
            # agency each command names, as the first slice did.
            log.warning("consultation instance %s knows no agencies; accepting any", self.instance)
        self.search, self.caseload, self.timeline = HouseholdSearch(), Caseload(), HouseholdTimeline()
        self.follow(FiscalYearCounts(), report_tally(), self.search, self.caseload, self.timeline)

    # -- 照会 ---------------------------------------------------------------------------------

    def consultation(self, consultation_id: UUID) -> dict:
        """相談記録 — the consultation as this instance knows it, with the household id 多機関協働
        goes by when it joined the referral to another desk's household's case."""
        consultation = self.repository.get(consultation_id)
        household = self.find(consultation.household_id)
        return {**queries.consultation_view(consultation),
                "collaboration_household_id": getattr(household, "collaboration_household_id", None)}

    def open_consultations(self, agency_id: str) -> dict:
        self.agency({"agency_id": agency_id, "name": agency_id})
        self.views.catch_up()
        return self.caseload.open_at(agency_id)

    def household_timeline(self, household_id: UUID) -> dict:
        self.views.catch_up()
        entries = self.timeline.of(str(household_id))
        if not entries:
            raise AggregateNotFoundError(household_id)
        return {"household_id": str(household_id),
                "current_household_id": self.search.current_household(str(household_id)),
                "entries": entries}

    def fiscal_year_counts(self, fiscal_year: int, agency_id: str | None = None,
                           area: str | None = None) -> dict:
        if agency_id:
            self.agency({"agency_id": agency_id, "name": agency_id})
        self.views.catch_up()
        return self.counts.of(fiscal_year, agency_id, area)

    def area_issues(self, area: str | None = None) -> dict:
        """地域課題 — the area issues learnt from 地域づくり, of one area or of all, newest first."""
        issues: AreaIssues | None = self.find(AreaIssues.create_id())
        return {"area": area,
                "issues": [queries.area_issue_view(i) for i in (issues.of(area) if issues else [])]}

    def find_households(self, *, kana: str | None, birth_date: date | None, area: str | None,
                        limit: int = PAGE_SIZE, cursor: str | None = None) -> dict:
        """Candidates, best first, one page at a time (`next_cursor` asks for the next)."""
        self.views.catch_up()
        found = self.search.find(kana=kana, birth_date=birth_date.isoformat() if birth_date else None,
                                 area=area)
        candidates, next_cursor = page(found, limit=limit, cursor=cursor)
        return {"candidates": candidates, "next_cursor": next_cursor}

    # -- helpers ------------------------------------------------------------------------------

    def agency(self, named: dict) -> dict:
        """The agency as this instance operates it; UnknownAgency if it operates no such agency."""
        if not self.agencies:
            return {"agency_id": named["agency_id"], "name": named["name"]}
        try:
            return dict(self.agencies[named["agency_id"]])
        except KeyError:
            raise UnknownAgency("this instance does not operate the agency named") from None

    def lead_agency(self, named: dict | None) -> dict | None:
        """Where a lead awaits: the agency it names if this instance operates it, else any."""
        if named and (not self.agencies or named["agency_id"] in self.agencies):
            return self.agency(named)
        return None

    def find_consultation(self, consultation_id) -> Consultation | None:
        """The consultation of that id held here, or None (also for a malformed id)."""
        try:
            found = self.find(UUID(str(consultation_id)))
        except ValueError:
            return None
        return found if isinstance(found, Consultation) else None
