"""Charts drawn by the project as inline SVG (nothing fetched, nothing scripted): a business
line's 達成率 per KPI row, and a row's trend by month (April to March)."""
from __future__ import annotations

from html import escape

BAR_H, LABEL_W, CHART_W = 18, 300, 400


def achievement_chart(line: dict) -> str:
    """Horizontal bars of actual ÷ target per row, with the 100 % line; rows without a value
    are drawn as 未入力."""
    rows = line["rows"]
    repeated = {m for m in (r["metric"] for r in rows) if sum(r["metric"] == m for r in rows) > 1}
    height = BAR_H * len(rows) + 24
    scale = CHART_W / 1.5  # up to 150 %
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'aria-label="{escape(line["label"])} 達成率" viewBox="0 0 {LABEL_W + CHART_W + 60} {height}">']
    for i, row in enumerate(rows):
        y = 4 + i * BAR_H
        parts.append(f'<text x="{LABEL_W - 4}" y="{y + 12}" text-anchor="end" font-size="9">'
                     f'{escape(_short(_label(row, repeated)))}</text>')
        if row["ratio"] is None:
            parts.append(f'<text x="{LABEL_W + 4}" y="{y + 12}" font-size="9" fill="#666">未入力</text>')
            continue
        width = min(row["ratio"], 1.5) * scale
        colour = "#1a6dcc" if row["kind"] == "counted" else "#8a5cc2"
        parts.append(f'<rect x="{LABEL_W}" y="{y + 2}" width="{width:.1f}" height="{BAR_H - 6}" fill="{colour}"/>')
        parts.append(f'<text x="{LABEL_W + width + 4:.1f}" y="{y + 12}" font-size="9">{row["ratio"] * 100:.0f}%</text>')
    x100 = LABEL_W + scale
    parts.append(f'<line x1="{x100:.1f}" y1="0" x2="{x100:.1f}" y2="{height - 18}" stroke="#c00" '
                 f'stroke-dasharray="3,2"/><text x="{x100:.1f}" y="{height - 6}" font-size="9" '
                 f'text-anchor="middle">100%</text></svg>')
    return "".join(parts)


def trend(by_month: list[int] | None) -> str:
    """Twelve small bars, April to March."""
    if not by_month:
        return ""
    top = max(max(by_month), 1)
    bars = "".join(f'<rect x="{i * 7}" y="{20 - 20 * n / top:.1f}" width="5" height="{20 * n / top:.1f}" '
                   f'fill="#1a6dcc"/>' for i, n in enumerate(by_month))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="trend" viewBox="0 0 84 21" '
            f'role="img" aria-label="月別推移">{bars}<line x1="0" y1="20.5" x2="84" y2="20.5" stroke="#999" '
            f'stroke-width="0.5"/></svg>')


def _label(row: dict, repeated: set) -> str:
    """The metric, after its agency where several rows share it (新規相談件数 of each desk)."""
    if row["metric"] in repeated and row.get("agency_name"):
        return f"{row['agency_name']}・{row['metric']}"
    return row["metric"]


def _short(text: str, limit: int = 31) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
