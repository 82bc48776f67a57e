"""The door for pages: the same session, table and refusal records as the JSON API's door
(gateway.door), with a browser's answers — no session: to the sign-in page; a form's CSRF token
comes in a hidden field; a refusal is a page in Japanese, never a stack trace."""
from __future__ import annotations

import functools
import logging

from kasane.clock import now

from gateway.domain.roles import allowed
from gateway.drafts import keeps
from gateway.domain.sessions import Session, SessionRefused
from gateway.door import COOKIE, CSRF_HEADER, SAFE_METHODS, person_of, record_refusal
from gateway.pages.forms import Form
from gateway.pages.render import html, redirect
from gateway.problems import CsrfRefused, Forbidden, problem_for
from gateway.web import http

log = logging.getLogger(__name__)
CSRF_FIELD = "csrf_token"


def page(endpoint: str, purpose: str = "業務"):
    """A page for a signed-in person whose roles allow `endpoint` (a row of gateway.domain.roles);
    a POST must carry the session's CSRF token in its form."""
    def decorate(handler):
        @functools.wraps(handler)
        def wrapper(self, request, **kwargs):
            try:
                session = _admit(self, request, endpoint)
            except SessionRefused as refused:
                return redirect("/login?draft=saved" if kept_as_draft(self, request, endpoint, refused)
                                else "/login")
            except CsrfRefused:
                return refused_page(403, "画面を読み込み直してから、もう一度操作してください。")
            except Forbidden:
                return refused_page(403, "この画面はあなたの役割では使えません。")
            self.instances.act_as(person_of(session, endpoint), purpose)
            try:
                response = handler(self, request, session, **kwargs)
            except Exception as exc:  # noqa: BLE001 — one mapping, as for the JSON API
                return failure_page(exc)
            if request.method == "POST" and response.status_code == 303 and self.sessions.drafts:
                self.sessions.drafts.posted(session.staff_id, request.path)  # the entry is in now
            return response
        wrapper.endpoint = endpoint
        return wrapper
    return decorate


def form_page(path: str, maker: str, endpoint: str, purpose: str):
    """The GET of a page with a form, nothing typed yet. `maker` names the pages' method that makes
    it from (session, the path's ids, form, status): a refused POST calls the same method with the
    form as typed and 422, so the page shown first and the page shown again are one page."""
    def show(self, request, session, **ids):
        return getattr(self, maker)(session, form=Form({}), **ids)
    show.__name__ = show.__qualname__ = f"page{maker.removesuffix('_page')}"
    return http("GET", path)(page(endpoint, purpose)(show))


def kept_as_draft(service, request, endpoint: str, refused: SessionRefused) -> bool:
    """A form posted just after its session expired is kept as the person's draft (sealed), if it
    came from that session's own page (its CSRF token) and the person's roles allowed it."""
    session = refused.session
    if (refused.reason != "expired" or session is None or request.method != "POST"
            or not service.sessions.drafts or not keeps(request.path)):
        return False
    if not (session.csrf_matches(request.form.get(CSRF_FIELD)) and allowed(session.roles, endpoint)):
        return False
    service.sessions.drafts.save(session.staff_id, request.path, request.form, now())
    return True


def public(handler):
    """A page anyone may ask for (the sign-in form, the stylesheet)."""
    handler.public = True
    return handler


def _admit(service, request, endpoint: str) -> Session:
    try:
        session = service.sessions.book.find(request.cookies.get(COOKIE), now())
        if request.method not in SAFE_METHODS and not session.csrf_matches(
                request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)):
            raise CsrfRefused(session.staff_id)
        if not allowed(session.roles, endpoint):
            raise Forbidden(session.staff_id)
        return session
    except (SessionRefused, CsrfRefused, Forbidden) as refused:
        record_refusal(service, request, endpoint, refused)
        raise


def refused_page(status: int, detail: str):
    return html("refused.html", status=status, title="この操作はできません", detail=detail, session=None)


def failure_page(exc: Exception):
    """The API's problem (status, Japanese title and detail, never personal) as a page."""
    import json
    problem = json.loads(problem_for(exc).get_data(as_text=True))
    return html("refused.html", status=problem["status"], title=problem["title"],
                detail=problem["detail"], session=None)
