"""進捗管理の集計 — what the city's progress report counts in 参加支援 (kasane.report): first
plans, hosts developed (開拓) by kind, 職場見学・体験会, work-experience registrations (new in the
year, and all up to its end) and sessions attended (延べ)."""
from __future__ import annotations

from kasane.report.tally import Count, MonthlyTally, attr

from participation.domain.development import ExperienceDay
from participation.domain.host import Host
from participation.domain.match import Match
from participation.domain.support import ParticipationSupport


def _developed(kind_is_company: bool):
    return lambda e: bool(e.developed) and (e.kind == "company") == kind_is_company


def _developed_on(e):
    return e.developed["developed_on"]


Registered = ParticipationSupport.WorkExperienceRegistered
COUNTS = [
    Count(ParticipationSupport.PlanMade, "plans_made", attr("made_on"), when=lambda e: e.version == 1),
    Count(Host.Registered, "new_community_hosts", _developed_on, when=_developed(False), area=attr("area")),
    Count(Host.Registered, "new_company_hosts", _developed_on, when=_developed(True), area=attr("area")),
    Count(ExperienceDay.Held, "experience_days_held", attr("held_on")),
    Count(Registered, "work_experience_new", attr("registered_on")),
    Count(Registered, "work_experience_registered", attr("registered_on"), cumulative=True),
    Count(Match.SessionAttended, "sessions", attr("attended_on")),
]


def report_tally() -> MonthlyTally:
    return MonthlyTally(COUNTS)
