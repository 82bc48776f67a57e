"""職員アカウント and sessions in memory: sign-in with argon2id and TOTP, lockout, timeouts."""
from datetime import datetime, timedelta, timezone

import pyotp
from cryptography.exceptions import InvalidTag
import pytest

from kasane.errors import DomainRuleViolation
from kasane.store.trace import Trace

from gateway.accounts import SignInRefused, StaffAccounts
from gateway.domain.roles import AUDITOR, CASEWORKER, SUPERVISOR
from gateway.domain.sessions import SessionBook, SessionRefused
from gateway.domain.staff import MAX_FAILURES
from gateway.sealing import SecretBox

PASSWORD = "correct horse battery"
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def accounts():
    return StaffAccounts(organisation="org-desk")


def add(accounts, login="sw-01", roles=(CASEWORKER,)):
    accounts.add(Trace.for_command(), login=login, name="窓口 太郎", by="city-it", roles=roles)
    accounts.reset_password(Trace.for_command(), login=login, password=PASSWORD, by="city-it")


def sign_in(accounts, login="sw-01", password=PASSWORD, code=None):
    return accounts.sign_in(Trace.for_command(), login=login, password=password, code=code,
                            session_ref="ref")


def events_of(accounts, login="sw-01"):
    account = accounts.account(login)
    return list(accounts.repository.event_store.get(account.id))


def test_a_caseworker_signs_in_with_the_right_password(accounts):
    add(accounts)
    assert sign_in(accounts).login == "sw-01"


def test_the_password_is_stored_only_as_an_argon2id_hash(accounts):
    add(accounts)
    stored = [vars(e) for e in events_of(accounts)]
    assert PASSWORD not in repr(stored)
    assert accounts.account("sw-01").password_hash.startswith("$argon2id$")


def test_a_wrong_password_is_refused_and_recorded_without_the_password(accounts):
    add(accounts)
    with pytest.raises(SignInRefused) as refused:
        sign_in(accounts, password="wrong password!!")
    assert refused.value.reason == "wrong_password"
    last = events_of(accounts)[-1]
    assert type(last).__name__ == "SignInRefused" and "wrong password!!" not in repr(vars(last))


def test_repeated_failures_lock_the_account_until_a_reset(accounts):
    add(accounts)
    for _ in range(MAX_FAILURES):
        with pytest.raises(SignInRefused):
            sign_in(accounts, password="not the password")
    with pytest.raises(SignInRefused) as refused:
        sign_in(accounts)  # even the right password
    assert refused.value.reason == "locked"
    accounts.reset_password(Trace.for_command(), login="sw-01", password=PASSWORD + "2", by="admin")
    assert sign_in(accounts, password=PASSWORD + "2")


def test_a_supervisor_needs_a_second_factor_and_a_wrong_code_is_refused(accounts):
    add(accounts, login="boss", roles=(SUPERVISOR,))
    with pytest.raises(SignInRefused) as refused:
        sign_in(accounts, login="boss")
    assert refused.value.reason == "second_factor_not_enrolled"
    secret = accounts.enrol_second_factor(Trace.for_command(), login="boss", by="city-it")
    with pytest.raises(SignInRefused) as refused:
        sign_in(accounts, login="boss", code="000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    assert refused.value.reason == "wrong_code"
    assert secret not in repr([vars(e) for e in events_of(accounts, "boss")[-1:]])
    assert sign_in(accounts, login="boss", code=pyotp.TOTP(secret).now()).login == "boss"


def test_a_totp_seed_is_stored_sealed_and_opens_only_with_the_gateways_key(accounts):
    add(accounts, login="boss", roles=(SUPERVISOR,))
    secret = accounts.enrol_second_factor(Trace.for_command(), login="boss", by="city-it")
    stored = repr([vars(e) for e in events_of(accounts, "boss")])
    assert secret not in stored and "aesgcm:v1:" in stored
    sealed = accounts.account("boss").totp_secret
    assert accounts.box.open(sealed) == secret
    with pytest.raises(InvalidTag):
        SecretBox().open(sealed)  # another key


def test_a_totp_code_is_accepted_once(accounts):
    add(accounts, login="boss", roles=(SUPERVISOR,))
    secret = accounts.enrol_second_factor(Trace.for_command(), login="boss", by="city-it")
    code = pyotp.TOTP(secret).now()
    sign_in(accounts, login="boss", code=code)
    with pytest.raises(SignInRefused) as refused:
        sign_in(accounts, login="boss", code=code)
    assert refused.value.reason == "code_reused"


def test_an_auditor_without_a_code_is_asked_for_one(accounts):
    add(accounts, login="kansa", roles=(AUDITOR,))
    accounts.enrol_second_factor(Trace.for_command(), login="kansa", by="city-it")
    with pytest.raises(SignInRefused) as refused:
        sign_in(accounts, login="kansa")
    assert refused.value.reason == "code_required"


def test_a_disabled_account_cannot_sign_in(accounts):
    add(accounts)
    accounts.disable(Trace.for_command(), login="sw-01", by="boss")
    with pytest.raises(SignInRefused) as refused:
        sign_in(accounts)
    assert refused.value.reason == "disabled"


def test_an_unknown_login_is_refused_and_recorded_by_digest_only(accounts):
    add(accounts)
    with pytest.raises(SignInRefused) as refused:
        sign_in(accounts, login="someone-else")
    assert refused.value.reason == "unknown"


def test_a_role_outside_the_four_is_refused(accounts):
    with pytest.raises(DomainRuleViolation):
        accounts.add(Trace.for_command(), login="x", name="x", by="it", roles=("神",))


def test_a_short_password_is_refused(accounts):
    add(accounts)
    with pytest.raises(DomainRuleViolation):
        accounts.reset_password(Trace.for_command(), login="sw-01", password="short", by="it")


class _Account:
    id, login, name, organisation, roles = "staff-1", "sw-01", "窓口 太郎", "org-desk", {CASEWORKER}


def test_a_session_ends_after_30_idle_minutes():
    book = SessionBook()
    token = book.new_token()
    book.open(_Account(), T0, token)
    book.find(token, T0 + timedelta(minutes=29))
    book.find(token, T0 + timedelta(minutes=58))  # touched at 29: still within 30 idle
    with pytest.raises(SessionRefused) as refused:
        book.find(token, T0 + timedelta(minutes=89))
    assert refused.value.reason == "expired"


def test_a_session_ends_after_8_hours_however_busy():
    book = SessionBook()
    token = book.new_token()
    book.open(_Account(), T0, token)
    for minutes in range(20, 8 * 60, 20):
        book.find(token, T0 + timedelta(minutes=minutes))
    with pytest.raises(SessionRefused):
        book.find(token, T0 + timedelta(hours=8, minutes=1))


def test_a_closed_or_forged_session_is_refused():
    book = SessionBook()
    token = book.new_token()
    book.open(_Account(), T0, token)
    book.close(token)
    for forged in (token, book.new_token(), ""):
        with pytest.raises(SessionRefused):
            book.find(forged, T0)
