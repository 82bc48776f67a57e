"""The report as CSV (UTF-8 with BOM, so that Excel opens it in Japanese) and as JSON."""
from __future__ import annotations

import csv
import io
import json

from kasane.report.dates import wareki_month, wareki_moment

HEADER = ["事業", "項目ID", "項目", "機関", "目標", "実績", "単位", "達成率(%)", "集計方法",
          "入力者", "入力日時"]


def to_json(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def to_csv(report: dict) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([f"{report['city_name']} 重層的支援体制整備事業 進捗管理 {report['label']}",
                     f"作成 {wareki_moment(report['made_at'])}"])
    writer.writerow(HEADER + [wareki_month(m) for m in report["months"]])
    for line in report["business_lines"]:
        for row in line["rows"]:
            writer.writerow(_cells(line, row) + (row["by_month"] or [""] * 12))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cells(line: dict, row: dict) -> list:
    entry = row.get("entry") or {}
    how = "事業の記録から集計" if row["kind"] == "counted" else f"手入力（{row['reason']}）"
    return [line["label"], row["kpi_id"], row["metric"], row["agency_name"] or "", row["target"],
            _number(row["actual"]), row["unit"], _percent(row["ratio"]), how,
            (entry.get("entered_by") or {}).get("name", ""),
            wareki_moment(entry["entered_at"]) if entry else ""]


def _number(value) -> str:
    if value is None:
        return "未入力"
    return str(int(value)) if float(value).is_integer() else str(value)


def _percent(ratio) -> str:
    return "" if ratio is None else f"{ratio * 100:.1f}"
