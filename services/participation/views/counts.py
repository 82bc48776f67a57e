"""年度別件数 — the fiscal-year counts of 参加支援事業 as seed 004 §5(4) sets its targets:
参加支援事業プランの作成 20件, ボランティア体験等受入地域住民組織等の新規開拓 5か所, 職場見学・
職場体験等受入企業等の新規開拓 10社, 職場見学・職場体験会の開催 12回, 就労体験事業 登録者数
新規 10名・全体 30名, 実施延件数 1,000件.

Plans made count first plans (a revision is counted apart); new hosts count hosts developed
(開拓) in the year by their day of development — community groups and places apart from
companies; work-experience registrations count new ones in the year and all registered up to
its end (全体); sessions are 延べ: every session attended, also per kind of participation.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from kasane.fiscal_year import fiscal_year_of
from kasane.yearly_counts import YearlyCounts
from kasane_contracts.vocabulary import PARTICIPATION_OFFERS

from participation.domain.development import ExperienceDay
from participation.domain.host import Host
from participation.domain.match import Match
from participation.domain.support import ParticipationSupport


class FiscalYearCounts(YearlyCounts):
    KEYS = ("requests_received", "plans_made", "plans_revised", "new_community_hosts",
            "new_company_hosts", "experience_days_held", "matches_made", "matches_ended",
            "sessions", "follow_ups_done", "host_problems_reported")

    def __init__(self):
        super().__init__()
        self.sessions_by_offer: dict[int, Counter] = defaultdict(Counter)
        self.registered_in: list[int] = []  # fiscal year of each work-experience registration

    def apply(self, e) -> None:
        fy = self._count(e)
        if fy is not None and isinstance(e, Match.SessionAttended):
            self.sessions_by_offer[fy][e.offer] += 1

    def _count(self, e) -> int | None:
        if isinstance(e, ParticipationSupport.Received):
            return self.add(e.received_at, "requests_received")
        if isinstance(e, ParticipationSupport.PlanMade):
            return self.add(e.made_on, "plans_made" if e.version == 1 else "plans_revised")
        if isinstance(e, Host.Registered) and e.developed:
            key = "new_company_hosts" if e.kind == "company" else "new_community_hosts"
            return self.add(e.developed["developed_on"], key)
        if isinstance(e, ExperienceDay.Held):
            return self.add(e.held_on, "experience_days_held")
        if isinstance(e, Match.Matched):
            return self.add(e.matched_on, "matches_made")
        if isinstance(e, Match.Ended):
            return self.add(e.ended_on, "matches_ended")
        if isinstance(e, Match.SessionAttended):
            return self.add(e.attended_on, "sessions")
        if isinstance(e, Match.FollowUpDone):
            return self.add(e.done_on, "follow_ups_done")
        if isinstance(e, Match.HostProblemReported):
            return self.add(e.reported_on, "host_problems_reported")
        if isinstance(e, ParticipationSupport.WorkExperienceRegistered):
            self.registered_in.append(fiscal_year_of(e.registered_on))
        return None

    def of(self, fiscal_year: int) -> dict:
        return {
            **super().of(fiscal_year),
            "sessions_by_offer": {offer: {"label": label, "count": self.sessions_by_offer[fiscal_year][offer]}
                                  for offer, label in PARTICIPATION_OFFERS.items()},
            "work_experience_registrations": {
                "new": sum(fy == fiscal_year for fy in self.registered_in),
                "total": sum(fy <= fiscal_year for fy in self.registered_in),
            },
        }
