"""多機関協働事業 — events of a case's life after the referral: referral returned, plan in force,
role requested, social resource shortage found, case closed, case suspended (issue 5).

Seeds: 001 §1(5)イ (the meeting's decisions: plan, re-plan, closure, suspension), 002 §4(3) and
003 ch.4(3) (社会資源の不足 found at 重層的支援会議 for community building). A 支援会議 (art. 106-6)
has no event: its records never leave the 多機関協働 instance.
"""
from marshmallow import fields, validate

from kasane_contracts.vocabulary import (GOAL_ATTAINMENT, REFERRAL_RETURN_REASONS, ROLE_SERVICES,
                               ROLE_TASKS, SOCIAL_RESOURCE_KINDS, SUSPENSION_REASONS)

from ..fields import (ContractSchema, IsoDate, JsonInteger, UtcDateTime, UuidString, code,
                      non_empty_string, unique_items)
from .collaboration import CaseReferralSchema
from .common import AgencySchema, PersonalSchema


class JsonBoolean(fields.Boolean):
    """true or false only, as JSON Schema's boolean: no "yes", 1 or "true"."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class ReferralReturnedV1(CaseReferralSchema):
    """つなぎの差し戻し — 多機関協働 returned a referral with the reason, addressed to the
    referring consultation instance (v1). `case_ends` when no other referral keeps the case."""

    reason = code(REFERRAL_RETURN_REASONS, "REFERRAL_RETURN_REASONS", required=True)
    case_ends = JsonBoolean(required=True)
    returned_at = UtcDateTime(required=True)
    caseworker_id = non_empty_string(required=True)


class PlanRoleSchema(ContractSchema):
    """役割分担 — which organisation does what in the plan, from when."""

    role_id = UuidString(required=True)
    service = code(ROLE_SERVICES, "ROLE_SERVICES", required=True)
    task = code(ROLE_TASKS, "ROLE_TASKS", required=True)
    organisation = non_empty_string(required=True)
    agency = fields.Nested(AgencySchema, required=True)
    starts_on = IsoDate(required=True)


class PlanApprovedV1(ContractSchema):
    """支援プランの決定 — a 重層的支援会議 judged the plan appropriate; it is in force (v1).
    Pseudonymous: goals are named by person id only, no personal text travels."""

    plan_id = UuidString(required=True)
    case_id = UuidString(required=True)
    version = JsonInteger(required=True, validate=validate.Range(min=1))
    meeting_id = UuidString(required=True)
    approved_on = IsoDate(required=True)
    goal_person_ids = fields.List(UuidString(), required=True, validate=unique_items)
    household_goal = JsonBoolean(required=True)
    roles = fields.List(fields.Nested(PlanRoleSchema), required=True, validate=validate.Length(min=1))
    monitoring_dates = fields.List(IsoDate(), required=True,
                                   validate=[validate.Length(min=1), unique_items])


class PersonGoalSchema(ContractSchema):
    """本人の目標 — one person's goal in the plan (free text, personal)."""

    person_id = UuidString(required=True)
    goal = fields.String(allow_none=True)


class RoleRequestPersonalSchema(PersonalSchema):
    """個人情報 of a role request: covered persons, the role's note, the goals."""

    goals = fields.List(fields.Nested(PersonGoalSchema))
    household_goal = fields.String(allow_none=True)


class RoleRequestedV1(PlanRoleSchema):
    """役割の依頼 — a plan in force asks the outreach or participation instance named in the
    role to take it, addressed to that instance (v1). `personal` only under consent."""

    request_id = UuidString(required=True)
    case_id = UuidString(required=True)
    plan_id = UuidString(required=True)
    requested_at = UtcDateTime(required=True)
    consent_ids = fields.List(UuidString(), required=True, validate=unique_items)
    personal = fields.Nested(RoleRequestPersonalSchema)


class SocialResourceShortageFoundV1(ContractSchema):
    """社会資源の不足 — a 重層的支援会議 found a missing social resource, for community building
    and participation (v1). About no household: its household_id is null."""

    shortage_id = UuidString(required=True)
    meeting_id = UuidString(required=True)
    resource_kind = code(SOCIAL_RESOURCE_KINDS, "SOCIAL_RESOURCE_KINDS", required=True)
    area = fields.String(allow_none=True)
    description = fields.String(allow_none=True)
    found_on = IsoDate(required=True)


class _EndedByDecision(ContractSchema):
    case_id = UuidString(required=True)
    meeting_id = UuidString(required=True)
    decided_on = IsoDate(required=True)
    caseworker_id = non_empty_string(required=True)


class CaseClosedV1(_EndedByDecision):
    """終結 — the case closed as a 重層的支援会議 judged, with its evaluation (v1)."""

    closed_at = UtcDateTime(required=True)
    goals_met = code(GOAL_ATTAINMENT, "GOAL_ATTAINMENT", required=True)
    follow_up_needed = JsonBoolean(required=True)


class CaseSuspendedV1(_EndedByDecision):
    """中断 — the case suspended as a 重層的支援会議 decided (e.g. contact lost) (v1)."""

    suspended_at = UtcDateTime(required=True)
    reason = code(SUSPENSION_REASONS, "SUSPENSION_REASONS", required=True)
