"""The progress report of one fiscal year: every KPI row of the city's profile with its actual
(summed over every instance of its business line, or entered by hand), target, ratio, the
trend by month (April to March) and the breakdown by agency, area and instance."""
from __future__ import annotations

from collections import Counter
from datetime import datetime

from kasane.clock import utc_iso
from kasane.fiscal_year import fiscal_year_label
from kasane.report.rows import Counted, agency_matches, source_of
from kasane.report.tally import CITY_WIDE
from kasane_contracts.vocabulary import BUSINESS_LINES

COUNTED, MANUAL = "counted", "manual"


def months_of(fiscal_year: int) -> list[str]:
    """The twelve months of the fiscal year as YYYY-MM, April first."""
    return [f"{fiscal_year + (m < 4)}-{m:02d}" for m in (*range(4, 13), 1, 2, 3)]


def build_report(profile, fiscal_year: int, sources: list[dict], entries: list[dict],
                 made_at: datetime) -> dict:
    """`sources`: each instance's `report_counts` answer with its `service`; `entries`: the
    hand-entered actuals (directory `kpi_actuals`)."""
    agencies = {a["id"]: a for a in profile.agencies}
    manual = {e["kpi_id"]: e for e in entries}
    targets = [k for k in profile.kpi_targets if k["fiscal_year"] == fiscal_year]
    lines = []
    for line, label in BUSINESS_LINES.items():
        mine = [s for s in sources if s["service"] == line]
        rows = [_row(k, mine, agencies, manual, fiscal_year) for k in targets if k["business_line"] == line]
        if rows:
            lines.append({"business_line": line, "label": label, "rows": rows,
                          "instances": sorted(s["instance"] for s in mine)})
    return {"city": profile.city_id, "city_name": profile.city.get("日本語名", profile.city_id),
            "fiscal_year": fiscal_year, "label": fiscal_year_label(fiscal_year),
            "months": months_of(fiscal_year), "made_at": utc_iso(made_at),
            "as_of": {s["instance"]: s.get("position") for s in sources}, "business_lines": lines}


def _row(kpi: dict, sources: list[dict], agencies: dict, manual: dict, fiscal_year: int) -> dict:
    spec = source_of(kpi)
    row = {"kpi_id": kpi["id"], "metric": kpi["metric"], "unit": kpi["unit"], "target": kpi["target"],
           "agency": kpi["agency"], "agency_name": _name(agencies, kpi["agency"]), "note": kpi.get("note")}
    if isinstance(spec, Counted):
        row.update(kind=COUNTED, counter=spec.counter,
                   **_counted(spec, kpi, sources, agencies, fiscal_year))
    else:
        entry = manual.get(kpi["id"])
        row.update(kind=MANUAL, reason=spec.reason, entry=entry,
                   actual=entry["value"] if entry else None, by_month=None,
                   by_agency=[], by_area=[], by_instance=[])
    row["ratio"] = (row["actual"] / kpi["target"]) if row["actual"] is not None and kpi["target"] else None
    return row


def _counted(spec: Counted, kpi: dict, sources: list[dict], agencies: dict, fiscal_year: int) -> dict:
    months, by_agency, by_area, by_instance, total = Counter[str](), Counter[str](), Counter[str](), Counter[str](), 0
    for source in sources:
        counter = source["counters"].get(spec.counter, {"cells": []})
        for cell in counter["cells"]:
            if not agency_matches(spec, kpi["agency"], cell["agency"]):
                continue
            total += cell["n"]
            months[cell["month"]] += cell["n"]
            by_instance[source["instance"]] += cell["n"]
            if cell["agency"] != CITY_WIDE:
                by_agency[cell["agency"]] += cell["n"]
            area = cell["area"] if cell["area"] != CITY_WIDE else agencies.get(cell["agency"], {}).get("area")
            if area and area != CITY_WIDE:
                by_area[area] += cell["n"]
    return {"actual": total, "by_month": [months[m] for m in months_of(fiscal_year)],
            "carried_over": months["before"],
            "by_agency": [{"agency": a, "name": _name(agencies, a), "n": n} for a, n in sorted(by_agency.items())],
            "by_area": [{"area": a, "n": n} for a, n in sorted(by_area.items())],
            "by_instance": [{"instance": i, "n": n} for i, n in sorted(by_instance.items())]}


def _name(agencies: dict, agency_id: str | None) -> str | None:
    if agency_id is None:
        return None
    return agencies.get(agency_id, {}).get("name", agency_id)
