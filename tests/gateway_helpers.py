"""Starting an organisation's gateway in tests and talking to it as a browser would."""
from __future__ import annotations

import io
import re
import socket
from dataclasses import replace

import psycopg
import pyotp
import requests
from psycopg.rows import dict_row

from kasane.cli.staff import staff


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gateway_for(platform, name: str, organisation: str, peers, **settings):
    """A provisioned gateway of `organisation` reaching `peers` (its own instances)."""
    deployed = platform.instance("gateway", name, organisation=organisation, agencies=())
    return replace(deployed, peers=tuple((p.settings.instance, p.settings.service) for p in peers),
                   settings=replace(deployed.settings, http_port=free_port(), **settings))


def url(gateway) -> str:
    return f"http://127.0.0.1:{gateway.settings.http_port}"


def add_staff(gateway, login: str, *roles: str) -> dict:
    """`kasane staff add` as city IT runs it: returns the printed password and TOTP secret."""
    out = io.StringIO()
    args = [a for role in roles for a in ("--role", role)]
    assert staff(["add", gateway.settings.organisation, login], name=f"職員 {login}",
                 roles=list(roles), totp=False, deployment=[gateway], out=out) == 0, args
    printed = out.getvalue()
    password = re.search(r"初期パスワード \(一度だけ表示\): (\S+)", printed).group(1)
    uri = re.search(r"(otpauth://\S+)", printed)
    return {"login": login, "password": password,
            "secret": pyotp.parse_uri(uri.group(1)).secret if uri else None}


class Browser:
    """A requests session signed in through POST /api/session (cookie + CSRF token)."""

    def __init__(self, gateway):
        self.base, self.http, self.csrf = url(gateway), requests.Session(), None

    def sign_in(self, account: dict, code: str | None = None, **overrides) -> requests.Response:
        body = {"login": account["login"], "password": account["password"],
                "code": code or (pyotp.TOTP(account["secret"]).now() if account.get("secret") else None),
                **overrides}
        response = self.http.post(self.base + "/api/session", json=body, timeout=10)
        if response.status_code == 201:
            self.csrf = response.json()["csrf_token"]
        return response

    def request(self, method: str, path: str, csrf: bool = True, **kwargs) -> requests.Response:
        headers = {"X-CSRF-Token": self.csrf} if csrf and self.csrf else {}
        return self.http.request(method, self.base + path, headers=headers, timeout=30, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)


def skewed_clock(directory, seconds: float) -> dict:
    """The environment of a process whose kasane clock runs `seconds` ahead (the fault campaign's
    skewed clock: a sitecustomize on its PYTHONPATH), for `Platform.start(..., **env)`."""
    import os
    from pathlib import Path

    from kasane.faults.supervisor import SITECUSTOMIZE
    Path(directory).mkdir(parents=True, exist_ok=True)
    (Path(directory) / "sitecustomize.py").write_text(SITECUSTOMIZE)
    path = os.pathsep.join(p for p in (str(directory), os.environ.get("PYTHONPATH")) if p)
    return {"pythonpath": path, "kasane_faults_clock_skew_seconds": str(seconds)}


def restart(platform, gateway, **env) -> None:
    """Stop the gateway's process and start it again (with `env`, e.g. a skewed clock)."""
    platform.stop(gateway)
    platform.start(gateway, **env)


def gateway_rows(gateway, table: str) -> list[dict]:
    """Every row of one of the gateway's own tables (sessions, drafts), read as its owner."""
    db = gateway.settings.database
    with psycopg.connect(host=db.host, port=db.port, user=db.admin_user,
                         dbname=db.database_for(gateway.settings.instance), row_factory=dict_row) as conn:
        return conn.execute(f"SELECT * FROM {table}").fetchall()
