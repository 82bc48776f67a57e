"""職員アカウントの用途 — one method per use case over the gateway's own event store: add, grant,
revoke, disable, reset a password, enrol a second factor, sign in."""
from __future__ import annotations

import hashlib

from eventsourcing.application import AggregateNotFoundError

from kasane.errors import DomainRuleViolation, NotFound
from kasane.store.application import KasaneApplication
from kasane.store.trace import Trace

from gateway.domain.refusals import RefusedRequest
from gateway.domain.roster import Roster
from gateway.domain.staff import StaffAccount, StaffRuleViolation
from gateway.passwords import (MIN_LENGTH, code_step, dummy_verify, hash_password, new_totp_secret,
                                password_matches, policy_refusal)
from gateway.sealing import SecretBox


class SignInRefused(Exception):
    """Sign-in refused; `reason` (wrong_password, wrong_code, code_reused, code_required, locked,
    disabled, no_password, unknown) is recorded, never the password or the code."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class ChangeRefused(Exception):
    """A person's own change refused: the form's `field` and the Japanese `message` shown next
    to it (never the password or the code)."""

    def __init__(self, field: str, message: str):
        super().__init__(field)
        self.field, self.message = field, message


class StaffAccounts(KasaneApplication):
    def __init__(self, env: dict | None = None, *, organisation: str, box: SecretBox | None = None):
        super().__init__(env)
        self.organisation = organisation
        self.box = box or SecretBox()  # TOTP seeds are stored sealed (gateway.sealing)

    def account(self, login: str) -> StaffAccount:
        try:
            return self.repository.get(StaffAccount.create_id(self.organisation, login))
        except AggregateNotFoundError:
            raise NotFound("職員アカウントが見つかりません") from None

    def roster(self) -> list[dict]:
        try:
            roster: Roster = self.repository.get(Roster.create_id(self.organisation))
        except AggregateNotFoundError:
            return []
        return [self.account(login).view() for login in roster.logins]

    def add(self, trace: Trace, *, login: str, name: str, by: str, roles=()) -> dict:
        if self._exists(login):
            raise DomainRuleViolation("そのログインIDの職員はすでに登録されています")
        account = StaffAccount.create(self.organisation, login, name, created_by=by)
        for role in roles:
            self._grant(account, role, by)
        roster = self._roster()
        roster.add(login=login)
        self.save_traced(account, roster, trace=trace)
        return account.view()

    def grant(self, trace: Trace, *, login: str, role: str, by: str) -> dict:
        account = self.account(login)
        self._grant(account, role, by)
        self.save_traced(account, trace=trace)
        return account.view()

    def revoke(self, trace: Trace, *, login: str, role: str, by: str) -> dict:
        account = self.account(login)
        account.revoke(role, by=by)
        self.save_traced(account, trace=trace)
        return account.view()

    def disable(self, trace: Trace, *, login: str, by: str) -> dict:
        account = self.account(login)
        if not account.disabled:
            account.disable(by=by)
        self.save_traced(account, trace=trace)
        return account.view()

    def reset_password(self, trace: Trace, *, login: str, password: str, by: str) -> dict:
        """A new password (also lifts a lock)."""
        if not isinstance(password, str) or len(password) < MIN_LENGTH:
            raise DomainRuleViolation(f"パスワードは{MIN_LENGTH}文字以上にしてください")
        account = self.account(login)
        account.set_password(hash_password(password), by=by)
        self.save_traced(account, trace=trace)
        return account.view()

    def record_refusal(self, trace: Trace, **refusal) -> None:
        """A request refused at the door (gateway.domain.refusals)."""
        self.save_traced(RefusedRequest(**refusal), trace=trace)

    def enrol_second_factor(self, trace: Trace, *, login: str, by: str) -> str:
        """A new TOTP secret for the account; returned once, to be shown to its person only."""
        account = self.account(login)
        secret = new_totp_secret()
        account.enrol_second_factor(self.box.seal(secret), by=by)
        self.save_traced(account, trace=trace)
        return secret

    def change_password(self, trace: Trace, *, login: str, current: str, new: str) -> StaffAccount:
        """パスワードの変更 — by the person, with the current password; a wrong one counts toward
        the lock. Recorded as PasswordChanged (the argon2id hash only)."""
        account = self.account(login)
        if not password_matches(account.password_hash, current):
            account.refuse_password_change("wrong_password")
            self.save_traced(account, trace=trace)
            raise ChangeRefused("current_password", "現在のパスワードが正しくありません")
        if new == current:
            raise ChangeRefused("new_password", "現在のパスワードとは異なるパスワードにしてください")
        refusal = policy_refusal(new, login)
        if refusal:
            raise ChangeRefused("new_password", refusal)
        account.change_password(hash_password(new))
        self.save_traced(account, trace=trace)
        return account

    def propose_second_factor(self, trace: Trace, *, login: str) -> str:
        """A new TOTP seed for the person's authenticator app, kept sealed until a code confirms it."""
        account = self.account(login)
        secret = new_totp_secret()
        account.propose_second_factor(self.box.seal(secret))
        self.save_traced(account, trace=trace)
        return secret

    def proposed_second_factor(self, login: str) -> str | None:
        return self.box.open(self.account(login).pending_totp_secret)

    def confirm_second_factor(self, trace: Trace, *, login: str, code: str) -> StaffAccount:
        """The proposed seed counts from now on, if the code is the app's current one."""
        account = self.account(login)
        if account.pending_totp_secret is None:
            raise ChangeRefused("code", "先に「二要素認証を登録する」を押して、新しい鍵を表示してください")
        step = code_step(self.box.open(account.pending_totp_secret), (code or "").strip())
        if step is None:
            raise ChangeRefused("code", "確認コードが正しくありません。アプリに表示されている6桁の数字を入力してください")
        account.confirm_second_factor(step)
        self.save_traced(account, trace=trace)
        return account

    def sign_in(self, trace: Trace, *, login: str, password: str, code: str | None,
                session_ref: str) -> StaffAccount:
        """The account, signed in; or SignInRefused, recorded with its reason only."""
        if not self._exists(login):
            self._refuse_unknown(trace, login, password)
        account = self.account(login)
        step = code_step(self.box.open(account.totp_secret), code) if account.needs_second_factor else None
        reason = account.check_can_sign_in() or self._credentials_refused(account, password, code, step)
        if reason:
            account.refuse_sign_in(reason)
            self.save_traced(account, trace=trace)
            raise SignInRefused(reason)
        account.signed_in(session_ref=session_ref, code_step=step)
        self.save_traced(account, trace=trace)
        return account

    @staticmethod
    def _credentials_refused(account: StaffAccount, password, code, step: int | None) -> str | None:
        if not password_matches(account.password_hash, password):
            return "wrong_password"
        if account.needs_second_factor:
            if account.totp_secret is None:
                return "second_factor_not_enrolled"
            if not code:
                return "code_required"
            if step is None:
                return "wrong_code"
            if step <= account.last_code_step:
                return "code_reused"
        return None

    def _refuse_unknown(self, trace: Trace, login, password=None) -> None:
        dummy_verify(password)
        roster = self._roster()
        roster.refuse_unknown(login_digest=hashlib.sha256(str(login).encode()).hexdigest())
        self.save_traced(roster, trace=trace)
        raise SignInRefused("unknown")

    def _grant(self, account: StaffAccount, role: str, by: str) -> None:
        try:
            account.grant(role, by=by)
        except StaffRuleViolation as exc:
            raise DomainRuleViolation(str(exc)) from None

    def _exists(self, login: str) -> bool:
        try:
            self.repository.get(StaffAccount.create_id(self.organisation, login))
            return True
        except AggregateNotFoundError:
            return False

    def _roster(self) -> Roster:
        try:
            return self.repository.get(Roster.create_id(self.organisation))
        except AggregateNotFoundError:
            return Roster.create(self.organisation)
