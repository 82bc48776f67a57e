"""マスター鍵 — the key that wraps an instance's data keys.

`MasterKey` is the whole interface the key store needs: `wrap(data_key, key_id)` and
`unwrap(wrapped, key_id)`. Two implementations live here (a file of 32 random bytes, or the same
in base64 in KASANE_MASTER_KEY); a KMS or HSM implements the same two calls with its own
encrypt/decrypt operation (the key id as encryption context), and the data keys never leave
the process unwrapped otherwise.
"""
from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path
from typing import Mapping, Protocol

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kasane.config import ConfigurationError, master_key_file

NONCE_BYTES = 12
KEY_BYTES = 32


class MasterKey(Protocol):
    def wrap(self, data_key: bytes, key_id: str) -> bytes: ...

    def unwrap(self, wrapped: bytes, key_id: str) -> bytes: ...


class LocalMasterKey:
    """AES-256-GCM with the key id as associated data: a wrapped key moved to another id fails."""

    def __init__(self, secret: bytes):
        if len(secret) != KEY_BYTES:
            raise ConfigurationError(f"a master key is {KEY_BYTES} bytes, not {len(secret)}")
        self._aead = AESGCM(secret)

    def wrap(self, data_key: bytes, key_id: str) -> bytes:
        nonce = secrets.token_bytes(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, data_key, _context(key_id))

    def unwrap(self, wrapped: bytes, key_id: str) -> bytes:
        return self._aead.decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], _context(key_id))


def _context(key_id: str) -> bytes:
    return f"kasane-data-key/{key_id}".encode()


def ensure_master_key_file(path: Path) -> bool:
    """Create the file (mode 0600, written aside then renamed) unless it exists; True if made."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    aside = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(secrets.token_bytes(KEY_BYTES))
    os.replace(aside, path)
    return True


def load_master_key(instance: str, env: Mapping[str, str] = os.environ) -> LocalMasterKey:
    """The instance's master key: KASANE_MASTER_KEY (base64) if set, else its key file."""
    if env.get("KASANE_MASTER_KEY"):
        return LocalMasterKey(base64.b64decode(env["KASANE_MASTER_KEY"]))
    path = master_key_file(instance, env)
    if not path.exists():
        raise ConfigurationError(
            f"{instance}: its master key {path} is missing; restore it from the city's key backup "
            f"(a new key cannot open the data keys already stored)")
    return LocalMasterKey(path.read_bytes())
