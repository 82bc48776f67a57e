"""年度別実績 — the fiscal-year counts of 地域づくり事業, the rows of seed
004_80d15c30c045b89b.txt §5(2) (伊勢市 R7 目標数): 市民・地域からの相談件数 (市民/団体等),
企業等からの相談件数, 市民と地域活動とのマッチング件数, 地域と企業等とのマッチング件数 新規/延,
ボランティア入門講座 回数/延参加者, 交流できる居場所の来所者数, 地域福祉活動数 団体/延回数 —
plus つなぐシート and 地域課題シート and the development targets.

Each is counted on its own day in Japan time. A recounted session replaces its earlier count
(the event carries the previous number), so visitors are never counted twice.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from kasane.fiscal_year import fiscal_year_of
from kasane.yearly_counts import YearlyCounts
from kasane_contracts.vocabulary import PLACE_KINDS, TRAINING_KINDS, label

from community.domain.area_issue import AreaIssueSheet
from community.domain.development_target import DevelopmentTarget
from community.domain.engagement import CommunityConsultation, Matching, Training
from community.domain.place import Place
from community.domain.tsunagu_sheet import TsunaguSheet


class FiscalYearCounts(YearlyCounts):
    KEYS = ("consultations_from_residents", "consultations_from_groups",
            "consultations_from_companies", "resident_matchings", "company_matchings_new",
            "company_matchings_total", "trainings_held", "training_attendees", "visitors",
            "activities_held", "tsunagu_sheets_written", "tsunagu_sheets_sent",
            "area_issues_recorded", "area_issues_resolved", "targets_set", "targets_developed")

    def __init__(self):
        super().__init__()
        self.visitors_by_place: dict[int, Counter] = defaultdict(Counter)
        self.activities_by_place: dict[int, Counter] = defaultdict(Counter)
        self.groups_by_place: dict[int, dict] = defaultdict(lambda: defaultdict(set))
        self.companies_seen: set[str] = set()
        self.trainings_by_kind: dict[int, dict] = defaultdict(lambda: defaultdict(Counter))
        self.visitors_by_kind: dict[int, Counter] = defaultdict(Counter)
        self.place_kinds: dict[str, str] = {}  # for counts recorded before they carried the kind
        # つなぐシート per area (日常生活圏域): written, and sent under consent
        self.sheets_by_area: dict[int, dict] = defaultdict(lambda: defaultdict(Counter))
        self.sheet_areas: dict[str, str | None] = {}

    def apply(self, e) -> None:
        handler = _HANDLERS.get(type(e))
        if handler:
            handler(self, e)

    def _consultation(self, e) -> None:
        key = {"resident": "consultations_from_residents", "group": "consultations_from_groups",
               "company": "consultations_from_companies"}[e.consulted_by]
        self.add(e.received_on, key)

    def _matching(self, e) -> None:
        year = self.counts[fiscal_year_of(e.matched_on)]
        if e.kind == "resident_activity":
            year["resident_matchings"] += 1
            return
        year["company_matchings_total"] += 1
        if e.partner_id not in self.companies_seen:  # 新規: the company's first matching ever
            self.companies_seen.add(e.partner_id)
            year["company_matchings_new"] += 1

    def _training(self, e) -> None:
        year = self.counts[fiscal_year_of(e.held_on)]
        year["trainings_held"] += 1
        year["training_attendees"] += e.attendees
        kind = self.trainings_by_kind[fiscal_year_of(e.held_on)][getattr(e, "kind", "other")]
        kind["held"] += 1
        kind["attendees"] += e.attendees

    def _visitors(self, e) -> None:
        fy = fiscal_year_of(e.counted_on)
        change = e.visitors - e.previous
        self.counts[fy]["visitors"] += change
        self.visitors_by_place[fy][str(e.originator_id)] += change
        kind = getattr(e, "place_kind", None) or self.place_kinds.get(str(e.originator_id))
        self.visitors_by_kind[fy][kind] += change

    def _place(self, e) -> None:
        self.place_kinds[str(e.originator_id)] = e.kind

    def _activity(self, e) -> None:
        fy = fiscal_year_of(e.held_on)
        self.counts[fy]["activities_held"] += 1
        self.activities_by_place[fy][str(e.originator_id)] += 1
        self.groups_by_place[fy][str(e.originator_id)].add(e.group)

    def _sheet_written(self, e) -> None:
        fy, area = fiscal_year_of(e.written_at), getattr(e, "area", None)
        self.sheet_areas[str(e.originator_id)] = area
        self.counts[fy]["tsunagu_sheets_written"] += 1
        self.sheets_by_area[fy][area]["written"] += 1

    def _sheet_sent(self, e) -> None:
        fy = fiscal_year_of(e.sent_at)
        self.counts[fy]["tsunagu_sheets_sent"] += 1
        self.sheets_by_area[fy][self.sheet_areas.get(str(e.originator_id))]["sent"] += 1

    def _handled(self, e) -> None:
        if e.status == "resolved":
            self.add(e.handled_on, "area_issues_resolved")

    def _progressed(self, e) -> None:
        if e.status == "developed":
            self.add(e.on, "targets_developed")

    def of(self, fiscal_year: int) -> dict:
        places = set(self.visitors_by_place[fiscal_year]) | set(self.activities_by_place[fiscal_year])
        return {
            **super().of(fiscal_year),
            "groups_active": len(set().union(*self.groups_by_place[fiscal_year].values())),
            "by_place": [{"place_id": p, "visitors": self.visitors_by_place[fiscal_year][p],
                          "activities_held": self.activities_by_place[fiscal_year][p],
                          "groups": len(self.groups_by_place[fiscal_year][p])}
                         for p in sorted(places)],
            "trainings_by_kind": [
                {"kind": k, "label": label(TRAINING_KINDS, k), **self.trainings_by_kind[fiscal_year][k]}
                for k in TRAINING_KINDS if k in self.trainings_by_kind[fiscal_year]],
            "visitors_by_kind": [
                {"kind": k, "label": label(PLACE_KINDS, k), "visitors": self.visitors_by_kind[fiscal_year][k]}
                for k in PLACE_KINDS if k in self.visitors_by_kind[fiscal_year]],
            "tsunagu_sheets_by_area": [
                {"area": area, "written": n["written"], "sent": n["sent"]}
                for area, n in sorted(self.sheets_by_area[fiscal_year].items(), key=lambda i: i[0] or "")],
        }


def _by_day(key: str, attribute: str):
    """A counter of one event per fiscal year of its day."""
    def count(counts: FiscalYearCounts, e) -> None:
        counts.add(getattr(e, attribute), key)
    return count


_HANDLERS = {
    CommunityConsultation.Received: FiscalYearCounts._consultation,
    Matching.Made: FiscalYearCounts._matching,
    Training.Held: FiscalYearCounts._training,
    Place.VisitorsCounted: FiscalYearCounts._visitors,
    Place.Registered: FiscalYearCounts._place,
    Place.ActivityHeld: FiscalYearCounts._activity,
    TsunaguSheet.Written: FiscalYearCounts._sheet_written,
    TsunaguSheet.Sent: FiscalYearCounts._sheet_sent,
    AreaIssueSheet.Recorded: _by_day("area_issues_recorded", "recorded_on"),
    AreaIssueSheet.Handled: FiscalYearCounts._handled,
    DevelopmentTarget.Set: _by_day("targets_set", "found_on"),
    DevelopmentTarget.Progressed: FiscalYearCounts._progressed,
}
