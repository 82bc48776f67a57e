"""Driving the caseworkers' pages (gateway.pages) as a browser without JavaScript would: forms
posted with the CSRF token found in the page, redirects followed."""
from __future__ import annotations

import re
import secrets
from dataclasses import replace
from html import unescape

import pyotp
import requests

from gateway.domain.roles import CASEWORKER
from tests.samples import AGENCY
from tests.gateway_helpers import add_staff, gateway_for, url

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def desk_gateway(platform, name: str, organisation: str, peers, agencies=(AGENCY,)):
    """A gateway whose pages take intakes for `agencies` (its desk's, as deploy/instances.yaml names them)."""
    return replace(gateway_for(platform, name, organisation, peers), agencies=tuple(agencies))


def organisation(platform, prefix: str, service: str = "consultation", agencies=(AGENCY,)):
    """An organisation `org-<prefix>-<u>` running one instance of `service` and a gateway reaching
    it, whose pages take intakes for `agencies` (none: a gateway without a desk's intake), not yet
    started: (u, instance, gateway), u the run-unique suffix of their names."""
    u = secrets.token_hex(2)
    instance = platform.instance(service, f"{prefix}-{service[:6]}-{u}", organisation=f"org-{prefix}-{u}")
    gateway = desk_gateway(platform, f"{prefix}-gate-{u}", f"org-{prefix}-{u}", peers=[instance],
                           agencies=agencies)
    return u, instance, gateway


def signed_in(gateway, login: str, role: str = CASEWORKER) -> "Pages":
    """The pages as a new member of staff `login` of the gateway's organisation sees them, signed
    in (landing on 今日の予定)."""
    pages = Pages(gateway)
    assert pages.sign_in(add_staff(gateway, login, role)).url.endswith("/today")
    return pages

class Pages:
    def __init__(self, gateway):
        self.base, self.http, self.csrf = url(gateway), requests.Session(), None

    def sign_in(self, account: dict, code: str | None = None, **fields) -> requests.Response:
        form = {"login": account["login"], "password": account["password"],
                "code": code or (pyotp.TOTP(account["secret"]).now() if account.get("secret") else ""), **fields}
        return self.post("/login", form, csrf=False)

    def get(self, path: str) -> requests.Response:
        return self._remember(self.http.get(self.base + path, timeout=30))

    def post(self, path: str, form: dict, csrf: bool = True) -> requests.Response:
        data = {**form, **({"csrf_token": self.csrf} if csrf and self.csrf else {})}
        return self._remember(self.http.post(self.base + path, data=data, timeout=30))

    def _remember(self, response: requests.Response) -> requests.Response:
        found = CSRF.search(response.text)
        if found:
            self.csrf = unescape(found.group(1))
        return response


def intake_form(**overrides) -> dict:
    """The 8050 intake as a desk caseworker fills it in: 本人 (the mother) and her son, consent given."""
    form = {"household_id": "", "channel": "counter", "consulted_by": "self", "urgency": "priority",
            "p0_name": "見本 ハナ", "p0_kana": "ミホン ハナ", "p0_birth_era": "showa", "p0_birth_year": "17",
            "p0_birth_month": "5", "p0_birth_day": "10",
            "p1_name": "見本 一郎", "p1_kana": "みほん いちろう", "p1_birth_era": "showa", "p1_birth_year": "47",
            "p1_birth_month": "3", "p1_birth_day": "1", "p1_relation": "child",
            "main_topic": "8050", "categories": ["care", "hikikomori"], "summary": "母の介護と長男のひきこもり",
            "consent": "yes", "consent_given_by": "self", "consent_method": "written",
            "consent_purposes": ["collaboration", "outreach"]}
    form.update(overrides)
    return form


def field_error(page: str, field: str) -> str | None:
    """The refusal shown next to a field (its id) — None if the field has none."""
    found = re.search(rf'<span class="error-message" id="{re.escape(field)}-error">エラー: ([^<]*)</span>', page)
    return found.group(1) if found else None
