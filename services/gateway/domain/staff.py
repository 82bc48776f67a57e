"""職員アカウント — a staff account as events: created, roles granted and revoked, password set,
second factor enrolled, disabled, signed in, sign-in refused, locked (and unlocked by a reset).

Plain Python: hashing and TOTP checks are done outside and passed in as their outcome, so that
no password or code ever reaches an event.
"""
from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from gateway.domain.roles import ROLES, SECOND_FACTOR_REQUIRED

STAFF_NAMESPACE = uuid5(NAMESPACE_URL, "https://kasane.example/gateway/staff")
MAX_FAILURES = 5  # consecutive refused sign-ins before the account locks
COUNTED = frozenset({"wrong_password", "wrong_code", "code_reused"})  # toward the lock


class StaffRuleViolation(Exception):
    """A staff command broke a rule; the message states it (in Japanese, without details)."""


class StaffAccount(Aggregate):
    @staticmethod
    def create_id(organisation: str, login: str) -> UUID:
        return uuid5(STAFF_NAMESPACE, f"{organisation}/{login}")

    @classmethod
    def create(cls, organisation: str, login: str, name: str, created_by: str) -> "StaffAccount":
        return cls._create(cls.Created, id=cls.create_id(organisation, login),
                           organisation=organisation, login=login, name=name, created_by=created_by)

    class Created(Aggregate.Created):
        organisation: str
        login: str
        name: str
        created_by: str

    def __init__(self, organisation: str, login: str, name: str, created_by: str):
        self.organisation, self.login, self.name = organisation, login, name
        self.roles: set[str] = set()
        self.password_hash: str | None = None
        self.totp_secret: str | None = None
        self.pending_totp_secret: str | None = None  # proposed, not yet confirmed by a code
        self.disabled = False
        self.locked = False
        self.failures = 0
        self.last_code_step = -1  # a TOTP code is accepted once

    @property
    def needs_second_factor(self) -> bool:
        return self.totp_secret is not None or bool(self.roles & SECOND_FACTOR_REQUIRED)

    def grant(self, role: str, by: str) -> None:
        if role not in ROLES:
            raise StaffRuleViolation(f"役割は {'・'.join(ROLES)} のいずれかです")
        if role not in self.roles:
            self._granted(role=role, by=by)

    @event("RoleGranted")
    def _granted(self, role: str, by: str) -> None:
        self.roles.add(role)

    def revoke(self, role: str, by: str) -> None:
        if role in self.roles:
            self._revoked(role=role, by=by)

    @event("RoleRevoked")
    def _revoked(self, role: str, by: str) -> None:
        self.roles.discard(role)

    @event("PasswordSet")
    def set_password(self, password_hash: str, by: str) -> None:
        """A new password (argon2id hash only); a reset also lifts a lock."""
        self.password_hash, self.locked, self.failures = password_hash, False, 0

    @event("PasswordChanged")
    def change_password(self, password_hash: str) -> None:
        """The person's own new password (argon2id hash only), after giving the current one."""
        self.password_hash, self.failures = password_hash, 0

    def refuse_password_change(self, reason: str) -> None:
        """A wrong current password counts toward the lock, as a wrong one at sign-in does."""
        self._refuse(self._password_change_refused, reason)

    @event("PasswordChangeRefused")
    def _password_change_refused(self, reason: str) -> None:
        self._count_failure(reason)

    @event("SecondFactorEnrolled")
    def enrol_second_factor(self, totp_secret: str, by: str) -> None:
        self.totp_secret = totp_secret

    @event("SecondFactorProposed")
    def propose_second_factor(self, totp_secret: str) -> None:
        """A new seed (sealed) shown to the person; it counts only once a code confirms it."""
        self.pending_totp_secret = totp_secret

    @event("SecondFactorConfirmed")
    def confirm_second_factor(self, code_step: int) -> None:
        """The proposed seed now counts; the code that confirmed it is used up (its step)."""
        self.totp_secret, self.pending_totp_secret = self.pending_totp_secret, None
        self.last_code_step = max(self.last_code_step, code_step)

    @event("Disabled")
    def disable(self, by: str) -> None:
        self.disabled = True

    def check_can_sign_in(self) -> str | None:
        """Why this account may not sign in at all (None: it may try)."""
        if self.disabled:
            return "disabled"
        if self.locked:
            return "locked"
        if self.password_hash is None:
            return "no_password"
        return None

    @event("SignedIn")
    def signed_in(self, session_ref: str, code_step: int | None = None) -> None:
        """session_ref: a digest naming the session, never the cookie itself; code_step: the
        TOTP step used (never the code)."""
        self.failures = 0
        if code_step is not None:
            self.last_code_step = code_step

    def refuse_sign_in(self, reason: str) -> None:
        """Records the refusal (never the password or code); locks after MAX_FAILURES."""
        self._refuse(self._refused, reason)

    @event("SignInRefused")
    def _refused(self, reason: str) -> None:
        self._count_failure(reason)

    def _count_failure(self, reason: str) -> None:
        if reason in COUNTED:
            self.failures += 1

    def _refuse(self, record, reason: str) -> None:
        """Records the refusal (`record`, its event); a counted one that brings the failures to
        MAX_FAILURES locks the account."""
        record(reason=reason)
        if reason in COUNTED and self.failures >= MAX_FAILURES:
            self._locked(failures=self.failures)

    @event("Locked")
    def _locked(self, failures: int) -> None:
        self.locked = True

    def view(self) -> dict:
        return {"login": self.login, "organisation": self.organisation, "name": self.name,
                "roles": sorted(self.roles), "disabled": self.disabled, "locked": self.locked,
                "second_factor": self.totp_secret is not None}
