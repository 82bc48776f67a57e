"""相談件数 — consultations per fiscal year (年度), new (新規) and total (延べ), per agency,
channel and issue category: the numbers of the seeds' KPI tables (seed 004 §5(1): e.g.
地域包括支援センター 新規 5,000 件 (延 9,000 件) in R7; 003 ch.2-1 likewise).

新規 counts intake sheets received in the year; 延べ counts every contact in the year — the
intake itself and each further contact (継続相談). A household handed back by 多機関協働
(つなぎ戻し) is not a new consultation: its intake counts in 延べ only. A consultation with several categories
counts once under each. The day is the desk's day in Japan time (kasane.fiscal_year).
"""
from __future__ import annotations

from collections import Counter

from kasane.fiscal_year import fiscal_year_bounds, fiscal_year_label, fiscal_year_of
from kasane_contracts.vocabulary import CHANNELS, ISSUE_CATEGORIES, label

from consultation.domain.consultation import Consultation
from consultation.views.report import is_new

NEW, CONTACT = "new", "contact"


class FiscalYearCounts:
    def __init__(self):
        self.contacts: list[dict] = []  # one row per counted contact (the intake is one)
        self.agency_names: dict[str, str] = {}

    def apply(self, e) -> None:
        if isinstance(e, Consultation.Received):
            self._count(NEW if is_new(e) else CONTACT, e.agency, e.received_at, e.channel,
                        e.issue_categories, area_of(e))
        elif isinstance(e, Consultation.ContactRecorded):
            self._count(CONTACT, e.agency, e.contacted_at, e.channel, e.issue_categories, area_of(e))

    def _count(self, kind, agency, moment, channel, categories, area) -> None:
        self.agency_names[agency["agency_id"]] = agency["name"]
        self.contacts.append({"kind": kind, "fiscal_year": fiscal_year_of(moment),
                              "agency_id": agency["agency_id"], "channel": channel,
                              "categories": list(categories), "area": area})

    def of(self, fiscal_year: int, agency_id: str | None = None, area: str | None = None) -> dict:
        """The year's counts, of one agency and/or one area (日常生活圏域) if named."""
        rows = [r for r in self.contacts if r["fiscal_year"] == fiscal_year
                and (agency_id is None or r["agency_id"] == agency_id)
                and (area is None or r["area"] == area)]
        start, end = fiscal_year_bounds(fiscal_year)
        agencies = sorted({r["agency_id"] for r in rows})
        return {
            "fiscal_year": fiscal_year, "label": fiscal_year_label(fiscal_year),
            "period": {"from": start.date().isoformat(), "to": end.date().replace(day=31, month=3).isoformat()},
            **_tally(rows),
            "by_channel": _by(rows, lambda r: [r["channel"]], CHANNELS, "channel"),
            "by_category": _by(rows, lambda r: r["categories"], ISSUE_CATEGORIES, "category"),
            "by_agency": [{
                "agency_id": a, "name": self.agency_names[a],
                **_tally(mine := [r for r in rows if r["agency_id"] == a]),
                "by_channel": _by(mine, lambda r: [r["channel"]], CHANNELS, "channel"),
                "by_category": _by(mine, lambda r: r["categories"], ISSUE_CATEGORIES, "category"),
            } for a in agencies],
            "by_area": [{"area": a, **_tally([r for r in rows if r["area"] == a])}
                        for a in sorted({r["area"] for r in rows}, key=lambda a: (a is None, a or ""))],
        }


def area_of(e) -> str | None:
    """日常生活圏域 of a counted event (None: not recorded, as before areas were kept)."""
    return getattr(e, "area", None)


def _tally(rows: list) -> dict:
    return {"new": sum(r["kind"] == NEW for r in rows), "total": len(rows)}


def _by(rows: list, keys_of, vocabulary: dict, name: str) -> list:
    """One line per code that occurs, in the vocabulary's order, with its 日本語 label."""
    new, total = Counter(), Counter()
    for row in rows:
        for key in keys_of(row):
            total[key] += 1
            new[key] += row["kind"] == NEW
    return [{name: code, "label": label(vocabulary, code), "new": new[code], "total": total[code]}
            for code in vocabulary if total[code]]
