"""Organisations' bus credentials (接続情報), kept by city IT in var/credentials/<org>.json
(mode 0600) and handed to each contractor; never in the repository."""
from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from pathlib import Path

from kasane.bus.access import user_name
from kasane.config import state_dir


def credentials_file(organisation: str, vhost: str) -> Path:
    return state_dir() / "credentials" / vhost / f"{organisation}.json"


def load(organisation: str, vhost: str) -> dict | None:
    path = credentials_file(organisation, vhost)
    return json.loads(path.read_text()) if path.exists() else None


def issued(vhost: str) -> list[dict]:
    """Every credential issued here for the vhost (for clean-up and listings)."""
    folder = state_dir() / "credentials" / vhost
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))] if folder.exists() else []


def issue(organisation: str, vhost: str) -> dict:
    """Write a new random password for the organisation (a first issue or a rotation)."""
    credentials = {"user": user_name(organisation, vhost), "password": secrets.token_urlsafe(24)}
    path = credentials_file(organisation, vhost)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.with_suffix(".tmp"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(credentials, out)
    path.with_suffix(".tmp").replace(path)
    return credentials


def load_or_issue(organisation: str, vhost: str) -> dict:
    return load(organisation, vhost) or issue(organisation, vhost)


def rabbit_password_hash(password: str, salt: bytes | None = None) -> str:
    """RabbitMQ's rabbit_password_hashing_sha256, for the definitions file."""
    salt = salt or secrets.token_bytes(4)
    return base64.b64encode(salt + hashlib.sha256(salt + password.encode()).digest()).decode()
