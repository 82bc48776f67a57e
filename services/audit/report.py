"""支援経過報告書 — the replay as a printable Japanese HTML report for auditors."""
from __future__ import annotations

from html import escape


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


def render_html(history: dict) -> str:
    state = history["state"]
    consultations = [{"id": k, **v} for k, v in state["consultations"].items()]
    cases = [{"id": k, **v} for k, v in state["cases"].items()]
    consent = [{"id": k, **v} for k, v in state["consent"].items()]
    as_of = history["as_of"] or "現在"
    return f"""<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8">
<title>支援経過報告書 {escape(history['household_id'])}</title>
<style>
 body {{ font-family: "Noto Sans JP", "Hiragino Sans", sans-serif; margin: 2em; }}
 table {{ border-collapse: collapse; width: 100%; margin-bottom: 1.5em; font-size: 10pt; }}
 th, td {{ border: 1px solid #444; padding: 4px 6px; text-align: left; vertical-align: top; }}
 th {{ background: #eee; }} h1 {{ font-size: 16pt; }} h2 {{ font-size: 12pt; }}
 @media print {{ body {{ margin: 0; }} }}
</style></head><body>
<h1>支援経過報告書（重層的支援体制整備事業）</h1>
<p>世帯ID: {escape(history['household_id'])}<br>時点: {escape(as_of)}<br>
記録件数: {len(history['events'])} 件（全サービスの連携イベントより再構成）</p>
<h2>相談（包括的相談支援事業）</h2>
{_rows(consultations, [("相談ID", "id"), ("受付機関", "agency"), ("受付日時", "received_at"), ("状態", "status"), ("課題分類", "issue_categories"), ("つなぎ理由", "referral_reasons")])}
<h2>ケース（多機関協働事業）</h2>
{_rows(cases, [("ケースID", "id"), ("状態", "status"), ("開始日時", "opened_at"), ("紹介元機関", "referring_agencies")])}
<h2>本人同意</h2>
{_rows(consent, [("同意ID", "id"), ("状態", "status"), ("記録日時", "recorded_at"), ("撤回日時", "withdrawn_at")])}
<h2>経過（時系列）</h2>
{_rows(history['events'], [("日時", "occurred_at"), ("出来事", "label"), ("事業", "service_label"), ("組織", "organisation"), ("インスタンス", "instance"), ("担当者", "caseworker_id"), ("記録位置", "position")])}
</body></html>
"""
