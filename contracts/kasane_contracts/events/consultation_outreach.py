"""アウトリーチの依頼 — a consultation desk asks one outreach instance to reach a person it
noticed (issue 8; seed 004 §5(3), 001 §1(4)), addressed to that instance.

Pseudonymous unless the household's recorded consent covers the outreach organisation (or the
purpose アウトリーチ): then `personal` carries the covered persons (and the summary only when
everyone concerned is covered), exactly as a referral's personal part is decided.
"""
from marshmallow import fields

from kasane_contracts.vocabulary import ISSUE_CATEGORIES, URGENCY

from ..fields import ContractSchema, UtcDateTime, UuidString, code, codes, non_empty_string
from .common import AgencySchema, PersonalSchema


class OutreachRequestedV1(ContractSchema):
    """アウトリーチの依頼 — what was noticed (codes), where, by which desk (v1)."""

    request_id = UuidString(required=True)
    consultation_id = UuidString(required=True)
    agency = fields.Nested(AgencySchema, required=True)
    noticed = codes(ISSUE_CATEGORIES, "ISSUE_CATEGORIES", min_items=1, required=True)
    area = non_empty_string(required=True)
    urgency = code(URGENCY, "URGENCY", required=True)
    requested_at = UtcDateTime(required=True)
    caseworker_id = non_empty_string(required=True)
    consent_ids = fields.List(UuidString(), required=True)
    personal = fields.Nested(PersonalSchema)
