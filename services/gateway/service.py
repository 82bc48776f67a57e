"""窓口 (gateway) — the HTTP JSON API of one organisation (contracts/openapi/gateway.yaml), on
nameko's `http` entrypoint (werkzeug under the same eventlet hub as every kasane service).
Entrypoints stay thin: the door (gateway.door) checks session, CSRF and role; the handlers
call the application or the organisation's instances and return JSON."""
from __future__ import annotations

from nameko.rpc import rpc

from kasane.clock import now
from kasane.errors import NotFound
from kasane.runtime.dependency import KasaneRuntime
from kasane.runtime.wiring import Wiring
from kasane.store.trace import Trace

from gateway.accounts import StaffAccounts
from gateway.door import (Sessions, clear_session_cookie, guarded, json_body, json_response, mapped,
                          set_session_cookie, staff_trace, COOKIE)
from gateway.domain.roles import GRANTABLE_BY_SUPERVISOR
from gateway.domain.sessions import digest
from gateway.instances import OrganisationInstances
from gateway.pages.account import AccountPages
from gateway.pages.collaboration import CollaborationPages
from gateway.pages.community import CommunityPages
from gateway.pages.community_places import CommunityPlacePages
from gateway.pages.community_trainings import CommunityTrainingPages
from gateway.pages.drafts import DraftPages
from gateway.pages.handlers import Pages
from gateway.pages.meetings import MeetingPages
from gateway.pages.participation import ParticipationPages
from gateway.pages.participation_matches import ParticipationMatchPages
from gateway.pages.plan_judgements import PlanJudgementPages
from gateway.pages.same_person import SamePersonPages
from gateway.pages.outreach import OutreachPages
from gateway.pages.outreach_area import OutreachListPages
from gateway.pages.outreach_follow_ups import OutreachFollowUpPages
from gateway.pages.oversight import OversightPages
from gateway.pages.staff import StaffPages
from gateway.problems import Forbidden
from gateway.sealing import SecretBox, load_or_create, secrets_key_file
from gateway.staff_views import session_view, staff_command
from gateway.web import http


def bootstrap(settings, env) -> Wiring:
    box = SecretBox(load_or_create(secrets_key_file(settings.instance)))
    return Wiring(app=StaffAccounts(env=env, organisation=settings.organisation, box=box))


class GatewayService(Pages, CollaborationPages, MeetingPages, PlanJudgementPages, SamePersonPages, OutreachPages,
                     OutreachListPages, OutreachFollowUpPages,
                     ParticipationPages, ParticipationMatchPages, CommunityPages, CommunityPlacePages,
                     CommunityTrainingPages, StaffPages, OversightPages, AccountPages, DraftPages):  # the caseworkers' pages (gateway.pages)
    name = "gateway"
    kasane = KasaneRuntime(bootstrap)
    sessions = Sessions()
    instances = OrganisationInstances()

    @rpc
    def health(self) -> dict:
        """稼働状況 (for `kasane up` and city IT): the staff store's relay and checkpoints."""
        return self.kasane.health()

    # -- ログイン ------------------------------------------------------------------------------

    @http("POST", "/api/session")
    @mapped
    def sign_in(self, request):
        """ログイン — a new session (new id) for the right password and, where needed, code."""
        body = json_body(request)
        token = self.sessions.book.new_token()  # always a new id: never one from before sign-in
        account = self.kasane.app.sign_in(
            Trace.for_command(actor={"gateway": self.kasane.settings.instance}),
            login=str(body.get("login", ""))[:100], password=body.get("password"),
            code=body.get("code"), session_ref=digest(token)[:16])
        if request.cookies.get(COOKIE):
            self.sessions.book.close(request.cookies[COOKIE])
        session = self.sessions.book.open(account, now(), token)
        return set_session_cookie(json_response(session_view(session), 201), token, self.sessions.secure)

    @http("GET", "/api/session")
    @guarded("session.read")
    def whoami(self, request, session):
        return json_response(session_view(session))

    @http("DELETE", "/api/session")
    @guarded("session.close")
    def sign_out(self, request, session):
        """ログアウト — the session is forgotten on the server at once."""
        self.sessions.book.close(request.cookies.get(COOKIE))
        return clear_session_cookie(json_response({"signed_out": True}), self.sessions.secure)

    # -- 世帯と相談受付 --------------------------------------------------------------------------

    @http("GET", "/api/households/<household_id>")
    @guarded("household.read", purpose="世帯の経過の確認")
    def household(self, request, session, household_id):
        """世帯の経過 — from each of the organisation's consultation instances that knows it."""
        found = [self._timeline(instance, household_id)
                 for instance in self.instances.of("consultation")]
        entries = [entry for part in found if part for entry in part["entries"]]
        if not entries:
            raise NotFound("household not found")
        return json_response({"household_id": household_id, "entries": entries})

    def _timeline(self, instance: str, household_id: str):
        try:
            return self.instances[instance].household_timeline(household_id)
        except NotFound:
            return None

    @http("POST", "/api/households/search")
    @guarded("household.find", purpose="世帯の検索")
    def find_households(self, request, session):
        body = json_body(request)
        instance = self.instances.one_of("consultation", body.pop("instance", None))
        return json_response(self.instances[instance].find_households(body))

    @http("POST", "/api/intakes")
    @guarded("intake.receive", purpose="相談受付")
    def receive_intake(self, request, session):
        """相談受付 — the intake sheet, to the organisation's consultation instance."""
        body = json_body(request)
        instance = self.instances.one_of("consultation", body.pop("instance", None))
        body["caseworker_id"] = session.login  # the person signed in, never what the body says
        return json_response(self.instances[instance].receive_consultation(body), 201)

    @http("GET", "/api/support-meetings/<meeting_id>")
    @guarded("support_meeting.read", purpose="支援会議の記録の閲覧")
    def support_meeting(self, request, session, meeting_id):
        """支援会議の記録 — for its member persons only, of whichever member organisation: the city's
        多機関協働 instance checks the person from the context and the organisation by the broker."""
        read = self.instances.shared("collaboration", "read_support_meeting", request.args.get("instance"))
        return json_response(read({"meeting_id": meeting_id}))

    # -- 監査とシステム管理 ------------------------------------------------------------------------

    @http("GET", "/api/audit/households/<household_id>")
    @guarded("audit.history", purpose="監査")
    def audit_history(self, request, session, household_id):
        instance = self.instances.one_of("audit", request.args.get("instance"))
        query = {"household_id": household_id, "as_of": request.args.get("as_of")}
        return json_response(self.instances[instance].history({k: v for k, v in query.items() if v}))

    @http("GET", "/api/instances")
    @guarded("instances.health")
    def instances_health(self, request, session):
        """稼働状況 — the organisation's instances (no case content)."""
        return json_response([self.instances[i].health() for i in sorted(self.instances.known)])

    # -- 職員の管理 (管理者) ----------------------------------------------------------------------

    @http("GET", "/api/staff")
    @guarded("staff.list")
    def staff(self, request, session):
        return json_response(self.kasane.app.roster())

    @http("POST", "/api/staff")
    @guarded("staff.add")
    def add_staff(self, request, session):
        data, trace = staff_command(json_body(request), session, "add")
        self._check_grantable(data.get("roles", ()))
        return json_response(self.kasane.app.add(trace, by=session.login, **data), 201)

    @http("POST", "/api/staff/<login>/roles")
    @guarded("staff.grant")
    def grant(self, request, session, login):
        data, trace = staff_command(json_body(request), session, "grant")
        self._check_grantable([data["role"]])
        return json_response(self.kasane.app.grant(trace, login=login, by=session.login, **data))

    @http("DELETE", "/api/staff/<login>/roles/<role>")
    @guarded("staff.revoke")
    def revoke(self, request, session, login, role):
        self._check_grantable([role])
        view = self.kasane.app.revoke(staff_trace(session), login=login, role=role, by=session.login)
        self._end_sessions_of(login)
        return json_response(view)

    @http("POST", "/api/staff/<login>/disable")
    @guarded("staff.disable")
    def disable(self, request, session, login):
        view = self.kasane.app.disable(staff_trace(session), login=login, by=session.login)
        self._end_sessions_of(login)
        return json_response(view)

    def _check_grantable(self, roles) -> None:
        if set(roles) - GRANTABLE_BY_SUPERVISOR:
            raise Forbidden()

    def _end_sessions_of(self, login: str) -> None:
        self.sessions.book.close_all_of(str(self.kasane.app.account(login).id))
