"""窓口経由 — the part of the campaign's workload that goes through an organisation's gateway
over HTTP, as a caseworker at a keyboard does: signed in (POST /api/session: a session cookie
and a CSRF token), then the gateway's JSON API, which calls the desk over RPC with that person
in the call's context.

An answer is `ok` (2xx), `refused` (the door or a rule said no, nothing stored: 400, 401, 403,
404, 409, 422 — after a 401, a session lost with a killed gateway, the next call signs in
again) or `unknown` (a 5xx, a timeout, the gateway down).
"""
from __future__ import annotations

import io
import re

import requests

from kasane.deployment import DeployedInstance

ROUTES = {"receive_consultation": "/api/intakes", "find_households": "/api/households/search"}
REFUSED = frozenset({400, 401, 403, 404, 409, 422})
LOGIN = "faults-gw"


def add_caseworker(gateway: DeployedInstance) -> dict:
    """A 相談員 account at the gateway's organisation, as city IT adds one (`kasane staff add`)."""
    from kasane.cli.staff import staff

    out = io.StringIO()
    staff(["add", gateway.settings.organisation, LOGIN], name="試験 職員", roles=["相談員"], totp=False,
          deployment=[gateway], out=out)
    password = re.search(r"初期パスワード \(一度だけ表示\): (\S+)", out.getvalue())
    assert password, "kasane staff add printed no password"
    return {"login": LOGIN, "password": password.group(1)}


class GatewayDoor:
    def __init__(self, gateway: DeployedInstance, account: dict, timeout: float = 10):
        self.base = f"http://127.0.0.1:{gateway.settings.http_port}"
        self.account, self.timeout = account, timeout
        self.http, self.csrf = requests.Session(), None

    def sign_in(self) -> None:
        self.http = requests.Session()  # a new session: never one from before
        response = self.http.post(self.base + "/api/session", json=self.account, timeout=self.timeout)
        response.raise_for_status()
        self.csrf = response.json()["csrf_token"]

    def call(self, method: str, command: dict) -> tuple[str, dict | list | None, str | None]:
        """(answer, result, what refused it): the problem's kind, never its detail."""
        try:
            if self.csrf is None:
                self.sign_in()
            response = self.http.post(self.base + ROUTES[method], json=command, timeout=self.timeout,
                                      headers={"X-CSRF-Token": self.csrf or ""})
        except requests.RequestException as exc:
            self.csrf = None
            return "unknown", None, type(exc).__name__
        if response.ok:
            return "ok", response.json(), None
        if response.status_code == 401:
            self.csrf = None
        kind = _problem_kind(response)
        return ("refused" if response.status_code in REFUSED else "unknown"), None, f"HTTP {response.status_code} {kind}"


def _problem_kind(response: requests.Response) -> str:
    try:
        return str(response.json().get("type", "")).rsplit("/", 1)[-1]
    except ValueError:
        return ""
