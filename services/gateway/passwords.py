"""パスワードと二要素 — argon2id hashes (argon2-cffi) and TOTP codes (pyotp, RFC 6238)."""
from __future__ import annotations

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2id with argon2-cffi's RFC 9106 low-memory profile
MIN_LENGTH = 12


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


def code_matches(secret: str | None, code) -> bool:
    """The current code or the one just before (30 s steps, one step of clock drift)."""
    return bool(secret) and isinstance(code, str) and pyotp.TOTP(secret).verify(code, valid_window=1)


def provisioning_uri(secret: str, login: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=login, issuer_name=issuer)
