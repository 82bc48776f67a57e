"""署名 — each instance's Ed25519 key, and what exactly a checkpoint signature covers.

The private key lives in a file beside the instance (never in its database, which a tamperer
could rewrite together with the chain); its public half is given to the audit ledger and the
auditors, who keep it apart from the instance.
"""
from __future__ import annotations

import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ALGORITHM = "ed25519"


def ensure_key(path: Path) -> str:
    """Create the instance's key file if it does not exist; returns the public key (hex)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(key.private_bytes_raw().hex())
    public = public_key_hex(load_key(path))
    publish_public_half(path.with_suffix(".pub"), public)
    return public


def publish_public_half(pub: Path, public: str) -> None:
    """Write a key's public half for the others to find, only when it changed."""
    if not pub.exists() or pub.read_text() != public:
        # Whole or not at all: a consumer may be reading it (a truncated file is no key).
        partial = pub.with_name(f"{pub.name}.{os.getpid()}.tmp")
        partial.write_text(public)
        partial.replace(pub)


def load_key(path: Path) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(path.read_text().strip()))


def public_key_hex(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def checkpoint_message(instance: str, position: int, head_hash: str, signed_at: str) -> bytes:
    return f"kasane-checkpoint/v1\n{instance}\n{position}\n{head_hash}\n{signed_at}".encode()


def sign_checkpoint(key: Ed25519PrivateKey, instance: str, position: int, head_hash: str,
                    signed_at: str) -> str:
    return key.sign(checkpoint_message(instance, position, head_hash, signed_at)).hex()


def _holds(public_key: str, signature: str, message: bytes) -> bool:
    """Whether `signature` (hex) is the key's (hex) over `message`; a malformed one does not hold."""
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(bytes.fromhex(signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def signature_holds(public_key: str, signature: str, instance: str, position: int,
                    head_hash: str, signed_at: str) -> bool:
    return _holds(public_key, signature, checkpoint_message(instance, position, head_hash, signed_at))


def rotation_message(instance: str, old_public_key: str, new_public_key: str, rotated_at: str) -> bytes:
    """What the old key signs when it hands over to the new one (鍵の更新)."""
    return f"kasane-key-rotation/v1\n{instance}\n{old_public_key}\n{new_public_key}\n{rotated_at}".encode()


def endorse_rotation(old_key: Ed25519PrivateKey, instance: str, new_public_key: str, rotated_at: str) -> str:
    return old_key.sign(rotation_message(instance, public_key_hex(old_key), new_public_key, rotated_at)).hex()


def endorsement_holds(instance: str, old_public_key: str, new_public_key: str, rotated_at: str,
                      endorsement: str) -> bool:
    return _holds(old_public_key, endorsement, rotation_message(instance, old_public_key, new_public_key, rotated_at))


def reseal_message(instance: str, up_to: int, old_head_hash: str, new_head_hash: str, signed_at: str) -> bytes:
    """What an instance signs when its history moves into a sealed store (移行): the old chain's
    head and the new chain's head at the same position."""
    return f"kasane-reseal/v1\n{instance}\n{up_to}\n{old_head_hash}\n{new_head_hash}\n{signed_at}".encode()


def reseal_holds(public_key: str, signature: str, instance: str, up_to: int, old_head_hash: str,
                 new_head_hash: str, signed_at: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(
            bytes.fromhex(signature), reseal_message(instance, up_to, old_head_hash, new_head_hash, signed_at))
    except (InvalidSignature, ValueError):
        return False
    return True
