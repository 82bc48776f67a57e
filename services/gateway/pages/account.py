"""自分のアカウント — the signed-in person's own password (current one, then the new one twice;
argon2id; the session id renewed afterwards) and second factor (a TOTP seed shown as text and as
an otpauth URI to type or paste into the authenticator app — no QR image, no script, no outside
service; it counts only once a code from the app confirms it)."""
from __future__ import annotations

from kasane.clock import now

from gateway.accounts import ChangeRefused
from gateway.door import set_session_cookie, staff_trace
from gateway.pages.door import page
from gateway.pages.forms import Form
from gateway.pages.render import html, redirect
from gateway.passwords import provisioning_uri
from gateway.web import http

DONE = {"password": "パスワードを変更しました。ほかの端末のログインは終了しました。",
        "second_factor": "二要素認証を登録しました。次回からログインの際に確認コードを入力してください。"}


def grouped(secret: str) -> str:
    """The seed in groups of four, as authenticator apps show and people type it."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


class AccountPages:
    @http("GET", "/account")
    @page("account.read", purpose="自分のアカウントの確認")
    def page_account(self, request, session):
        return self._account_page(session, Form({}), done=DONE.get(request.args.get("done", "")))

    def _account_page(self, session, form: Form, status: int = 200, done: str | None = None):
        account = self.kasane.app.account(session.login)
        return html("account.html", status=status, session=session, form=form, errors=form.errors,
                    second_factor=account.totp_secret is not None, done=done)

    @http("POST", "/account/password")
    @page("account.password", purpose="パスワードの変更")
    def page_change_password(self, request, session):
        form = Form(request.form)
        current, new = request.form.get("current_password", ""), request.form.get("new_password", "")
        if not current:
            form.refuse("current_password", "現在のパスワードを入力してください")
        if new != request.form.get("new_password_again", ""):
            form.refuse("new_password_again", "確認のため、新しいパスワードと同じものをもう一度入力してください")
        if not form.ok:
            return self._account_page(session, form, 422)
        try:
            account = self.kasane.app.change_password(staff_trace(session), login=session.login,
                                                      current=current, new=new)
        except ChangeRefused as refused:
            form.refuse(refused.field, refused.message)
            return self._account_page(session, form, 422)
        return self._renewed(account, redirect("/account?done=password"))

    def _renewed(self, account, response):
        """Every session of the person ends (other devices too); this one goes on under a new id."""
        self.sessions.book.close_all_of(str(account.id))
        token = self.sessions.book.new_token()
        self.sessions.book.open(account, now(), token)
        return set_session_cookie(response, token, self.sessions.secure)

    @http("POST", "/account/second-factor")
    @page("account.second_factor", purpose="二要素認証の登録")
    def page_propose_second_factor(self, request, session):
        secret = self.kasane.app.propose_second_factor(staff_trace(session), login=session.login)
        return self._second_factor_page(session, secret, Form({}))

    def _second_factor_page(self, session, secret: str, form: Form, status: int = 200):
        issuer = f"kasane {session.organisation}"
        return html("second_factor.html", status=status, session=session, form=form, errors=form.errors,
                    secret=grouped(secret), uri=provisioning_uri(secret, session.login, issuer))

    @http("POST", "/account/second-factor/confirm")
    @page("account.second_factor", purpose="二要素認証の登録")
    def page_confirm_second_factor(self, request, session):
        form = Form(request.form)
        try:
            self.kasane.app.confirm_second_factor(staff_trace(session), login=session.login,
                                                  code=form.get("code"))
        except ChangeRefused as refused:
            form.refuse(refused.field, refused.message)
            secret = self.kasane.app.proposed_second_factor(session.login)
            if secret is None:
                return self._account_page(session, form, 422)
            return self._second_factor_page(session, secret, form, 422)
        return redirect("/account?done=second_factor")


