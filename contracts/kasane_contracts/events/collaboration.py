"""多機関協働事業 — events the collaboration service publishes."""
from marshmallow import fields

from kasane.vocabulary import REFERRAL_REASONS

from ..fields import ContractSchema, InstanceId, UtcDateTime, UuidString, codes
from .common import AgencySchema


class _ReferralInCase(ContractSchema):
    """A referral (つなぎ) taken into a household's case (ケース)."""

    case_id = UuidString(required=True)
    referral_id = UuidString(required=True)
    consultation_id = UuidString(required=True)
    referring_agency = fields.Nested(AgencySchema, required=True)
    origin_instance = InstanceId(required=True)
    reasons = codes(REFERRAL_REASONS, "REFERRAL_REASONS", min_items=1, required=True)


class CaseOpenedV1(_ReferralInCase):
    """ケース開始 — case opened for a household after a referral (v1)."""

    opened_at = UtcDateTime(required=True)


class ReferralJoinedCaseV1(_ReferralInCase):
    """ケースへの合流 — a further referral joined the household's open case (v1)."""

    joined_at = UtcDateTime(required=True)
