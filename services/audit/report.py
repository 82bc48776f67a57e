"""支援経過報告書 — the replay as a printable Japanese HTML report for auditors.

Times are shown in Japan time with the offset (2026-11-20 09:30 +09:00), organisations by the
names the directory gives them, and the text in a Japanese font: the CSS names the usual CJK
fonts, and a font file named by KASANE_REPORT_FONT (never fetched) is embedded, so the report
renders on a machine without CJK fonts installed.
"""
from __future__ import annotations

import base64
import os
from html import escape
from pathlib import Path

from kasane.clock import in_japan, parse_time

FONT_STACK = ('"KasaneJP", "Noto Sans CJK JP", "Noto Sans JP", "Source Han Sans JP", '
              '"Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic", "Meiryo", '
              '"IPAexGothic", "TakaoGothic", sans-serif')
FONT_FORMATS = {".woff2": "woff2", ".woff": "woff", ".otf": "opentype", ".ttf": "truetype"}


def font_face(path: str | None = None) -> str:
    """@font-face for KasaneJP: the installed CJK fonts by name, and a given file embedded."""
    sources = [f'local("{n}")' for n in ("Noto Sans CJK JP", "Noto Sans JP", "Source Han Sans JP",
                                          "IPAexGothic")]
    font = Path(path or os.environ.get("KASANE_REPORT_FONT", ""))
    if font.suffix.lower() in FONT_FORMATS and font.is_file():
        data = base64.b64encode(font.read_bytes()).decode("ascii")
        sources.insert(0, f'url(data:font/{FONT_FORMATS[font.suffix.lower()]};base64,{data}) '
                          f'format("{FONT_FORMATS[font.suffix.lower()]}")')
    return f'@font-face {{ font-family: "KasaneJP"; src: {", ".join(sources)}; }}'


def japan_time(value: str | None) -> str | None:
    """An ISO moment as Japan's clocks show it, with the offset; anything else as given."""
    if not isinstance(value, str) or "T" not in value:
        return value
    try:
        return in_japan(parse_time(value)).strftime("%Y-%m-%d %H:%M:%S %z").replace("+0900", "+09:00")
    except ValueError:
        return value


def _shown(item: dict, names: dict) -> dict:
    shown = {k: japan_time(v) if k.endswith("_at") else v for k, v in item.items()}
    if shown.get("organisation"):
        shown["organisation"] = names.get(shown["organisation"], shown["organisation"])
    return shown


def _rows(items: list[dict], columns: list[tuple[str, str]]) -> str:
    head = "".join(f"<th>{escape(title)}</th>" for title, _ in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(_text(item.get(key)))}</td>" for _, key in columns) + "</tr>"
        for item in items)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _text(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return "、".join(_text(v) for v in value)
    return str(value)


def _style() -> str:
    return f"""
 {font_face()}
 body {{ font-family: {FONT_STACK}; margin: 2em; }}
 table {{ border-collapse: collapse; width: 100%; margin-bottom: 1.5em; font-size: 10pt; }}
 th, td {{ border: 1px solid #444; padding: 4px 6px; text-align: left; vertical-align: top; }}
 th {{ background: #eee; }} h1 {{ font-size: 16pt; }} h2 {{ font-size: 12pt; }}
 @media print {{ body {{ margin: 0; }} }}
"""


def render_html(history: dict, names: dict | None = None) -> str:
    """The report; `names` maps organisation ids to the directory's names."""
    names, state = names or {}, history["state"]
    consultations = [_shown({"id": k, **v}, names) for k, v in state["consultations"].items()]
    cases = [_shown({"id": k, **v}, names) for k, v in state["cases"].items()]
    consent = [_shown({"id": k, **v}, names) for k, v in state["consent"].items()]
    events = [_shown(e, names) for e in history["events"]]
    as_of = japan_time(history["as_of"]) or "現在"
    return f"""<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8">
<title>支援経過報告書 {escape(history['household_id'])}</title>
<style>{_style()}</style></head><body>
<h1>支援経過報告書（重層的支援体制整備事業）</h1>
<p>世帯ID: {escape(history['household_id'])}<br>時点: {escape(as_of)}<br>
記録件数: {len(events)} 件（全サービスの連携イベントより再構成）</p>
<h2>相談（包括的相談支援事業）</h2>
{_rows(consultations, [("相談ID", "id"), ("受付機関", "agency"), ("受付日時", "received_at"), ("状態", "status"), ("課題分類", "issue_categories"), ("つなぎ理由", "referral_reasons")])}
<h2>ケース（多機関協働事業）</h2>
{_rows(cases, [("ケースID", "id"), ("状態", "status"), ("開始日時", "opened_at"), ("紹介元機関", "referring_agencies")])}
<h2>本人同意</h2>
{_rows(consent, [("同意ID", "id"), ("状態", "status"), ("記録日時", "recorded_at"), ("撤回日時", "withdrawn_at")])}
<h2>経過（時系列）</h2>
{_rows(events, [("日時", "occurred_at"), ("出来事", "label"), ("事業", "service_label"), ("組織", "organisation"), ("インスタンス", "instance"), ("担当者", "caseworker_id"), ("記録位置", "position")])}
</body></html>
"""
