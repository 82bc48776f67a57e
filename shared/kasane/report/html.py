"""The progress report as one printable HTML page (A4, Japanese), charts as inline SVG."""
from __future__ import annotations

from html import escape

from kasane.report.dates import wareki_moment, wareki_month
from kasane.report.output import _number, _percent
from kasane.report.svg import achievement_chart, trend

STYLE = """
@page { size: A4 portrait; margin: 14mm 12mm; }
body { font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", sans-serif;
       font-size: 9pt; color: #111; }
h1 { font-size: 14pt; margin: 0 0 2mm; } h2 { font-size: 11pt; margin: 6mm 0 2mm;
     border-bottom: 1px solid #333; break-after: avoid; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #999; padding: 1mm 1.5mm; }
th { background: #eef; font-weight: normal; } td.n { text-align: right; white-space: nowrap; }
tr { break-inside: avoid; } section { break-inside: auto; } .chart { width: 100%; max-height: 90mm; }
.trend { width: 22mm; height: 6mm; } .meta, .how { color: #444; font-size: 8pt; }
"""


def to_html(report: dict) -> str:
    title = f"{report['city_name']} 重層的支援体制整備事業 進捗管理 {report['label']}"
    body = "".join(_line(line, report) for line in report["business_lines"])
    made = wareki_moment(report["made_at"])
    first, last = wareki_month(report["months"][0]), wareki_month(report["months"][-1])
    return (f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<style>{STYLE}</style></head><body><h1>{escape(title)}</h1>'
            f'<p class="meta">対象期間 {first}～{last}　作成 {made} 時点の記録による'
            f'（事業の記録から集計した行は、記録を読み直しても同じ値になります）</p>{body}</body></html>')


def _line(line: dict, report: dict) -> str:
    head = "<tr><th>項目</th><th>機関</th><th>目標</th><th>実績</th><th>達成率</th><th>月別推移（4月～3月）</th><th>集計方法</th></tr>"
    rows = "".join(_row(row) for row in line["rows"])
    instances = "、".join(line["instances"]) or "（なし）"
    return (f'<section><h2>{escape(line["label"])}</h2>{achievement_chart(line)}'
            f'<p class="meta">集計したインスタンス: {escape(instances)}</p>'
            f'<table>{head}{rows}</table>{_breakdowns(line)}</section>')


def _row(row: dict) -> str:
    unit = escape(row["unit"])
    return (f'<tr><td>{escape(row["metric"])}</td><td>{escape(row["agency_name"] or "市全体")}</td>'
            f'<td class="n">{row["target"]:,}{unit}</td><td class="n">{_number(row["actual"])}{unit if row["actual"] is not None else ""}</td>'
            f'<td class="n">{_percent(row["ratio"])}{"%" if row["ratio"] is not None else ""}</td>'
            f'<td>{trend(row["by_month"])}</td><td class="how">{_how(row)}</td></tr>')


def _how(row: dict) -> str:
    if row["kind"] == "counted":
        return "事業の記録から集計"
    entry = row.get("entry")
    if not entry:
        return f"手入力（未入力）: {escape(row['reason'])}"
    who = escape(entry["entered_by"].get("name", ""))
    return f"手入力: {who}　{wareki_moment(entry['entered_at'])}"


def _breakdowns(line: dict) -> str:
    parts = []
    for row in line["rows"]:
        if len(row["by_agency"]) > 1 or row["by_area"] or len(row["by_instance"]) > 1:
            agencies = "、".join(f'{escape(a["name"])} {a["n"]}' for a in row["by_agency"])
            areas = "、".join(f'{escape(a["area"])} {a["n"]}' for a in row["by_area"])
            instances = "、".join(f'{escape(i["instance"])} {i["n"]}' for i in row["by_instance"])
            parts.append(f'<li>{escape(row["metric"])}: 機関別 {agencies or "—"}／圏域別 {areas or "—"}'
                         f'／インスタンス別 {instances or "—"}</li>')
    return f'<ul class="meta">{"".join(parts)}</ul>' if parts else ""
