"""多機関協働事業 — events the collaboration service publishes."""
from marshmallow import fields

from kasane_contracts.vocabulary import REFERRAL_REASONS
from kasane_contracts.vocabulary import ISSUE_CATEGORIES, PLAN_ENDINGS

from ..fields import ContractSchema, InstanceId, UtcDateTime, UuidString, codes, non_empty_string
from ..fields import code
from .common import AgencySchema
from .common import HandBackPersonalSchema


class CaseReferralSchema(ContractSchema):
    """A referral (つなぎ) in a household's case (ケース): the case, the referral, the consultation
    it came from and the agency that referred it."""

    case_id = UuidString(required=True)
    referral_id = UuidString(required=True)
    consultation_id = UuidString(required=True)
    referring_agency = fields.Nested(AgencySchema, required=True)


class _ReferralInCase(CaseReferralSchema):
    """A referral taken into a household's case, from the instance that sent it, for its reasons."""

    origin_instance = InstanceId(required=True)
    reasons = codes(REFERRAL_REASONS, "REFERRAL_REASONS", min_items=1, required=True)


class CaseOpenedV1(_ReferralInCase):
    """ケース開始 — case opened for a household after a referral (v1)."""

    opened_at = UtcDateTime(required=True)


class ReferralJoinedCaseV1(_ReferralInCase):
    """ケースへの合流 — a further referral joined the household's open case (v1)."""

    joined_at = UtcDateTime(required=True)


class HouseholdHandedBackV1(ContractSchema):
    """つなぎ戻し — 多機関協働 hands the household back to the agency that carries on, when its
    plan is closed (終結) or suspended (中断), addressed to that agency's instance (v1).
    The plan's summary is personal (`personal.plan_summary`)."""

    hand_back_id = UuidString(required=True)
    case_id = UuidString(required=True)
    consultation_id = UuidString(allow_none=True)  # the consultation that referred it, if any
    to_agency = fields.Nested(AgencySchema, required=True)
    ending = code(PLAN_ENDINGS, "PLAN_ENDINGS", required=True)
    issue_categories = codes(ISSUE_CATEGORIES, "ISSUE_CATEGORIES", required=True)
    handed_back_at = UtcDateTime(required=True)
    personal = fields.Nested(HandBackPersonalSchema)


class CaseJoinedV1(ContractSchema):
    """ケースの統合 — 多機関協働's staff found this case's household to be that of another open case
    (the same person referred by two desks, issue 19): this case ends and its referral goes on in
    `into_case_id`, of household `into_household_id` (v1). Ids only; nothing personal."""

    case_id = UuidString(required=True)
    into_case_id = UuidString(required=True)
    into_household_id = UuidString(required=True)
    joined_at = UtcDateTime(required=True)
    caseworker_id = non_empty_string(required=True)
