"""封印 — the gateway's own secrets (a person's TOTP seed) kept in its event store only sealed:
AES-256-GCM (cryptography) under the gateway's secrets key, a file of its own beside the signing
key (`<state>/keys/<gateway>.secrets.key`, or KASANE_GATEWAY_SECRETS_KEY_FILE). A copy of the
store, or of its backups, then holds no seed a code could be made from. Losing the key loses the
enrolments, never the accounts: city IT enrols a new second factor (`kasane staff reset --totp`).
"""
from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Mapping

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kasane.config import state_dir

PREFIX = "aesgcm:v1:"


def secrets_key_file(instance: str, env: Mapping[str, str] = os.environ) -> Path:
    default = state_dir(env) / "keys" / f"{instance}.secrets.key"
    return Path(env.get("KASANE_GATEWAY_SECRETS_KEY_FILE", default))


def load_or_create(path: Path) -> bytes:
    """The 32-byte key in `path`, made (mode 0600) the first time."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process of the same gateway made it first
            return load_or_create(path)
        with os.fdopen(fd, "w") as out:
            out.write(AESGCM.generate_key(bit_length=256).hex())
    return bytes.fromhex(path.read_text().strip())


class SecretBox:
    def __init__(self, key: bytes | None = None):
        self._aead = AESGCM(key or AESGCM.generate_key(bit_length=256))

    def seal(self, secret: str) -> str:
        nonce = os.urandom(12)
        return PREFIX + base64.b64encode(nonce + self._aead.encrypt(nonce, secret.encode(), None)).decode()

    def open(self, sealed: str | None) -> str | None:
        """The secret; a value stored before sealing began is returned as it is."""
        if not sealed or not sealed.startswith(PREFIX):
            return sealed
        raw = base64.b64decode(sealed[len(PREFIX):])
        return self._aead.decrypt(raw[:12], raw[12:], None).decode()
