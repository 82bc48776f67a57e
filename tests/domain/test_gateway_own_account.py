"""A person's own account: the password changed with the current one (policy refusals named by
field, a wrong current password counting toward the lock) and a second factor that counts only
once a code from the app confirms it."""
import pyotp
import pytest

from kasane.store.trace import Trace

from gateway.accounts import ChangeRefused, SignInRefused, StaffAccounts
from gateway.domain.roles import CASEWORKER
from gateway.domain.staff import MAX_FAILURES
from gateway.passwords import policy_refusal

from tests.domain.test_gateway_staff import PASSWORD, add, events_of, sign_in

NEW = "a long new sentence of mine"


@pytest.fixture
def accounts():
    accounts = StaffAccounts(organisation="org-desk")
    add(accounts, roles=(CASEWORKER,))
    return accounts


def change(accounts, current=PASSWORD, new=NEW):
    return accounts.change_password(Trace.for_command(), login="sw-01", current=current, new=new)


def test_a_person_changes_the_password_and_only_the_new_one_signs_in(accounts):
    change(accounts)
    assert sign_in(accounts, password=NEW).login == "sw-01"
    with pytest.raises(SignInRefused):
        sign_in(accounts, password=PASSWORD)
    changed = [e for e in events_of(accounts) if type(e).__name__ == "PasswordChanged"]
    assert len(changed) == 1 and NEW not in repr(vars(changed[0]))


@pytest.mark.parametrize("new, message", [
    ("short one", "新しいパスワードは12文字以上にしてください"),
    ("x" * 129, "新しいパスワードは128文字以内にしてください"),
    ("my login sw-01 is here", "新しいパスワードにログインIDを含めないでください"),
    ("abababababababab", "新しいパスワードは同じ文字の繰り返しにしないでください"),
    (PASSWORD, "現在のパスワードとは異なるパスワードにしてください"),
])
def test_a_new_password_against_the_policy_is_refused_at_its_field_and_nothing_changes(accounts, new, message):
    before = len(events_of(accounts))
    with pytest.raises(ChangeRefused) as refused:
        change(accounts, new=new)
    assert (refused.value.field, refused.value.message) == ("new_password", message)
    assert len(events_of(accounts)) == before and sign_in(accounts)


def test_a_wrong_current_password_is_refused_recorded_and_counts_toward_the_lock(accounts):
    for _ in range(MAX_FAILURES):
        with pytest.raises(ChangeRefused) as refused:
            change(accounts, current="not my password at all")
        assert refused.value.field == "current_password"
    assert "not my password at all" not in repr([vars(e) for e in events_of(accounts)])
    assert accounts.account("sw-01").locked


def test_an_empty_password_is_refused():
    assert policy_refusal("", "sw-01") == "新しいパスワードを入力してください"


def test_a_proposed_second_factor_counts_only_once_a_code_confirms_it(accounts):
    secret = accounts.propose_second_factor(Trace.for_command(), login="sw-01")
    assert sign_in(accounts).login == "sw-01"  # not yet: no code asked
    with pytest.raises(ChangeRefused) as refused:
        accounts.confirm_second_factor(Trace.for_command(), login="sw-01", code="abcdef")
    assert refused.value.field == "code"
    code = pyotp.TOTP(secret).now()
    accounts.confirm_second_factor(Trace.for_command(), login="sw-01", code=code)
    with pytest.raises(SignInRefused) as asked:
        sign_in(accounts)
    assert asked.value.reason == "code_required"
    with pytest.raises(SignInRefused) as reused:
        sign_in(accounts, code=code)  # the confirming code is used up
    assert reused.value.reason == "code_reused"
    assert secret not in repr([vars(e) for e in events_of(accounts)])
    assert "SecondFactorConfirmed" in [type(e).__name__ for e in events_of(accounts)]


def test_a_confirmation_without_a_proposal_is_refused(accounts):
    with pytest.raises(ChangeRefused) as refused:
        accounts.confirm_second_factor(Trace.for_command(), login="sw-01", code="123456")
    assert refused.value.field == "code"
