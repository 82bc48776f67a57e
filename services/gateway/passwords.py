"""パスワードと二要素 — argon2id hashes (argon2-cffi) and TOTP codes (pyotp, RFC 6238)."""
from __future__ import annotations

import hmac
import secrets
from datetime import datetime

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kasane.clock import now

_hasher = PasswordHasher()  # argon2id with argon2-cffi's RFC 9106 low-memory profile
MIN_LENGTH, MAX_LENGTH = 12, 128


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    if not password_hash or not isinstance(password, str):
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_totp_secret() -> str:
    return pyotp.random_base32()


def code_step(secret: str | None, code, at: datetime | None = None) -> int | None:
    """The 30-second step whose code this is (now, or one step of clock drift either side), or
    None. Each step's code is accepted once: the account remembers the last step used."""
    if not secret or not isinstance(code, str) or not code.isdigit():
        return None
    totp, at = pyotp.TOTP(secret), at or now()
    now_step = totp.timecode(at)
    for step in (now_step - 1, now_step, now_step + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def dummy_verify(password) -> None:
    """As long as checking a real password: an unknown login is not told apart by timing."""
    global _dummy
    _dummy = _dummy or hash_password(secrets.token_urlsafe(16))
    password_matches(_dummy, password if isinstance(password, str) else "")


_dummy: str | None = None


def provisioning_uri(secret: str, login: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=login, issuer_name=issuer)


def policy_refusal(password, login: str) -> str | None:
    """Why a new password is refused (in Japanese, never repeating it), or None."""
    if not isinstance(password, str) or not password:
        return "新しいパスワードを入力してください"
    if len(password) < MIN_LENGTH:
        return f"新しいパスワードは{MIN_LENGTH}文字以上にしてください"
    if len(password) > MAX_LENGTH:
        return f"新しいパスワードは{MAX_LENGTH}文字以内にしてください"
    if login and login.lower() in password.lower():
        return "新しいパスワードにログインIDを含めないでください"
    if len(set(password)) < 4:
        return "新しいパスワードは同じ文字の繰り返しにしないでください"
    return None
