"""役割と権限 — what each staff role may do: one table, checked by every endpoint.

相談員 caseworker, 管理者 the organisation's supervisor (manages staff, approves), 監査員 auditor
(read-only, the audit ledger's organisation), システム管理 city IT (bus and directory, no case
content). The endpoint names are those of services/gateway/service.py and the OpenAPI document.
"""
from __future__ import annotations

from kasane_contracts.vocabulary import AUDITOR_ROLE as AUDITOR  # the role the audit ledger trusts

CASEWORKER, SUPERVISOR, CITY_IT = "相談員", "管理者", "システム管理"
ROLES = (CASEWORKER, SUPERVISOR, AUDITOR, CITY_IT)

#: Roles that must sign in with a second factor (TOTP); others may enrol one.
SECOND_FACTOR_REQUIRED = frozenset({SUPERVISOR, AUDITOR})

#: endpoint -> the roles that may call it. Signing in needs no session and no role.
PERMISSIONS: dict[str, frozenset] = {
    "session.read": frozenset(ROLES),
    "session.close": frozenset(ROLES),
    # the person's own account (gateway.pages.account): any role
    "account.read": frozenset(ROLES),
    "account.password": frozenset(ROLES),
    "account.second_factor": frozenset(ROLES),
    "draft.resume": frozenset(ROLES),  # a form kept when its session expired (gateway.drafts)
    "draft.discard": frozenset(ROLES),
    "household.read": frozenset({CASEWORKER, SUPERVISOR}),
    "household.find": frozenset({CASEWORKER, SUPERVISOR}),
    "intake.receive": frozenset({CASEWORKER, SUPERVISOR}),
    "support_meeting.read": frozenset({CASEWORKER, SUPERVISOR}),
    "staff.list": frozenset({SUPERVISOR}),
    "staff.add": frozenset({SUPERVISOR}),
    "staff.grant": frozenset({SUPERVISOR}),
    "staff.revoke": frozenset({SUPERVISOR}),
    "staff.disable": frozenset({SUPERVISOR}),
    "audit.history": frozenset({AUDITOR}),
    "audit.reads": frozenset({AUDITOR}),  # 閲覧記録の検索 (gateway.pages.oversight)
    "instances.health": frozenset({CITY_IT}),
    "dead_letters.replay": frozenset({CITY_IT}),  # 再送 of an instance's dead letters (pages.oversight)
    # the caseworkers' pages (gateway.pages) beside the API's rows they share
    "worklist.read": frozenset({CASEWORKER, SUPERVISOR}),
    "consent.record": frozenset({CASEWORKER, SUPERVISOR}),
    "referral.send": frozenset({CASEWORKER, SUPERVISOR}),
    "case.read": frozenset({CASEWORKER, SUPERVISOR}),
    "case.write": frozenset({CASEWORKER, SUPERVISOR}),
    "same_person.read": frozenset({CASEWORKER, SUPERVISOR}),  # 同一人物の確認 (pages.same_person)
    "same_person.decide": frozenset({CASEWORKER, SUPERVISOR}),  # 統合 or 別人として記録
    "outreach.read": frozenset({CASEWORKER, SUPERVISOR}),
    "outreach.write": frozenset({CASEWORKER, SUPERVISOR}),
    "participation.read": frozenset({CASEWORKER, SUPERVISOR}),
    "participation.write": frozenset({CASEWORKER, SUPERVISOR}),
    "community.read": frozenset({CASEWORKER, SUPERVISOR}),
    "community.write": frozenset({CASEWORKER, SUPERVISOR}),
}

#: Roles a 管理者 may grant through the gateway; システム管理 and the first 管理者 are city IT's
#: to give (`kasane staff grant`).
GRANTABLE_BY_SUPERVISOR = frozenset({CASEWORKER, SUPERVISOR, AUDITOR})


def allowed(roles, endpoint: str) -> bool:
    """True when any of the roles may call the endpoint (an unknown endpoint: nobody)."""
    return bool(set(roles) & PERMISSIONS.get(endpoint, frozenset()))
