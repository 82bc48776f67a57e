"""受入先一覧・依頼一覧・開拓目標・マッチング — which hosts, supports, development targets and
running matches exist, so that
queries load the aggregates themselves (the log is the only index)."""
from __future__ import annotations

from participation.domain.development import DevelopmentTarget
from participation.domain.host import Host
from participation.domain.match import Match
from participation.domain.support import ParticipationSupport


class Index:
    def __init__(self):
        self.host_ids: list = []
        self.support_ids: list = []
        self.target_ids: list = []
        self.match_ids: list = []
        self.ended_match_ids: set = set()
        self.supports_by_household: dict = {}

    def apply(self, e) -> None:
        if isinstance(e, Host.Registered):
            self.host_ids.append(e.originator_id)
        elif isinstance(e, ParticipationSupport.Received):
            self.support_ids.append(e.originator_id)
            self.supports_by_household.setdefault(str(e.household_id), []).append(e.originator_id)
        elif isinstance(e, DevelopmentTarget.Noted):
            self.target_ids.append(e.originator_id)
        elif isinstance(e, Match.Matched):
            self.match_ids.append(e.originator_id)
        elif isinstance(e, Match.Ended):
            self.ended_match_ids.add(e.originator_id)

    def running_match_ids(self) -> list:
        return [m for m in self.match_ids if m not in self.ended_match_ids]
