"""HTML to PDF with WeasyPrint; the Japanese glyphs come from Debian's Noto CJK fonts
(fonts-noto-cjk) and are embedded (subset) in every PDF. Nothing is fetched."""
from __future__ import annotations

from kasane.forms.model import household_view
from kasane.forms.sheets import SHEETS, page


def to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported on use: the renderer loads Pango at import

    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError("帳票は外部の資源を読み込みません")


def form_html(form: str, history: dict, reader: dict, names: dict | None = None) -> str:
    view = household_view(history, reader["organisation"], names)
    title, body = SHEETS[form](view)
    return page(title, view, body, reader)


def form_pdf(form: str, history: dict, reader: dict, names: dict | None = None) -> bytes:
    return to_pdf(form_html(form, history, reader, names))
