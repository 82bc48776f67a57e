"""年度別件数 — the fiscal-year counts of seed 004 §5(3) (FY R7 targets: 地域の実情アンケート 343件
(民生委員 277名, 事業所 66か所), マッピング調査 9か所, アウトリーチ型相談所 17か所, 追跡調査 60件,
アウトリーチ等事業プラン 10件), plus leads taken and persons connected. Each is counted on its
own day in Japan time. Pop-up desks are counted per place too (箇所: 17か所 is places, not
days), a place once a year however often it opened."""
from __future__ import annotations

from collections import defaultdict

from kasane.fiscal_year import fiscal_year_of
from kasane.yearly_counts import YearlyCounts

from outreach.domain.area import AreaWork
from outreach.domain.case import OutreachCase
from outreach.domain.plan import OutreachPlan


class FiscalYearCounts(YearlyCounts):
    KEYS = ("surveys_sent", "surveys_to_minsei_iin", "surveys_to_offices", "survey_returns",
            "survey_cases_found", "mapping_sites", "popup_desks", "popup_desk_places", "popup_visitors",
            "popup_consultations", "follow_ups", "plans_made", "leads_taken", "consents_obtained",
            "connections")

    def __init__(self):
        super().__init__()
        self.survey_year: dict = {}  # survey id -> the fiscal year it was sent in
        self.popup_places: dict[int, set] = defaultdict(set)  # fiscal year -> (area, place)

    def apply(self, e) -> None:
        if isinstance(e, AreaWork.Recorded):
            self._area_work(e)
        elif isinstance(e, AreaWork.ReturnsRecorded):
            # Returns count in the survey's year; a correction replaces the earlier figures.
            year = self.survey_year[e.originator_id]
            before = self.survey_year.get((e.originator_id, "returns"), (0, 0))
            self.counts[year]["survey_returns"] += e.returned - before[0]
            self.counts[year]["survey_cases_found"] += e.cases_found - before[1]
            self.survey_year[(e.originator_id, "returns")] = (e.returned, e.cases_found)
        elif isinstance(e, OutreachPlan.Made):
            self.add(e.made_on, "plans_made")
        elif isinstance(e, OutreachCase.LeadTaken):
            self.add(e.taken_at, "leads_taken")
        elif isinstance(e, OutreachCase.ConsentObtained):
            self.add(e.given_at, "consents_obtained")
        elif isinstance(e, OutreachCase.Connected):
            self.add(e.connected_at, "connections")
        elif isinstance(e, OutreachCase.HandedOver):
            self.add(e.handed_over_at, "connections")

    def _area_work(self, e) -> None:
        counts, f = self.counts[fiscal_year_of(e.held_on)], e.figures
        if e.kind == "survey":
            self.survey_year[e.originator_id] = fiscal_year_of(e.held_on)
            counts["surveys_to_minsei_iin"] += f["sent_to_minsei_iin"]
            counts["surveys_to_offices"] += f["sent_to_offices"]
            counts["surveys_sent"] += f["sent_to_minsei_iin"] + f["sent_to_offices"]
        elif e.kind == "mapping":
            counts["mapping_sites"] += f["sites"]
        elif e.kind == "popup_desk":
            counts["popup_desks"] += 1
            places = self.popup_places[fiscal_year_of(e.held_on)]
            places.add((e.area, e.personal.get("place")))
            counts["popup_desk_places"] = len(places)
            counts["popup_visitors"] += f["visitors"]
            counts["popup_consultations"] += f["consultations"]
        elif e.kind == "follow_up":
            counts["follow_ups"] += 1
