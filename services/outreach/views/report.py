"""進捗管理の集計 — what the city's progress report counts in アウトリーチ等 (kasane.report):
surveys sent, mapping sites, pop-up desks, follow-ups and outreach plans, by month."""
from __future__ import annotations

from kasane.report.tally import Count, MonthlyTally, attr

from outreach.domain.area import AreaWork
from outreach.domain.plan import OutreachPlan


def _kind(kind: str):
    return lambda e: e.kind == kind


COUNTS = [
    Count(AreaWork.Recorded, "surveys_sent", attr("held_on"), when=_kind("survey"),
          weight=lambda e: e.figures["sent_to_minsei_iin"] + e.figures["sent_to_offices"]),
    Count(AreaWork.Recorded, "mapping_sites", attr("held_on"), when=_kind("mapping"),
          weight=lambda e: e.figures["sites"]),
    Count(AreaWork.Recorded, "popup_desks", attr("held_on"), when=_kind("popup_desk")),
    Count(AreaWork.Recorded, "popup_desk_places", attr("held_on"), when=_kind("popup_desk"),
          distinct=lambda e: f'{e.area}\n{e.personal.get("place")}'),  # 箇所
    Count(AreaWork.Recorded, "follow_ups", attr("held_on"), when=_kind("follow_up")),
    Count(OutreachPlan.Made, "plans_made", attr("made_on")),
]


def report_tally() -> MonthlyTally:
    return MonthlyTally(COUNTS)
