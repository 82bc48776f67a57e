"""受信鍵 — an instance's X25519 receiving key (senders seal its personal parts to it,
kasane.bus.sealed), its rotation and the previous key kept for a grace period.

Files, beside the signing key: `<instance>.x25519.key` (the key in force, 0600), its public half
`<instance>.x25519.pub`, and after a rotation `<instance>.x25519.previous.key` — the key that
opens what was sealed before the rotation and still waits in a queue, until city IT retires it.
Only one previous key is kept: a second rotation waits until the first one's key is retired.
"""
from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kasane.audit.signing import publish_public_half


class RotationRefused(Exception):
    """A rotation or a retirement that cannot be done as asked (the sentence says why)."""


def previous_key_file(path: Path) -> Path:
    """Where the key in force before the last rotation is kept (`….previous.key`)."""
    return path.with_suffix(".previous" + (path.suffix or ".key"))


def public_half_file(path: Path) -> Path:
    return path.with_suffix(".pub")


def _write_private(path: Path, key: X25519PrivateKey, replace: bool) -> None:
    """Write the key whole (0600) under a temporary name, then put it in place: beside a key
    that may not be replaced, only the first one made stays (another process may be making it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(key.private_bytes_raw().hex())
    if replace:
        os.replace(partial, path)
        return
    try:
        os.link(partial, path)
    except FileExistsError:
        pass
    finally:
        partial.unlink()


def public_hex(key: X25519PrivateKey) -> str:
    return key.public_key().public_bytes_raw().hex()


def ensure_receiving_key(path: Path) -> str:
    """Create the instance's X25519 receiving key if it does not exist (beside its signing key);
    its public half (hex) goes to `<same name>.pub` for the senders. Returns the public half."""
    if not path.exists():
        _write_private(path, X25519PrivateKey.generate(), replace=False)
    public = public_hex(load_receiving_key(path))
    publish_public_half(public_half_file(path), public)
    return public


def load_receiving_key(path: Path) -> X25519PrivateKey:
    return X25519PrivateKey.from_private_bytes(bytes.fromhex(path.read_text().strip()))


def rotate_receiving_key(path: Path) -> str:
    """鍵の更新 — a new key in force, the old one kept as the previous key; returns the new public
    half (also written to the `.pub` file). Refused while an earlier previous key is kept."""
    previous = previous_key_file(path)
    if previous.exists():
        raise RotationRefused(f"{path.name}: the key in force before the last rotation is still kept "
                              "(since " + time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(previous.stat().st_mtime))
                              + "); retire it first")
    if not path.exists():
        raise RotationRefused(f"{path.name}: the instance has no receiving key to rotate")
    os.link(path, previous)  # the same file, 0600: at no moment is the old key in no file
    os.utime(previous)  # its time says when it stopped being the key in force
    key = X25519PrivateKey.generate()
    _write_private(path, key, replace=True)
    publish_public_half(public_half_file(path), public_hex(key))
    return public_hex(key)


def retire_previous_key(path: Path) -> float | None:
    """廃棄 — destroy the previous key; what is still sealed to it will not open (seal_invalid).
    Returns when it stopped being in force (epoch seconds), None when none was kept."""
    previous = previous_key_file(path)
    try:
        rotated_at = previous.stat().st_mtime
        previous.unlink()
    except FileNotFoundError:
        return None
    return rotated_at


class ReceivingKeys:
    """The keys a reader opens with: the key in force first, then the previous one while it is
    kept. Re-read when either file changes, so a running instance takes a rotation at once."""

    def __init__(self, path: Path):
        self.path, self.previous = path, previous_key_file(path)
        self._seen: tuple | None = None
        self._keys: tuple[X25519PrivateKey, ...] = ()

    def __call__(self) -> tuple[X25519PrivateKey, ...]:
        stamp = (_stamp(self.path), _stamp(self.previous))
        if stamp != self._seen:
            try:
                self._keys = tuple(load_receiving_key(p) for p, s in zip((self.path, self.previous), stamp)
                                   if s is not None)
            except FileNotFoundError:  # retired between the look and the read: look again next time
                return tuple(load_receiving_key(p) for p in (self.path, self.previous) if p.exists())
            self._seen = stamp
        return self._keys


def _stamp(path: Path) -> tuple | None:
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_mtime_ns)
