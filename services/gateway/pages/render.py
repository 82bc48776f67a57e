"""画面の描画 — one Jinja2 environment (autoescape on for every template), the filters the pages
share (和暦 with 西暦, labels for codes), and the HTML responses."""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from werkzeug.wrappers import Response

from kasane import vocabulary
from kasane.report.dates import wareki_date, wareki_moment

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
STATIC = Path(__file__).resolve().parent.parent / "static"
WITHHELD = "本人同意の範囲外のため表示しません"

# No selective autoescape: every template is HTML, and everything typed is shown as text.
environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                          undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
environment.filters["wareki"] = lambda day: wareki_date(day) if day else ""
environment.filters["wareki_moment"] = lambda moment: wareki_moment(moment) if moment else ""
environment.globals.update(vocabulary=vocabulary, WITHHELD=WITHHELD)


def label(vocabulary_name: str, code) -> str:
    """The Japanese label of a code in one of kasane.vocabulary's lists (the code if unknown)."""
    return getattr(vocabulary, vocabulary_name, {}).get(code, code) if code is not None else ""


environment.filters["label"] = lambda code, name: label(name, code)
environment.filters["items_by"] = lambda rows, key, value: {r[key]: r[value] for r in rows}


def html(template: str, status: int = 200, **context) -> Response:
    body = environment.get_template(template).render(**context)
    response = Response(body, status=status, content_type="text/html; charset=utf-8")
    # Pages show personal details: never kept by a browser or a proxy, never framed.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = ("default-src 'self'; script-src 'none'; "
                                                   "style-src 'self'; frame-ancestors 'none'; form-action 'self'")
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def redirect(location: str) -> Response:
    """See other (303): after a POST the browser asks for the page with GET."""
    response = Response("", status=303)
    response.headers["Location"] = location
    return response


def sent(form, typed_on, send, to) -> Response:
    """A posted form's answer, the same on every page: refused by field, the page it was typed on
    (`typed_on(form, status)`) again, as typed (422); else `send()` (the instance's use case, which
    nothing calls for a refused form) and See other `to`: a path, or one made from what it answered."""
    if not form.ok:
        return typed_on(form, 422)
    answered = send()
    return redirect(to(answered) if callable(to) else to)


def stylesheet() -> Response:
    response = Response((STATIC / "kasane.css").read_bytes(), content_type="text/css; charset=utf-8")
    response.headers["Cache-Control"] = "max-age=3600"
    return response
