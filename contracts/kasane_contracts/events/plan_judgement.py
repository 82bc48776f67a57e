"""プランの適切性の協議 — 参加支援事業プラン and アウトリーチ等事業プラン judged by a 重層的支援会議 where
the city's profile says so (seed 001 §1(5)イ(イ)①; issue 19).

A participation or outreach instance proposes its plan (`<service>.plan_proposed` v1, addressed to
the 多機関協働 instance that holds the meeting); the meeting's judgement goes back to the proposing
instance (`collaboration.plan_judged` v1, addressed), and only an approved plan comes into force
there. The goals and the note are free text about the person: in `personal` only, and only under
the person's consent (the meeting discusses only households that consented).
"""
from marshmallow import ValidationError, fields, validate, validates_schema

from kasane_contracts.vocabulary import JUDGED_PLAN_SERVICES, PLAN_JUDGEMENTS, PLAN_SEND_BACK_REASONS

from ..fields import (ContractSchema, IsoDate, JsonInteger, UuidString, code, codes,
                      non_empty_string, unique_items)
from .common import PersonalSchema


class ProposedPlanPersonalSchema(PersonalSchema):
    """個人情報 — the plan's goals and its note (approach) as written."""

    goals = fields.List(fields.String())


class PlanProposedV1(ContractSchema):
    """プランの提出 — a plan (or its revision) proposed for a 重層的支援会議's judgement (v1);
    the same payload from outreach and from participation."""

    plan_id = UuidString(required=True)  # the outreach plan, or the participation support
    revision = JsonInteger(required=True, validate=validate.Range(min=1))
    case_id = UuidString(required=True)  # the outreach case, or the participation support
    proposed_on = IsoDate(required=True)
    review_dates = fields.List(IsoDate(), required=True, validate=[validate.Length(min=1), unique_items])
    request_id = UuidString(required=True, allow_none=True)  # the 多機関協働 role request it answers
    collaboration_case_id = UuidString(required=True, allow_none=True)
    worker_id = non_empty_string(required=True)
    personal = fields.Nested(ProposedPlanPersonalSchema)


class JudgementPersonalSchema(PersonalSchema):
    """個人情報 — the meeting's comment on the plan."""

    comment = fields.String(allow_none=True)


class PlanJudgedV1(ContractSchema):
    """会議の判断 — a 重層的支援会議 judged a proposed plan: approved, or sent back with its
    reasons; addressed to the proposing instance (v1)."""

    proposal_id = UuidString(required=True)
    service = code(JUDGED_PLAN_SERVICES, "JUDGED_PLAN_SERVICES", required=True)
    plan_id = UuidString(required=True)
    revision = JsonInteger(required=True, validate=validate.Range(min=1))
    meeting_id = UuidString(required=True)
    judged_on = IsoDate(required=True)
    judgement = code(PLAN_JUDGEMENTS, "PLAN_JUDGEMENTS", required=True)
    reasons = codes(PLAN_SEND_BACK_REASONS, "PLAN_SEND_BACK_REASONS", required=True)
    recorded_by = non_empty_string(required=True)
    personal = fields.Nested(JudgementPersonalSchema)

    @validates_schema
    def _sent_back_with_reasons(self, data, **kwargs):
        if data.get("judgement") == "sent_back" and not data.get("reasons"):
            raise ValidationError("A plan sent back names at least one reason.", "reasons")
