"""職員の管理 (管理者) — the organisation's staff: add a person (an initial password shown once),
grant a role, disable an account. The roles a 管理者 may give are GRANTABLE_BY_SUPERVISOR; the
first 管理者 and システム管理 are city IT's (`kasane staff`)."""
from __future__ import annotations

from functools import partial

import secrets

import pyotp

from gateway.domain.roles import GRANTABLE_BY_SUPERVISOR, SECOND_FACTOR_REQUIRED
from gateway.door import staff_trace
from gateway.pages.door import form_page, page
from gateway.pages.forms import Form
from gateway.pages.render import html, redirect, sent
from gateway.staff_views import LOGIN
from gateway.web import http

GRANTABLE = {role: role for role in sorted(GRANTABLE_BY_SUPERVISOR)}


class StaffPages:
    page_staff = form_page("/staff", "_staff_page", "staff.list", purpose="職員の管理")

    def _staff_page(self, session, form: Form, status: int = 200, added: dict | None = None):
        return html("staff.html", status=status, session=session, roster=self.kasane.app.roster(),
                    form=form, errors=form.errors, grantable=GRANTABLE, added=added)

    @http("POST", "/staff")
    @page("staff.add", purpose="職員の追加")
    def page_add_staff(self, request, session):
        form = Form(request.form)
        login = form.required("login", "ログインID", 64)
        if login and not LOGIN.regex.match(login):
            form.refuse("login", "ログインIDは半角英数字と . _ - で入力してください")
        name = form.name("name", "氏名", required=True)
        roles = form.choices("roles", "役割", GRANTABLE, at_least_one=True)
        if not form.ok:
            return self._staff_page(session, form, 422)
        trace = staff_trace(session)
        self.kasane.app.add(trace, login=login, name=name, roles=roles, by=session.login)
        password = secrets.token_urlsafe(12)
        self.kasane.app.reset_password(trace, login=login, password=password, by=session.login)
        secret = (self.kasane.app.enrol_second_factor(trace, login=login, by=session.login)
                  if set(roles) & SECOND_FACTOR_REQUIRED else None)
        # The initial password (and TOTP key) are shown once, on this page only: never in a URL or a log.
        uri = pyotp.TOTP(secret).provisioning_uri(name=login, issuer_name="kasane") if secret else None
        return self._staff_page(session, Form({}), 201, added={"login": login, "password": password, "totp": uri})

    @http("POST", "/staff/roles")
    @page("staff.grant", purpose="役割の付与")
    def page_grant(self, request, session):
        form = Form(request.form)
        role = form.choice("role", "役割", GRANTABLE)
        return sent(form, partial(self._staff_page, session), lambda: self.kasane.app.grant(
            staff_trace(session), login=form.get("login"), role=role, by=session.login), "/staff")

    @http("POST", "/staff/disable")
    @page("staff.disable", purpose="アカウントの停止")
    def page_disable(self, request, session):
        login = Form(request.form).get("login")
        self.kasane.app.disable(staff_trace(session), login=login, by=session.login)
        self.sessions.book.close_all_of(str(self.kasane.app.account(login).id))
        return redirect("/staff")
