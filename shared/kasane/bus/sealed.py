"""封緘 — an addressed event's personal part sealed for its readers, never in clear in a queue.

The relay seals the personal part (its JSON) once under a random content key (AES-256-GCM) and
wraps that key for each reader — the recipient instance and the audit ledger — under the
reader's pass key, itself wrapped with HPKE (RFC 9180, base mode: DHKEM(X25519, HKDF-SHA256),
HKDF-SHA256, AES-256-GCM) to the reader's receiving key once for many events
(kasane.bus.pass_keys). Ciphertext and wrapped content key are bound to the event (`context`:
event id, type, version, origin, recipient), so a sealed part moved onto another event does not
open. The origin's signature covers the sealed form; a reader opens it after the signature
holds and before the contract is checked.

On the wire: `payload.personal = {"sealed": {"alg", "nonce", "ciphertext", "keys": {instance:
{"pass", "key"}}}}` (base64). An instance that is no reader sees no personal part at all. A
part sealed before pass keys (`ALGORITHM_V1`: the content key HPKE-wrapped per event) still
opens: such messages may wait in a queue or a dead-letter queue across the upgrade.
"""
from __future__ import annotations

import base64
import json
import logging
import os
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kasane.bus.authenticity import OriginRefused
from kasane.bus.pass_keys import SUITE, OpenedPasses, PassKeys
from kasane.bus.receiving_keys import ReceivingKeys, ensure_receiving_key, load_receiving_key

__all__ = ["Opener", "Sealer", "SealRefused", "ensure_receiving_key", "is_sealed", "load_receiving_key",
           "open_sealed", "seal"]

log = logging.getLogger(__name__)

ALGORITHM = "hpke-x25519-sha256-aes256gcm/pass-aes256gcm/aes256gcm"
ALGORITHM_V1 = "hpke-x25519-sha256-aes256gcm/aes256gcm"

SEAL_INVALID = "seal_invalid"  # a refusal reason, beside signature_invalid
PERSONAL_IN_CLEAR = "personal_in_clear"


class SealRefused(OriginRefused):
    """The personal part cannot be opened by the reader it is meant for (or travelled in clear):
    refused and recorded as an unproven origin is; the detail names instances only, never a
    personal value."""

    def __init__(self, detail: str, reason: str = SEAL_INVALID):
        super().__init__(reason, detail)


def is_sealed(personal: object) -> bool:
    return isinstance(personal, dict) and set(personal) == {"sealed"}


def context_of(envelope: Mapping) -> bytes:
    """What a sealed part is bound to: the event it travels in and who it is for."""
    origin = envelope.get("origin")
    instance = origin.get("instance") if isinstance(origin, dict) else None
    return (f"kasane-sealed/v1\n{envelope.get('event_id')}\n{envelope.get('type')}\n"
            f"{envelope.get('version')}\n{instance}\n{recipient_of(envelope)}").encode("utf-8")


def recipient_of(envelope: Mapping) -> str | None:
    recipient = envelope.get("recipient")
    return recipient.get("instance") if isinstance(recipient, dict) else None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def seal(personal: dict, envelope: Mapping, readers: Mapping[str, X25519PublicKey],
         passes: PassKeys | None = None) -> dict:
    """The sealed form of `personal` for these readers (instance -> receiving public key)."""
    context, content_key, nonce = context_of(envelope), AESGCM.generate_key(256), os.urandom(12)
    plain = json.dumps(personal, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    passes = passes or PassKeys()
    keys = {instance: passes.wrap(content_key, instance, public, context)
            for instance, public in sorted(readers.items())}
    return {"sealed": {"alg": ALGORITHM, "nonce": _b64(nonce),
                       "ciphertext": _b64(AESGCM(content_key).encrypt(nonce, plain, context)),
                       "keys": keys}}


def open_with(keys: Sequence[X25519PrivateKey], sealed: Mapping, envelope: Mapping, instance: str,
              opened: OpenedPasses | None = None) -> dict | None:
    """As open_sealed, with the reader's keys in turn: the key in force, then the one kept since
    the last rotation (a part sealed before it may still wait in a queue)."""
    refused = SealRefused(f"{instance} holds no receiving key")
    for key in keys:
        try:
            return open_sealed(sealed, envelope, instance, key, opened)
        except SealRefused as exc:
            refused = exc
    raise refused


def open_sealed(sealed: Mapping, envelope: Mapping, instance: str, key: X25519PrivateKey,
                opened: OpenedPasses | None = None) -> dict | None:
    """The clear personal part, or None when `instance` is no reader; SealRefused when it is one
    and the part does not open (tampered, or sealed to another key)."""
    body = sealed.get("sealed")
    if not isinstance(body, dict) or body.get("alg") not in (ALGORITHM, ALGORITHM_V1) \
            or not isinstance(body.get("keys"), dict):
        raise SealRefused("the sealed personal part is not in the form kasane seals")
    wrapped = body["keys"].get(instance)
    if wrapped is None:
        return None
    context = context_of(envelope)
    try:
        content_key = _content_key(body["alg"], wrapped, instance, key, context, opened or OpenedPasses())
        plain = AESGCM(content_key).decrypt(base64.b64decode(body["nonce"]),
                                            base64.b64decode(body["ciphertext"]), context)
        personal = json.loads(plain.decode("utf-8"))
    except (InvalidTag, ValueError, TypeError, KeyError) as exc:
        raise SealRefused(f"the personal part sealed for {instance} does not open") from exc
    if not isinstance(personal, dict):
        raise SealRefused(f"the personal part sealed for {instance} is no object")
    return personal


def _content_key(alg: str, wrapped, instance: str, key: X25519PrivateKey, context: bytes,
                 opened: OpenedPasses) -> bytes:
    if alg == ALGORITHM_V1:  # the content key HPKE-wrapped for this event alone
        return SUITE.decrypt(base64.b64decode(wrapped), key, info=context + b"\n" + instance.encode())
    return opened.unwrap(wrapped, instance, key, context)


@dataclass
class Sealer:
    """The relay's side: seal an addressed event's personal part for its recipient and the ledger.

    `public_key(instance)` answers a reader's registered receiving key (hex) or None. A reader
    without one is an instance city IT never provisioned: it is not given the details (the log
    says for whom), and the relay goes on with the rest of the log. Without the recipient's key
    the event leaves with no personal part at all (the ledger records what was disclosed)."""

    public_key: Callable[[str], str | None]
    ledger: str | None = None
    withheld: int = 0  # personal parts kept back from a reader without a registered key
    # Re-reads where the keys come from (this store's copy of the directory's registry) when the
    # relay passes a change of that copy (a notification whose topic starts with `refresh_on`):
    # every event recorded after the copy took a rotated key is sealed to the new one.
    refresh: Callable[[], None] = field(default=lambda: None, repr=False)
    refresh_on: str | None = None
    _stale: bool = field(default=True, init=False, repr=False)
    _passes: PassKeys = field(default_factory=PassKeys, init=False, repr=False)

    def saw(self, topic: str) -> None:
        """The relay passes every notification of the log, in order, before sealing the next."""
        if self.refresh_on is not None and topic.startswith(self.refresh_on):
            self._stale = True

    def readers_of(self, envelope: Mapping) -> dict[str, X25519PublicKey]:
        if self._stale:
            self.refresh()
            self._stale = False
        readers = {}
        for instance in dict.fromkeys(i for i in (recipient_of(envelope), self.ledger) if i):
            hex_key = self.public_key(instance)
            if hex_key is None:
                self.withheld += 1
                log.warning("%s#%s (%s): no receiving key registered for %s; its personal part is "
                            "withheld from it", (envelope.get("origin") or {}).get("instance"),
                            envelope.get("position"), envelope.get("type"), instance)
                if instance == recipient_of(envelope):
                    return {}
                continue
            readers[instance] = _public_key(hex_key)
        return readers

    def __call__(self, envelope: dict) -> dict:
        personal = (envelope.get("payload") or {}).get("personal")
        if personal is None:
            return envelope
        readers = self.readers_of(envelope)
        rest = {k: v for k, v in envelope["payload"].items() if k != "personal"}
        if readers:
            rest["personal"] = seal(personal, envelope, readers, self._passes)
        return {**envelope, "payload": rest}


_PUBLIC_KEYS: dict[str, X25519PublicKey] = {}


def _public_key(hex_key: str) -> X25519PublicKey:
    if hex_key not in _PUBLIC_KEYS:
        _PUBLIC_KEYS[hex_key] = X25519PublicKey.from_public_bytes(bytes.fromhex(hex_key))
    return _PUBLIC_KEYS[hex_key]


@dataclass
class Opener:
    """The consumer's side: the envelope as its reader may see it (personal part opened, or
    gone when this instance is no reader). `sealing=False` only for the benchmark's baseline."""

    instance: str
    key: X25519PrivateKey | ReceivingKeys  # ReceivingKeys: the key in force, then the previous one
    sealing: bool = True
    _opened: OpenedPasses = field(default_factory=OpenedPasses, init=False, repr=False)

    def __call__(self, raw: dict) -> dict:
        if not isinstance(raw, dict):
            return raw  # the contract check says what is wrong with it
        payload = raw.get("payload")
        if not isinstance(payload, dict) or payload.get("personal") is None:
            return raw
        personal = payload["personal"]
        if not is_sealed(personal):
            if self.sealing:
                raise SealRefused("a personal part travelled in clear", PERSONAL_IN_CLEAR)
            return raw
        keys = self.key() if isinstance(self.key, ReceivingKeys) else (self.key,)
        opened = open_with(keys, personal, raw, self.instance, self._opened)
        if opened is None and recipient_of(raw) == self.instance:
            raise SealRefused(f"the personal part is not sealed for its recipient {self.instance}")
        clear = {k: v for k, v in payload.items() if k != "personal"}
        if opened is not None:
            clear["personal"] = opened
        return {**raw, "payload": clear}
