"""支援ケース一覧 — an agency's open cases as one printable sheet (no personal details: the
rows carry the household's pseudonymous id, what and since when)."""
from __future__ import annotations

from html import escape

from kasane.forms.sheets import STYLE
from kasane.report.dates import wareki_date, wareki_moment


def case_list_html(agency: dict, rows: list[dict], reader: dict, made_at: str) -> str:
    body = "".join(f"<tr><td>{i}</td><td>{escape(r['household_id'])}</td><td>{escape(r['what'])}</td>"
                   f"<td>{_when(r['since'])}</td><td>{escape(r.get('status') or '')}</td>"
                   f"<td>{escape(r.get('caseworker') or '')}</td></tr>" for i, r in enumerate(rows, 1))
    return (f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>支援ケース一覧</title>'
            f'<style>{STYLE}</style></head><body><h1>支援ケース一覧</h1>'
            f'<p class="meta">機関: {escape(agency["name"])}　作成: {wareki_moment(made_at)}　'
            f'出力者: {escape(reader["name"])}（{escape(reader["organisation"])}）　件数: {len(rows)}件</p>'
            f'<table><tr><th>No.</th><th>世帯ID</th><th>内容</th><th>開始</th><th>状態</th><th>担当</th></tr>'
            f'{body or "<tr><td colspan=6>該当なし</td></tr>"}</table></body></html>')


def _when(value: str | None) -> str:
    if not value:
        return ""
    return wareki_moment(value) if "T" in value else wareki_date(value)


def consultation_rows(found: dict) -> list[dict]:
    return [{"household_id": c["household_id"], "what": "、".join(c.get("issue_category_labels", [])) or "相談",
             "since": c["received_at"], "status": c.get("status_label"), "caseworker": c.get("caseworker_id")}
            for c in found.get("consultations", [])]


def collaboration_rows(found: dict) -> list[dict]:
    return [{"household_id": c["household_id"], "what": "多機関協働",
             "since": c.get("opened_at"), "status": c.get("status_label") or c.get("status"),
             "caseworker": c.get("caseworker_id")}
            for c in found.get("cases", [])]
