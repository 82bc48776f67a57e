"""発信元の確認 — who really sent an integration event, checked before anything trusts it.

A message's body says which instance sent it (`origin`) and at which position of that
instance's log. None of that is believed on its word (issue 14):
- the **broker vouches for the connection**: every publisher sets the AMQP `user_id` property
  to its own bus user and RabbitMQ refuses a `user_id` that is not the connection's, so
  `user_id` names the organisation whose credentials sent the message;
- the **routing key** `ev.<instance>.…` can only be published by the organisation running that
  instance (topic permissions, `kasane.bus.access`);
- the **signature**: the origin instance signs the event id, origin, position and the digest of
  the whole envelope with its Ed25519 key (the one its checkpoints use), so even a stolen bus
  account cannot speak for another instance.
A message is taken in only when the key's origin, the body's origin instance and organisation,
the organisation behind `user_id` and the signature all agree (and, once the directory's
instance registry is known, the instance is one the directory lists for that organisation).
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Callable, Mapping

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kasane.bus.access import user_name
from kasane.bus.envelope import event_id_for

ORIGIN_MISMATCH = "origin_mismatch"
SIGNATURE_INVALID = "signature_invalid"
POSITION_CONFLICT = "position_conflict"
SIGNATURE_HEADER = "kasane-signature"
ORIGINAL_USER_HEADER = "x-kasane-original-user-id"  # kept on dead letters for a faithful replay
RECEIVING_SUFFIX = ".x25519.pub"  # a receiving key's public half, beside the signing key's `.pub`


class OriginRefused(Exception):
    """The message cannot be shown to come from the instance it names; `reason` is one of the
    kinds above and goes into the dead letter's `x-kasane-reason`."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail = reason, detail


def envelope_digest(envelope: Mapping) -> str:
    """SHA-256 of the envelope in canonical JSON (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(envelope, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def signed_message(envelope: Mapping) -> bytes:
    origin = envelope.get("origin") or {}
    return (f"kasane-event/v1\n{envelope.get('event_id')}\n{origin.get('instance')}\n"
            f"{origin.get('organisation')}\n{envelope.get('position')}\n"
            f"{envelope_digest(envelope)}").encode("utf-8")


def sign_event(key: Ed25519PrivateKey, envelope: Mapping) -> str:
    return key.sign(signed_message(envelope)).hex()


@lru_cache(maxsize=4096)
def _public_key(hex_key: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(bytes.fromhex(hex_key))


def event_signature_holds(public_key: str, signature: str, envelope: Mapping) -> bool:
    try:
        _public_key(public_key).verify(bytes.fromhex(signature), signed_message(envelope))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def organisation_of(user_id: str | None, vhost: str) -> str | None:
    """The organisation whose bus user sent the message (users are `kasane-<vhost>-<org>`)."""
    prefix = user_name("", vhost)
    if not user_id or not user_id.startswith(prefix) or len(user_id) == len(prefix):
        return None
    return user_id[len(prefix):]


def origin_of_routing_key(key: str) -> str | None:
    parts = (key or "").split(".")
    return parts[1] if len(parts) >= 5 and parts[0] == "ev" else None


class RegisteredKeys:
    """The public keys registered for instances (`<keys dir>/<instance>.pub`, written when city IT
    provisions an instance), re-read when a file changes (a key rotation). With `suffix=
    RECEIVING_SUFFIX`, the receiving keys senders seal personal parts to (kasane.bus.sealed)."""

    def __init__(self, keys_dir: Path, suffix: str = ".pub"):
        self.keys_dir, self.suffix = keys_dir, suffix
        self._cache: dict[str, tuple[float, str]] = {}

    def __call__(self, instance: str) -> str | None:
        path = self.keys_dir / f"{instance}{self.suffix}"
        try:
            mtime = os.stat(path).st_mtime
        except (FileNotFoundError, NotADirectoryError):
            return None
        cached = self._cache.get(instance)
        if cached is None or cached[0] != mtime:
            cached = (mtime, path.read_text().strip())
            self._cache[instance] = cached
        return cached[1]


@dataclass(frozen=True)
class Sender:
    """What the broker and the message say about who sent it; none of it personal."""

    user_id: str | None
    organisation: str | None
    routing_key: str
    signature: str | None

    @classmethod
    def of(cls, message, vhost: str) -> "Sender":
        properties = getattr(message, "properties", None) or {}
        headers = getattr(message, "headers", None) or {}
        delivery = getattr(message, "delivery_info", None) or {}
        user_id = properties.get("user_id")
        return cls(user_id=user_id, organisation=organisation_of(user_id, vhost),
                   routing_key=delivery.get("routing_key", ""), signature=headers.get(SIGNATURE_HEADER))


@dataclass
class OriginCheck:
    """The checks every consumer (and the audit ledger) runs before a message touches its inbox.

    `instances_of(organisation)` answers the instances the directory lists for an organisation,
    or None while this instance's copy of the directory's instance registry is not complete
    (then only the routing key, `user_id` and signature checks apply)."""

    public_key: Callable[[str], str | None]
    instances_of: Callable[[str], set | None] = lambda organisation: None
    refresh: Callable[[], None] = lambda: None  # re-read the registry (once per batch)

    def check(self, envelope: Mapping, sender: Sender) -> None:
        origin = envelope.get("origin") or {}
        claimed, organisation = origin.get("instance"), origin.get("organisation")
        keyed = origin_of_routing_key(sender.routing_key)
        if keyed != claimed:
            raise OriginRefused(ORIGIN_MISMATCH, f"routing key origin {keyed} is not the body's {claimed}")
        if sender.organisation is None:
            raise OriginRefused(ORIGIN_MISMATCH, f"user_id {sender.user_id or '(none)'} is no organisation's")
        if sender.organisation != organisation:
            raise OriginRefused(ORIGIN_MISMATCH,
                                f"sent by {sender.organisation}, body claims {organisation}")
        known = self.instances_of(sender.organisation)
        if known is not None and claimed not in known:
            raise OriginRefused(ORIGIN_MISMATCH,
                                f"the directory lists no instance {claimed} for {sender.organisation}")
        if envelope.get("event_id") != event_id_for(str(claimed), envelope.get("position")):
            raise OriginRefused(POSITION_CONFLICT, "event id is not the one of its origin and position")
        self._check_signature(envelope, sender, str(claimed))

    def _check_signature(self, envelope: Mapping, sender: Sender, instance: str) -> None:
        key = self.public_key(instance)
        if key is None:
            raise OriginRefused(SIGNATURE_INVALID, f"no key registered for {instance}")
        if not sender.signature or not event_signature_holds(key, sender.signature, envelope):
            raise OriginRefused(SIGNATURE_INVALID, f"not signed by {instance}'s registered key")


@dataclass(frozen=True)
class Refusal:
    """証跡 — a refused message as evidence: who sent it, under which key, claiming what, why.
    Never the payload (it may hold personal details)."""

    reason: str
    detail: str
    user_id: str | None
    organisation: str | None
    routing_key: str
    claimed_instance: str | None
    claimed_organisation: str | None
    event_type: str | None
    position: int | None
    event_id: str | None
    refused_at: str

    @classmethod
    def of(cls, refused: OriginRefused, envelope: Mapping, sender: Sender) -> "Refusal":
        origin = envelope.get("origin") or {}
        return cls(reason=refused.reason, detail=refused.detail, user_id=sender.user_id,
                   organisation=sender.organisation, routing_key=sender.routing_key,
                   claimed_instance=origin.get("instance"), claimed_organisation=origin.get("organisation"),
                   event_type=envelope.get("type"), position=envelope.get("position"),
                   event_id=envelope.get("event_id"),
                   refused_at=datetime.now(timezone.utc).isoformat())
