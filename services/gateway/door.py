"""The door every request passes: its session (cookie), its CSRF token when it changes state,
and the endpoint's permission (gateway.domain.roles) — then the person goes into the context of
every RPC call the request makes."""
from __future__ import annotations

import functools
import json
from datetime import timedelta

import orjson
from nameko.extensions import DependencyProvider
from werkzeug.wrappers import Response

from kasane.clock import now
from kasane.store.trace import Trace

from gateway.domain.roles import allowed
from gateway.domain.sessions import Session, SessionBook, SessionRefused, digest
from gateway.drafts import Drafts
from gateway.session_store import PostgresSessionTable
from gateway.problems import BadRequest, CsrfRefused, Forbidden, problem_for

COOKIE = "kasane_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class Sessions(DependencyProvider):
    """One session book per gateway process, shared by its workers, kept in the gateway's own
    database (gateway.session_store) beside its staff store, whose connection pool it shares."""

    book: SessionBook

    def setup(self):
        idle = self.container.config.get("KASANE_SESSION_IDLE_SECONDS")
        self.idle = timedelta(seconds=float(idle)) if idle else None
        self.secure = self.container.config.get("KASANE_HTTPS", False)

    def get_dependency(self, worker_ctx) -> "Sessions":
        if not hasattr(self, "book"):  # after every provider's setup: the staff store is open
            app = staff_store(self.container)
            datastore = getattr(app.recorder, "datastore", None)  # none where the store is in memory
            self.drafts = Drafts(datastore, app.box) if datastore is not None else None
            self.book = SessionBook(**({"idle_timeout": self.idle} if self.idle else {}),
                                    table=PostgresSessionTable(datastore) if datastore is not None else None)
        return self


def staff_store(container):
    from kasane.runtime.dependency import KasaneRuntime
    return next(d for d in container.dependencies if isinstance(d, KasaneRuntime)).handle.app


# orjson: a household's timeline of 1,000 entries is ~240 kB, which the standard library takes
# ~2 ms to write (a tenth of that here); dates and dataclasses still go through `str`, as before.
_ORJSON = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def json_response(body, status: int = 200) -> Response:
    return Response(orjson.dumps(body, default=str, option=_ORJSON), status=status,
                    content_type="application/json; charset=utf-8")


def json_body(request) -> dict:
    try:
        body = json.loads(request.get_data(as_text=True) or "null")
    except ValueError:
        raise BadRequest() from None
    if not isinstance(body, dict):
        raise BadRequest()
    return body


def mapped(handler):
    """Every error leaves as problem+json (gateway.problems), whatever raised it."""
    @functools.wraps(handler)
    def wrapper(self, request, **kwargs):
        try:
            return handler(self, request, **kwargs)
        except Exception as exc:  # noqa: BLE001 — mapped once, below
            return problem_for(exc)
    return wrapper


def guarded(endpoint: str, purpose: str = "業務"):
    """A signed-in person whose roles allow `endpoint`; CSRF checked unless the method is safe.
    The handler receives the session after the request."""
    def decorate(handler):
        @functools.wraps(handler)
        def wrapper(self, request, **kwargs):
            session = admitted(self, request, endpoint)
            self.instances.act_as(person_of(session, endpoint), purpose)
            return handler(self, request, session, **kwargs)
        guarded_handler = mapped(wrapper)
        guarded_handler.endpoint = endpoint  # the row of the permission table it is checked against
        return guarded_handler
    return decorate


def admit(service, request, endpoint: str) -> Session:
    """The session, if the cookie names a live one, the CSRF token matches where it must and the
    table allows the endpoint to one of its roles."""
    session = service.sessions.book.find(request.cookies.get(COOKIE), now())
    if request.method not in SAFE_METHODS and not session.csrf_matches(request.headers.get(CSRF_HEADER)):
        raise CsrfRefused(session.staff_id)
    if not allowed(session.roles, endpoint):
        raise Forbidden(session.staff_id)
    return session


def admitted(service, request, endpoint: str) -> Session:
    """admit(); a refusal is recorded in the gateway's store, then goes on to be mapped."""
    try:
        return admit(service, request, endpoint)
    except (SessionRefused, CsrfRefused, Forbidden) as refused:
        record_refusal(service, request, endpoint, refused)
        raise


def record_refusal(service, request, endpoint: str, refused: Exception) -> None:
    cookie = request.cookies.get(COOKIE)
    session_refused = isinstance(refused, SessionRefused)
    service.kasane.app.record_refusal(
        Trace.for_command(actor={"gateway": service.kasane.settings.instance}),
        reason=refused.reason if session_refused else type(refused).__name__.lower(),
        endpoint=endpoint, method=request.method, staff_id=None if session_refused else refused.args[0],
        cookie_ref=digest(cookie)[:12] if cookie else None)


def person_of(session: Session, endpoint: str) -> dict:
    from gateway.domain.roles import PERMISSIONS
    acting = sorted(set(session.roles) & PERMISSIONS.get(endpoint, frozenset()))
    return {"staff_id": session.staff_id, "name": session.name,
            "organisation": session.organisation, "role": acting[0] if acting else ""}


def staff_trace(session: Session) -> Trace:
    """The trace of a command a signed-in person gives on staff accounts (their own, or others' as
    管理者): the person and their organisation as its actor, whether from the JSON API or a page."""
    return Trace.for_command(actor={"staff_id": session.staff_id, "organisation": session.organisation})


def set_session_cookie(response: Response, token: str, secure: bool) -> Response:
    response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", secure=secure, path="/")
    return response


def clear_session_cookie(response: Response, secure: bool) -> Response:
    response.delete_cookie(COOKIE, httponly=True, samesite="Strict", secure=secure, path="/")
    return response
