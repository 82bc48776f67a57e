"""参加支援事業 — events the participation service publishes (issue 9).

Seed 002 §III(2) (フォローアップ: 受入先の課題等に対するサポート): a problem a host raises about a
person placed with it is reported to the owner of the plan that asked for the participation
role — the 多機関協働 instance that sent collaboration.role_requested v1.
"""
from marshmallow import fields

from kasane_contracts.vocabulary import HOST_KINDS, HOST_PROBLEM_KINDS

from ..fields import ContractSchema, IsoDate, UtcDateTime, UuidString, code, non_empty_string
from .common import PersonalSchema


class HostSchema(ContractSchema):
    """受入先 — the host, by id, name and kind (an organisation, not a person)."""

    host_id = UuidString(required=True)
    name = non_empty_string(required=True)
    kind = code(HOST_KINDS, "HOST_KINDS", required=True)


class HostProblemPersonalSchema(PersonalSchema):
    """個人情報 of a problem report: what the host said about the person."""

    description = fields.String(allow_none=True)


class HostProblemReportedV1(ContractSchema):
    """受入先からの課題の報告 — a host raised a problem about a person's participation; addressed
    to the collaboration instance that owns the plan (v1). `personal` only when the role
    request came under consent."""

    report_id = UuidString(required=True)
    match_id = UuidString(required=True)
    request_id = UuidString(required=True)
    case_id = UuidString(required=True)
    plan_id = UuidString(required=True)
    role_id = UuidString(required=True)
    host = fields.Nested(HostSchema, required=True)
    kind = code(HOST_PROBLEM_KINDS, "HOST_PROBLEM_KINDS", required=True)
    reported_on = IsoDate(required=True)
    reported_at = UtcDateTime(required=True)
    caseworker_id = non_empty_string(required=True)
    personal = fields.Nested(HostProblemPersonalSchema)
