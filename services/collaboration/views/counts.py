"""年度別件数 — the fiscal-year counts of 多機関協働 (seed 004 §5(5): インテーク・アセスメントシート
10件, 重層的支援会議 30回, 支援会議 40回, プラン 15件; 003 ch.3: 多機関協働につながったケース数 210件).

Referrals received count every referral taken in (opening or joining a case), per referring
agency; plans made count first plans that came into force (a re-plan is counted apart);
meetings are counted per kind — a 支援会議 only as a number, nothing of its content.
Each is counted on its own day in Japan time (kasane.fiscal_year).
"""
from __future__ import annotations

from collections import Counter, defaultdict

from kasane.fiscal_year import fiscal_year_of
from kasane.yearly_counts import YearlyCounts
from kasane_contracts.vocabulary import MEETING_KINDS

from collaboration.domain.assessment import Assessment
from collaboration.domain.case import Case
from collaboration.domain.meeting import MultiLayeredMeeting
from collaboration.domain.plan import SupportPlan
from collaboration.domain.support_meeting import SupportMeeting


class FiscalYearCounts(YearlyCounts):
    KEYS = ("referrals_received", "referrals_returned", "cases_opened", "assessments_made",
            "plans_made", "replans_made", "closures", "suspensions")

    def __init__(self):
        super().__init__()
        self.by_agency: dict[int, Counter] = defaultdict(Counter)
        self.meetings: dict[int, Counter] = defaultdict(Counter)
        self.bodies: dict[int, Counter] = defaultdict(Counter)  # (body_id, name, basis) -> held
        self.agency_names: dict[str, str] = {}

    def apply(self, e) -> None:
        if isinstance(e, Case.ReferralJoined) and getattr(e, "from_case_id", None):
            return  # 統合: taken in (and counted) when its own case opened
        if isinstance(e, Case.Opened):
            self._referral(e.referral, self.add(e.opened_at, "cases_opened"))
        elif isinstance(e, Case.ReferralJoined):
            self._referral(e.referral, fiscal_year_of(e.joined_at))
        elif isinstance(e, Case.ReferralReturned):
            self.add(e.returned_at, "referrals_returned")
        elif isinstance(e, Assessment.Recorded) and e.revision == 1:
            self.add(e.assessed_on, "assessments_made")
        elif isinstance(e, SupportPlan.Approved):
            self.add(e.held_on, "plans_made" if e.version == 1 else "replans_made")
        elif isinstance(e, (MultiLayeredMeeting.Held, SupportMeeting.Held)):
            kind = "multi_layered" if isinstance(e, MultiLayeredMeeting.Held) else "support"
            self.meetings[fiscal_year_of(e.held_on)][kind] += 1
            body = getattr(e, "body", None) or {}
            self.bodies[fiscal_year_of(e.held_on)][(body.get("body_id"), body.get("name"), kind)] += 1
        elif isinstance(e, (Case.Closed, Case.Suspended)):
            self.add(e.ended_at, "closures" if isinstance(e, Case.Closed) else "suspensions")

    def _referral(self, referral: dict, fiscal_year: int) -> None:
        agency = referral["referring_agency"]
        self.agency_names[agency["agency_id"]] = agency["name"]
        self.counts[fiscal_year]["referrals_received"] += 1
        self.by_agency[fiscal_year][agency["agency_id"]] += 1

    def of(self, fiscal_year: int) -> dict:
        return {
            **super().of(fiscal_year),
            "referrals_by_agency": [
                {"agency_id": a, "name": self.agency_names[a], "count": n}
                for a, n in sorted(self.by_agency[fiscal_year].items())],
            "meetings_held": {kind: {"label": label, "count": self.meetings[fiscal_year][kind]}
                              for kind, label in MEETING_KINDS.items()},
            # 会議体ごと (the city's own bodies; body_id None: held without naming one)
            "meetings_by_body": [
                {"body_id": b, "name": name, "basis": basis, "basis_label": MEETING_KINDS[basis], "count": n}
                for (b, name, basis), n in sorted(self.bodies[fiscal_year].items(),
                                                  key=lambda i: (i[0][0] is None, i[0][0] or "", i[0][2]))],
        }
