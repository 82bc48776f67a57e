"""`kasane staff add|grant|revoke|disable|reset ORG PERSON` — city IT's commands for the first
staff accounts of an organisation's gateway (the first 管理者 is created by city IT; later ones
by that 管理者 through the gateway).

  kasane staff add ORG LOGIN --name NAME [--role ROLE]...   a new account and a first password
  kasane staff grant|revoke ORG LOGIN --role ROLE
  kasane staff disable ORG LOGIN
  kasane staff reset ORG LOGIN [--totp]     a new password (lifts a lock); --totp a new secret

A new password is printed once (or taken from KASANE_STAFF_PASSWORD), to be handed to its person;
so is a TOTP enrolment (otpauth URI). Neither is stored or logged anywhere but as a hash/secret
in the gateway's own store. revoke, disable and reset sign the person out of every session at once.
"""
from __future__ import annotations

import getpass
import os
import secrets
import sys

from kasane.config import ConfigurationError
from kasane.deployment import DeployedInstance, load_deployment
from kasane.store.application import postgres_env
from kasane.store.trace import Trace

USAGE = "usage: kasane staff add|grant|revoke|disable|reset ORG LOGIN [--name N] [--role R] [--totp]"
VERBS = ("add", "grant", "revoke", "disable", "reset")
# As the gateway's own pages do: a person whose rights shrink or whose password is reset is signed
# out everywhere at once, not when a session would have timed out.
ENDS_SESSIONS = ("revoke", "disable", "reset")


def gateway_of(organisation: str, deployment: list[DeployedInstance]) -> DeployedInstance:
    found = [d for d in deployment
             if d.settings.service == "gateway" and d.settings.organisation == organisation]
    if not found:
        raise ConfigurationError(f"the deployment runs no gateway for {organisation}")
    return found[0]


def _accounts(organisation: str, deployment: list[DeployedInstance]):
    """The organisation's gateway store, opened with the gateway's own secrets key."""
    from gateway.accounts import StaffAccounts
    from gateway.sealing import SecretBox, load_or_create, secrets_key_file
    settings = gateway_of(organisation, deployment).settings
    return StaffAccounts(env=postgres_env(settings, pool_size=1), organisation=organisation,
                         box=SecretBox(load_or_create(secrets_key_file(settings.instance))))


def staff(action: list[str], name: str | None, roles: list[str], totp: bool,
          deployment: list[DeployedInstance] | None = None, out=sys.stdout) -> int:
    if len(action) != 3 or action[0] not in VERBS:
        raise ConfigurationError(USAGE)
    verb, organisation, login = action
    from gateway.domain.roles import SECOND_FACTOR_REQUIRED
    app = _accounts(organisation, deployment or load_deployment())
    operator = {"operator": getpass.getuser(), "tool": "kasane staff"}
    trace, by = Trace.for_command(actor=operator), f"city-it:{operator['operator']}"
    try:
        if verb == "add":
            app.add(trace, login=login, name=name or login, by=by, roles=roles)
        for role in roles if verb in ("grant", "revoke") else ():
            getattr(app, verb)(trace, login=login, role=role, by=by)
        if verb == "disable":
            app.disable(trace, login=login, by=by)
        if verb in ("add", "reset"):
            _new_password(app, trace, login, by, out)
        if verb in ENDS_SESSIONS:
            _end_sessions(app, login)
        needs_factor = verb in ("add", "grant") and set(roles) & SECOND_FACTOR_REQUIRED
        if totp or (needs_factor and not app.account(login).view()["second_factor"]):
            _new_second_factor(app, trace, login, by, organisation, out)
        view = app.account(login).view()
    finally:
        app.close()
    out.write(f"staff: {organisation}/{login} roles={','.join(view['roles']) or '-'}"
              f"{' disabled' if view['disabled'] else ''}{' locked' if view['locked'] else ''}\n")
    return 0


def _end_sessions(app, login: str) -> None:
    """Deletes the person's sessions in the gateway's own table, which a running gateway reads on
    every request: its next request is refused (401)."""
    from gateway.session_store import PostgresSessionTable
    datastore = getattr(app.recorder, "datastore", None)
    if datastore is not None:
        PostgresSessionTable(datastore).delete_of(str(app.account(login).id))


def _new_password(app, trace, login, by, out) -> None:
    password = os.environ.get("KASANE_STAFF_PASSWORD") or secrets.token_urlsafe(12)
    app.reset_password(trace, login=login, password=password, by=by)
    if "KASANE_STAFF_PASSWORD" not in os.environ:
        out.write(f"初期パスワード (一度だけ表示): {password}\n")


def _new_second_factor(app, trace, login, by, organisation, out) -> None:
    from gateway.passwords import provisioning_uri
    secret = app.enrol_second_factor(trace, login=login, by=by)
    out.write(f"二要素認証の登録 (一度だけ表示): {provisioning_uri(secret, login, f'kasane {organisation}')}\n")
