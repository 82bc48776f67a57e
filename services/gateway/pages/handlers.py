"""職員の画面の入口 — the pages' routes on the gateway's http entrypoint: sign-in and sign-out,
today's work (受付一覧), the intake (相談受付) with the household search first, the household
(世帯) page with its members, consents and timeline. Each handler reads the form, calls the
organisation's own instances with the signed-in person in the context, and renders."""
from __future__ import annotations

import json
import os

from kasane.clock import now
from kasane.errors import NotFound
from kasane.store.trace import Trace

from gateway.accounts import SignInRefused
from gateway.domain.roles import allowed
from gateway.domain.sessions import digest
from gateway.door import COOKIE, clear_session_cookie, set_session_cookie
from gateway.pages.community import city_areas
from gateway.pages.door import failure_page, form_page, page, public
from gateway.pages.forms import Form
from gateway.pages.intake import consent_command, read_consent, read_intake
from gateway.pages.participation_requests import read_participation_request
from gateway.pages.render import html, redirect, stylesheet
from gateway.timeline import organisation_timeline
from gateway.web import http

SIGN_IN_REFUSED = {
    "code_required": ("code", "確認コード（二要素認証）を入力してください"),
    "wrong_code": ("code", "確認コードが正しくありません。アプリに表示されている6桁の数字を入力してください"),
    "code_reused": ("code", "この確認コードは使用済みです。次のコードを待って入力してください"),
    "second_factor_not_enrolled": ("code", "この役割には二要素認証の登録が必要です。管理者に連絡してください"),
    "locked": ("login", "続けて失敗したため、このアカウントはロックされています。管理者に連絡してください"),
}
SIGN_IN_DEFAULT = ("password", "ログインIDかパスワードが正しくありません")


def agencies() -> list[dict]:
    """The agencies this organisation's desk operates (deploy/instances.yaml, KASANE_AGENCIES)."""
    return json.loads(os.environ.get("KASANE_AGENCIES") or "[]")


def landing(roles) -> str:
    """The first page after sign-in: the day's work, or the auditor's and city IT's own page."""
    for endpoint, path in (("worklist.read", "/today"), ("audit.history", "/audit"), ("instances.health", "/system")):
        if allowed(roles, endpoint):
            return path
    return "/today"


class Pages:
    """Mixed into GatewayService: its sessions, instances and staff store serve the pages too."""

    @http("GET", "/static/kasane.css")
    @public
    def page_stylesheet(self, request):
        return stylesheet()

    @http("GET", "/")
    @public
    def page_root(self, request):
        return redirect("/today")

    # -- ログイン・ログアウト ------------------------------------------------------------------

    @http("GET", "/login")
    @public
    def page_sign_in_form(self, request):
        draft_saved = request.args.get("draft") == "saved"  # the notice only: nothing typed is in a URL
        return html("sign_in.html", session=None, form=Form({}), errors={}, draft_saved=draft_saved)

    @http("POST", "/login")
    @public
    def page_sign_in(self, request):
        form = Form(request.form)
        token = self.sessions.book.new_token()
        try:
            account = self.kasane.app.sign_in(
                Trace.for_command(actor={"gateway": self.kasane.settings.instance}),
                login=form.get("login")[:100], password=request.form.get("password", ""),
                code=form.get("code") or None, session_ref=digest(token)[:16])
        except SignInRefused as refused:
            field, message = SIGN_IN_REFUSED.get(refused.reason, SIGN_IN_DEFAULT)
            form.refuse(field, message)
            return html("sign_in.html", status=401, session=None, form=form, errors=form.errors)
        except Exception as exc:  # noqa: BLE001
            return failure_page(exc)
        if request.cookies.get(COOKIE):
            self.sessions.book.close(request.cookies[COOKIE])
        session = self.sessions.book.open(account, now(), token)
        draft = self.sessions.drafts.latest(session.staff_id) if self.sessions.drafts else None
        to = f"/drafts/{draft}" if draft else landing(session.roles)  # back to the form left unsent
        return set_session_cookie(redirect(to), token, self.sessions.secure)

    @http("POST", "/logout")
    @page("session.close")
    def page_sign_out(self, request, session):
        self.sessions.book.close(request.cookies.get(COOKIE))
        return clear_session_cookie(redirect("/login"), self.sessions.secure)

    # -- 受付一覧 ---------------------------------------------------------------------------

    @http("GET", "/today")
    @page("worklist.read", purpose="受付一覧の確認")
    def page_today(self, request, session):
        """Each of the organisation's lines: the desk's open consultations and leads, 多機関協働's
        open cases (overdue monitoring first), outreach's persons (longest silence first)."""
        lines = {service: self.instances.of(service)
                 for service in ("consultation", "collaboration", "outreach", "participation", "community")}
        desk = [self.instances[i].open_consultations(a["agency_id"])
                for i in lines["consultation"][:1] for a in agencies()]
        cases = [row for i in lines["collaboration"] for row in self.instances[i].open_cases({})["cases"]]
        leads = [row for i in lines["outreach"] for row in self.instances[i].open_leads({})["leads"]]
        same_person = sum(len(self.instances[i].same_person_checks({})["checks"]) for i in lines["collaboration"])
        return html("today.html", session=session, agencies=agencies(), lists=desk, lines=lines,
                    cases=cases, leads=leads, same_person=same_person)

    # -- 相談受付 ---------------------------------------------------------------------------

    @http("GET", "/intake")
    @page("intake.receive", purpose="相談受付")
    def page_intake_search(self, request, session):
        return html("intake_search.html", session=session, form=Form({}), errors={})

    @http("POST", "/intake/search")
    @page("household.find", purpose="世帯の検索")
    def page_intake_candidates(self, request, session):
        form = Form(request.form)
        kana, born = form.kana("kana", "ふりがな"), form.birth_date("birth", "生年月日")
        if form.ok and not (kana or born):
            form.refuse("kana", "ふりがなか生年月日のどちらかを入力してください")
        if not form.ok:
            return html("intake_search.html", status=422, session=session, form=form, errors=form.errors)
        return self._intake_page(session, form, candidates=self._candidates(kana, born), searched=True)

    def _intake_page(self, session, form: Form, candidates: list, searched: bool = False, status: int = 200):
        """相談受付票, with the candidates of the search and the areas of the desk's directory copy."""
        return html("intake.html", status=status, session=session, form=form, errors=form.errors,
                    searched=searched, candidates=candidates, agencies=agencies(), areas=self._desk_areas())

    def _desk_areas(self) -> dict:
        return city_areas(self.instances[self.instances.one_of("consultation")])

    def _candidates(self, kana, born) -> list[dict]:
        query = {"kana": kana, "birth_date": born.isoformat() if born else None}
        if not any(query.values()):
            return []
        return self.instances[self.instances.one_of("consultation")].find_households(
            {k: v for k, v in query.items() if v})["candidates"]

    def _searched_again(self, form: Form) -> list[dict]:
        """The candidates of the search the intake form came from (its hidden search_ fields)."""
        again = Form({k.removeprefix("search_"): form.get(k) for k in form.values if k.startswith("search_")})
        kana, born = again.kana("kana", "ふりがな"), again.birth_date("birth", "生年月日")
        return self._candidates(kana, born) if again.ok else []

    @http("POST", "/intake")
    @page("intake.receive", purpose="相談受付")
    def page_intake(self, request, session):
        form = Form(request.form)
        agency = self._agency(form)
        command, consent = read_intake(form, agency, self._desk_areas())
        if not form.ok:
            return self._intake_page(session, form, self._searched_again(form), status=422)
        desk = self.instances[self.instances.one_of("consultation")]
        taken = desk.receive_consultation({**command, "caseworker_id": session.login})
        if consent:
            desk.record_consent(consent_command(consent, taken, agency, session.login))
        return redirect(f"/households/{taken['household_id']}")

    def _agency(self, form: Form) -> dict:
        mine = agencies()
        chosen = [a for a in mine if a["agency_id"] == form.get("agency_id")] or mine[:1]
        if not chosen:
            raise NotFound("この組織の窓口（相談支援機関）が設定されていません")
        return {"agency_id": chosen[0]["agency_id"], "name": chosen[0]["name"]}

    # -- 世帯 ------------------------------------------------------------------------------

    page_household = form_page("/households/<household_id>", "_household_page", "household.read",
                               purpose="世帯の経過の確認")

    def _household_page(self, session, household_id: str, form: Form, status: int = 200, members=None):
        desk = self.instances[self.instances.one_of("consultation")]
        members = members or desk.household_members(household_id)
        entries = organisation_timeline(self.instances, household_id, session.organisation)
        return html("household.html", status=status, session=session, members=members, entries=entries,
                    consultations=[e for e in entries if e["event"] == "consultation_received"],
                    participation=bool(self.instances.of("participation")), form=form, errors=form.errors)

    @http("POST", "/households/<household_id>/participation")
    @page("referral.send", purpose="参加支援の依頼")
    def page_request_participation(self, request, session, household_id):
        """参加支援の依頼 — to this organisation's participation instance, under the person's consent."""
        form, desk = Form(request.form), self.instances[self.instances.one_of("consultation")]
        members = desk.household_members(household_id)
        command = read_participation_request(form, members)
        if not form.ok:
            return self._household_page(session, household_id, form, 422, members)
        participation = self.instances[self.instances.one_of("participation")]
        participation.receive_request({**command, "agency": self._agency(Form({})), "caseworker_id": session.login})
        return redirect(f"/households/{household_id}")

    @http("POST", "/households/<household_id>/consents")
    @page("consent.record", purpose="本人同意の記録")
    def page_record_consent(self, request, session, household_id):
        """本人同意 of a member whose consent the intake did not record (e.g. the son of 8050)."""
        form = Form(request.form)
        form.values["consent"] = "yes"
        consent = read_consent(form)
        if not form.ok:
            return failure_page(_refused(form))
        desk = self.instances[self.instances.one_of("consultation")]
        desk.record_consent(consent_command(consent, {"household_id": household_id,
                                                      "person_ids": [form.get("person_id")]},
                                            self._agency(Form({})), session.login))
        return redirect(f"/households/{household_id}")

    @http("POST", "/households/<household_id>/consents/withdraw")
    @page("consent.record", purpose="本人同意の撤回")
    def page_withdraw_consent(self, request, session, household_id):
        desk = self.instances[self.instances.one_of("consultation")]
        desk.withdraw_consent({"household_id": household_id, "consent_id": request.form.get("consent_id"),
                               "caseworker_id": session.login, "agency": self._agency(Form({}))})
        return redirect(f"/households/{household_id}")

    @http("POST", "/households/<household_id>/refer")
    @page("referral.send", purpose="多機関協働へのつなぎ")
    def page_refer(self, request, session, household_id):
        form = Form(request.form)
        from kasane.vocabulary import REFERRAL_REASONS
        reasons = form.choices("reasons", "つなぐ理由", REFERRAL_REASONS, at_least_one=True)
        if not form.ok:
            return failure_page(_refused(form))
        desk = self.instances[self.instances.one_of("consultation")]
        desk.refer_to_collaboration({"consultation_id": form.get("consultation_id"), "reasons": reasons,
                                     "caseworker_id": session.login, "note": form.optional_text("note", "メモ")})
        return redirect(f"/households/{household_id}")


def _refused(form: Form):
    from kasane.errors import DomainRuleViolation
    return DomainRuleViolation("、".join(form.errors.values()))
