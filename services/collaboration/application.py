"""The collaboration application (多機関協働事業): one method per use case, grouped by module —
referral to plan (planning.py), the two meetings (meetings.py), monitoring, closure or
suspension with the hand-back (endings.py), and the queries (queries.py). What it takes in from
the bus is read in incoming.py (integration.INTEGRATION). Commands that may race with the inbox
consumer (which joins referrals to cases and learns consent) retry on a version conflict.
"""
from __future__ import annotations

from kasane.store.business_line import BusinessLineApplication

from collaboration.endings import Endings
from collaboration.identity import Identity
from collaboration.meetings import Meetings
from collaboration.planning import Planning
from collaboration.queries import Queries
from collaboration.views.caseload import Caseload
from collaboration.views.counts import FiscalYearCounts
from collaboration.views.persons import CasePersons
from collaboration.views.proposals import PlanProposals
from collaboration.views.report import report_tally


class CollaborationApplication(Planning, Meetings, Endings, Identity, Queries, BusinessLineApplication):
    def __init__(self, env: dict | None = None, **where):
        super().__init__(env, **where)
        self.caseload, self.case_persons, self.proposals = Caseload(), CasePersons(), PlanProposals()
        self.follow(FiscalYearCounts(), report_tally(), self.caseload, self.case_persons, self.proposals)
