"""包括的相談支援事業 — events the consultation service publishes."""
from marshmallow import fields

from kasane.vocabulary import CHANNELS, CONSULTED_BY, ISSUE_CATEGORIES, REFERRAL_REASONS, URGENCY

from ..fields import ContractSchema, UtcDateTime, UuidString, code, codes, non_empty_string
from .common import AgencySchema, PersonalSchema


class ConsultationReceivedV1(ContractSchema):
    """相談受付 — consultation received: a desk recorded an intake (v1)."""

    consultation_id = UuidString(required=True)
    agency = fields.Nested(AgencySchema, required=True)
    received_at = UtcDateTime(required=True)
    channel = code(CHANNELS, "CHANNELS", required=True)
    consulted_by = code(CONSULTED_BY, "CONSULTED_BY", required=True)
    issue_categories = codes(ISSUE_CATEGORIES, "ISSUE_CATEGORIES", required=True)
    urgency = code(URGENCY, "URGENCY", required=True)
    caseworker_id = non_empty_string(required=True)
    personal = fields.Nested(PersonalSchema)


class HouseholdReferredV1(ContractSchema):
    """多機関協働へのつなぎ — household referred to multi-agency collaboration (v1)."""

    referral_id = UuidString(required=True)
    consultation_id = UuidString(required=True)
    referring_agency = fields.Nested(AgencySchema, required=True)
    reasons = codes(REFERRAL_REASONS, "REFERRAL_REASONS", min_items=1, required=True)
    issue_categories = codes(ISSUE_CATEGORIES, "ISSUE_CATEGORIES", required=True)
    urgency = code(URGENCY, "URGENCY", required=True)
    referred_at = UtcDateTime(required=True)
    caseworker_id = non_empty_string(required=True)
    personal = fields.Nested(PersonalSchema)
