"""送信鍵 — a reader's content keys wrapped under a pass key that HPKE wraps once, not per message.

HPKE (RFC 9180, base mode) costs an X25519 key pair and an exchange per wrap: about 100 µs to
seal and 60 µs to open here, twice per addressed event (recipient and ledger) — profiled, a
seventh of the relay's time draining sealed referrals (2026-12-07). The sender now keeps, per
reader key, a random AES-256-GCM *pass key* wrapped once with HPKE to that reader (info names the
reader), and wraps each event's content key under it (AES-GCM, random nonce, the event's context
as associated data). Every message still carries everything its reader needs (the HPKE-wrapped
pass key beside its own wrapped content key), so each opens alone, in any order, after any
restart; the reader only keeps the pass keys it has opened so as not to open them again.
A pass key is replaced after MAX_USES events or MAX_AGE seconds, and on the reader's new key.
"""
from __future__ import annotations

import base64
import os
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Mapping

from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
PASS_INFO = b"kasane-sealed-pass/v1\n"
MAX_USES = 1000
MAX_AGE = 60.0  # seconds


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _bound(context: bytes, instance: str) -> bytes:
    return context + b"\n" + instance.encode()


@dataclass
class _Pass:
    wrapped: str  # the pass key, HPKE-wrapped to the reader (base64)
    cipher: AESGCM
    made_at: float
    uses: int = 0


class PassKeys:
    """The sender's side: one pass key per reader key in use."""

    def __init__(self, max_uses: int = MAX_USES, max_age: float = MAX_AGE):
        self.max_uses, self.max_age = max_uses, max_age
        self._passes: dict[tuple[str, bytes], _Pass] = {}

    def wrap(self, content_key: bytes, instance: str, public: X25519PublicKey, context: bytes) -> dict:
        """The content key as `instance` opens it: {"pass": HPKE-wrapped pass key, "key": …}."""
        current = self._current(instance, public)
        nonce = os.urandom(12)
        return {"pass": current.wrapped,
                "key": _b64(nonce + current.cipher.encrypt(nonce, content_key, _bound(context, instance)))}

    def _current(self, instance: str, public: X25519PublicKey) -> _Pass:
        slot = (instance, public.public_bytes_raw())
        current = self._passes.get(slot)
        if current is None or current.uses >= self.max_uses or time.monotonic() - current.made_at > self.max_age:
            key = AESGCM.generate_key(256)
            wrapped = SUITE.encrypt(key, public, info=PASS_INFO + instance.encode())
            current = self._passes[slot] = _Pass(_b64(wrapped), AESGCM(key), time.monotonic())
        current.uses += 1
        return current


class OpenedPasses:
    """The reader's side: pass keys it opened, by their wrapped form and the key that opened
    them (a retired receiving key's passes are not kept opening), the oldest dropped first."""

    def __init__(self, size: int = 1024):
        self.size = size
        self._opened: OrderedDict[tuple[str, bytes], AESGCM] = OrderedDict()

    def unwrap(self, entry: Mapping, instance: str, key: X25519PrivateKey, context: bytes) -> bytes:
        """The event's content key; InvalidTag, ValueError, KeyError or TypeError when it does not open."""
        raw = base64.b64decode(entry["key"])
        return self._cipher(entry["pass"], instance, key).decrypt(raw[:12], raw[12:], _bound(context, instance))

    def _cipher(self, wrapped: str, instance: str, key: X25519PrivateKey) -> AESGCM:
        slot = (wrapped, key.public_key().public_bytes_raw())
        cipher = self._opened.get(slot)
        if cipher is None:
            pass_key = SUITE.decrypt(base64.b64decode(wrapped), key, info=PASS_INFO + instance.encode())
            cipher = self._opened[slot] = AESGCM(pass_key)
            if len(self._opened) > self.size:
                self._opened.popitem(last=False)
        return cipher
