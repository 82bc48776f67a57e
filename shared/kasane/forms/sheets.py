"""The sheets as HTML for the PDF renderer: one function per form, the identity block of the
インテーク・アセスメントシート carried over to every later sheet, dates in 和暦 with 西暦."""
from __future__ import annotations

from html import escape

from kasane.forms.model import IDENTITY_ITEMS, NOT_RECORDED, WITHHELD, category_labels
from kasane.report.dates import wareki_date, wareki_moment
from kasane_contracts.vocabulary import ISSUE_CATEGORIES

STYLE = """
@page { size: A4 portrait; margin: 12mm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
html { font-family: "Noto Sans CJK JP", "Noto Sans JP", sans-serif; font-size: 9.5pt; }
h1 { font-size: 14pt; text-align: center; margin: 0 0 3mm; font-weight: normal; }
h2 { font-size: 10.5pt; margin: 4mm 0 1mm; font-weight: normal; border-bottom: 1px solid #444; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #444; padding: 1mm 2mm; text-align: left; }
th { background: #eee; width: 28mm; font-weight: normal; } .meta { font-size: 8pt; color: #333; }
.withheld { color: #a00; } .box { display: inline-block; margin-right: 4mm; }
"""


def page(title: str, view: dict, body: str, reader: dict) -> str:
    as_of = wareki_date(view["as_of"]) if view["as_of"] else "最新"
    return (f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<style>{STYLE}</style></head><body><h1>{escape(title)}</h1>'
            f'<p class="meta">記録時点: {as_of}　出力者: {escape(reader["name"])}（{escape(reader["organisation"])}）'
            f'　この帳票は事業の記録（監査台帳）から作成しました。</p>{identity(view)}{body}</body></html>')


def identity(view: dict) -> str:
    cells = "".join(f"<tr><th>{k}</th><td>{_value(view['identity'][k])}</td></tr>" for k in IDENTITY_ITEMS)
    return f"<h2>基本情報</h2><table>{cells}</table>"


def _value(text) -> str:
    if text == WITHHELD:
        return f'<span class="withheld">{WITHHELD}</span>'
    if isinstance(text, str) and len(text) == 10 and text[4] == "-":
        return wareki_date(text)
    return escape(str(text if text is not None else NOT_RECORDED))


def check(on: bool, text: str) -> str:
    return f'<span class="box">{"■" if on else "□"} {escape(text)}</span>'


def intake(view: dict) -> tuple[str, str]:
    consent = view["consent"]
    title = "相談受付・申込票（本人同意あり）" if consent["given"] else "相談受付・申込票（本人同意なし）"
    rows = "".join(f"<tr><td>{wareki_moment(c['received_at'])}</td><td>{escape(c['agency'])}</td>"
                   f"<td>{escape(c['channel'] or '')}</td><td>{escape(c['consulted_by'] or '')}</td>"
                   f"<td>{escape('、'.join(category_labels(c['categories'])) or NOT_RECORDED)}</td></tr>"
                   for c in view["consultations"])
    agreed = (f"本人同意: あり（{wareki_moment(consent['at'])}）" if consent["given"] else
              "本人同意: なし（関係機関への情報提供は行いません）" + ("　※撤回済" if consent["withdrawn"] else ""))
    body = (f"<h2>受付</h2><table><tr><th>受付日時</th><th>受付機関</th><th>相談経路</th><th>相談者</th>"
            f"<th>相談内容</th></tr>{rows or '<tr><td colspan=5>' + NOT_RECORDED + '</td></tr>'}</table>"
            f"<h2>同意</h2><p>{agreed}</p><h2>相談の概要</h2><p>{_summary(view)}</p>")
    return title, body


def _summary(view: dict) -> str:
    if view["withheld"]:
        return f'<span class="withheld">{WITHHELD}</span>'
    return escape(view["summary"] or NOT_RECORDED)


def assessment(view: dict) -> tuple[str, str]:
    seen = {c for x in view["consultations"] + view["referrals"] for c in x["categories"]}
    boxes = "".join(check(code in seen, text) for code, text in ISSUE_CATEGORIES.items())
    persons = "".join(f"<tr><td>{escape(p.get('relation_label') or '')}</td><td>{_value(p.get('name'))}</td>"
                      f"<td>{_value(p.get('kana'))}</td><td>{_value(p.get('birth_date'))}</td></tr>"
                      for p in view["persons"])
    if view["withheld"]:
        persons = f'<tr><td colspan=4 class="withheld">{WITHHELD}</td></tr>'
    reasons = "、".join(r for ref in view["referrals"] for r in ref["reasons"]) or NOT_RECORDED
    body = (f"<h2>世帯構成</h2><table><tr><th>続柄</th><th>氏名</th><th>ふりがな</th><th>生年月日</th></tr>"
            f"{persons or '<tr><td colspan=4>' + NOT_RECORDED + '</td></tr>'}</table>"
            f"<h2>世帯の課題 ※国への報告事項</h2><p>{boxes}</p>"
            f"<h2>多機関協働へつないだ理由</h2><p>{escape(reasons)}</p>")
    return "インテーク・アセスメントシート", body


def plan(view: dict) -> tuple[str, str]:
    current = view["plans"][-1] if view["plans"] else None
    if current is None:
        return "プランシート（多機関協働事業 プラン兼利用申込書）", f"<p>{NOT_RECORDED}（決定された支援プランはありません）</p>"
    roles = "".join(f"<tr><td>{escape(r['agency'])}</td><td>{escape(r['service'])}</td>"
                    f"<td>{wareki_date(r['starts_on'])}</td></tr>" for r in current["roles"])
    body = (f"<h2>プラン（第{current['version']}版）</h2><p>決定日（重層的支援会議）: {wareki_date(current['approved_on'])}</p>"
            f"<h2>利用申込（確認項目）</h2><p>{check(current['participation'], '参加支援事業')}"
            f"{check(current['outreach'], 'アウトリーチ等を通じた継続的支援事業')}</p>"
            f"<h2>役割分担</h2><table><tr><th>機関</th><th>事業</th><th>開始日</th></tr>{roles}</table>"
            f"<h2>モニタリング時期</h2><p>{'、'.join(wareki_date(d) for d in current['monitoring_dates']) or NOT_RECORDED}</p>")
    return "プランシート（多機関協働事業 プラン兼利用申込書）", body


def progress(view: dict) -> tuple[str, str]:
    rows = "".join(f"<tr><td>{wareki_moment(e['occurred_at'])}</td><td>{escape(e['label'])}</td>"
                   f"<td>{escape(e['service_label'] or '')}</td><td>{escape(e.get('organisation_name') or e['organisation'])}</td>"
                   f"<td>{escape(e.get('caseworker_id') or '')}</td></tr>" for e in view["events"])
    meetings = "".join(f"<li>{wareki_moment(m['at'])} 支援会議: "
                       f"{_value(m['decision']) if not m['member'] else escape(str(m['decision']))}</li>"
                       for m in view["support_meetings"])
    body = (f"<h2>支援経過</h2><table><tr><th>日時</th><th>経過</th><th>事業</th><th>機関</th><th>担当</th></tr>"
            f"{rows}</table>" + (f"<h2>支援会議（法106条の6）</h2><ul>{meetings}</ul>" if meetings else ""))
    return "支援経過記録シート", body


def evaluation(view: dict) -> tuple[str, str]:
    case: dict = next(iter(view["state"].get("cases", {}).values()), {})
    status = case.get("status", NOT_RECORDED)
    rows = (f"<tr><th>ケースの状態</th><td>{escape(status)}</td></tr>"
            f"<tr><th>終結日</th><td>{wareki_moment(case['closed_at']) if case.get('closed_at') else NOT_RECORDED}</td></tr>"
            f"<tr><th>目標の達成</th><td>{escape(case.get('goals_met') or NOT_RECORDED)}</td></tr>"
            f"<tr><th>フォローアップ</th><td>{'必要' if case.get('follow_up_needed') else '不要' if 'follow_up_needed' in case else NOT_RECORDED}</td></tr>"
            f"<tr><th>中断の理由</th><td>{escape(case.get('reason') or '—')}</td></tr>")
    return "評価シート", f"<h2>評価（重層的支援会議）</h2><table>{rows}</table>"


SHEETS = {"intake": intake, "assessment": assessment, "plan": plan, "progress": progress,
          "evaluation": evaluation}
