"""地域での取組 — the area work of seed 004 §5(3): 地域の実情アンケート (sent to 民生委員 and
事業所, returned, cases found), マッピング調査 with residents' organisations, アウトリーチ型相談所
(pop-up desks per daily-life area: day, place, visitors, consultations taken) and 追跡調査
(follow-ups of what those found, or of an outreach case: `case_id`, the case's id only). Each
is about an area, never a household; what a follow-up finds about a person becomes an outreach
case (a lead), not part of this record.
"""
from __future__ import annotations

from datetime import date

from eventsourcing.domain import Aggregate, event

from kasane_contracts.vocabulary import OUTREACH_AREA_WORK

from outreach.domain.rules import AreaWorkRuleViolation, check_codes

# The figures each kind records (all whole numbers ≥ 0).
FIGURES = {
    "survey": ("sent_to_minsei_iin", "sent_to_offices"),
    "mapping": ("sites",),
    "popup_desk": ("visitors", "consultations"),
    "follow_up": (),
}


class AreaWork(Aggregate):
    """One survey, mapping, pop-up desk or follow-up in one area."""

    @event("Recorded")
    def __init__(self, kind: str, area: str, held_on: date, figures: dict, worker_id: str,
                 partners: list, source_work_id: str | None, personal: dict,
                 case_id: str | None = None):
        self.kind, self.area, self.held_on, self.figures = kind, area, held_on, figures
        self.partners, self.source_work_id, self.case_id = partners, source_work_id, case_id
        self.returns: dict = {"returned": 0, "cases_found": 0}

    @classmethod
    def record(cls, *, kind: str, area: str, held_on: date, figures: dict, worker_id: str,
               partners: list | tuple = (), place: str | None = None, notes: str | None = None,
               source_work_id: str | None = None, case_id: str | None = None) -> "AreaWork":
        check_codes("kind", [kind], OUTREACH_AREA_WORK, AreaWorkRuleViolation)
        check_follow_up(kind, source_work_id, case_id)
        if not area:
            raise AreaWorkRuleViolation("area work names its daily-life area (日常生活圏域)")
        missing = [name for name in FIGURES[kind] if name not in figures]
        if missing:
            raise AreaWorkRuleViolation(f"a {OUTREACH_AREA_WORK[kind]} records {', '.join(missing)}")
        if any(not isinstance(v, int) or v < 0 for v in figures.values()):
            raise AreaWorkRuleViolation("figures are whole numbers, zero or more")
        if kind == "survey" and figures["sent_to_minsei_iin"] + figures["sent_to_offices"] == 0:
            raise AreaWorkRuleViolation("a survey is sent to at least one 民生委員 or 事業所")
        if kind == "mapping" and not partners:
            raise AreaWorkRuleViolation("a マッピング調査 is done with residents' organisations: name them")
        if kind == "popup_desk" and not place:
            raise AreaWorkRuleViolation("a pop-up desk (アウトリーチ型相談所) records its place")
        if kind == "popup_desk" and figures["consultations"] > figures["visitors"]:
            raise AreaWorkRuleViolation("consultations taken at a pop-up desk are at most its visitors")
        return cls(kind=kind, area=area, held_on=held_on,
                   figures={k: figures[k] for k in FIGURES[kind]}, worker_id=worker_id,
                   partners=list(partners), source_work_id=source_work_id, case_id=case_id,
                   # a place is not personal, but notes may describe residents
                   personal={"place": place, "notes": notes})

    def record_survey_returns(self, *, returned: int, cases_found: int, recorded_on: date) -> None:
        """アンケートの回収 — how many came back and how many cases they brought to light."""
        if self.kind != "survey":
            raise AreaWorkRuleViolation("returns are recorded on a survey")
        sent = self.figures["sent_to_minsei_iin"] + self.figures["sent_to_offices"]
        if not 0 <= returned <= sent or not 0 <= cases_found:
            raise AreaWorkRuleViolation("returns are between zero and the number sent")
        self._returns(returned=returned, cases_found=cases_found, recorded_on=recorded_on)

    @event("ReturnsRecorded")
    def _returns(self, returned: int, cases_found: int, recorded_on: date) -> None:
        self.returns = {"returned": returned, "cases_found": cases_found}


def check_follow_up(kind: str, source_work_id: str | None, case_id: str | None) -> None:
    """A 追跡調査 follows up a survey, mapping or pop-up desk, or an outreach case; nothing else
    names what it follows."""
    if kind == "follow_up" and not (source_work_id or case_id):
        raise AreaWorkRuleViolation("a 追跡調査 follows up a survey, mapping or pop-up desk, or an "
                                    "outreach case: name it (source_work_id or case_id)")
    if kind != "follow_up" and case_id:
        raise AreaWorkRuleViolation("only a 追跡調査 names the outreach case it follows")
