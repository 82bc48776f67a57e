"""アウトリーチ — consent withdrawn (broadcast) and a person handed over (addressed) (issue 8).

`outreach.consent_withdrawn` is pseudonymous like `outreach.consent_obtained`: whoever learnt the
consent stops sharing under it. `outreach.person_handed_over` takes a person reached by outreach
to a consultation desk or to 多機関協働, on one of two bases: the person's consent, or a
支援会議 decision in force naming the receiving organisation as a member (art. 106-6). Only
then does it carry the person's details, and only to the one instance it is addressed to.
"""
from marshmallow import ValidationError, fields, validates_schema

from kasane_contracts.vocabulary import (ISSUE_CATEGORIES, OUTREACH_HANDOVER_BASES,
                               OUTREACH_HANDOVER_TARGETS, REFERRAL_REASONS, URGENCY)

from ..fields import (ContractSchema, IsoDate, UtcDateTime, UuidString, code, codes,
                      non_empty_string)
from .common import AgencySchema, ConsentGivenSchema, PersonalSchema


class OutreachConsentWithdrawnV1(ContractSchema):
    """同意の撤回 — a consent obtained by outreach was withdrawn (v1)."""

    outreach_case_id = UuidString(required=True)
    consent_id = UuidString(required=True)
    person_id = UuidString(required=True)
    withdrawn_at = UtcDateTime(required=True)
    worker_id = non_empty_string(required=True)


class SupportMeetingBasisSchema(ContractSchema):
    """支援会議の決定 — the decision in force under which the details travel."""

    meeting_id = UuidString(required=True)
    held_on = IsoDate(required=True)
    sharing_until = IsoDate(required=True)


class HandOverBasisSchema(ContractSchema):
    kind = code(OUTREACH_HANDOVER_BASES, "OUTREACH_HANDOVER_BASES", required=True)
    consent = fields.Nested(ConsentGivenSchema)
    support_meeting = fields.Nested(SupportMeetingBasisSchema)

    @validates_schema
    def _names_its_ground(self, data, **kwargs):
        kind = data.get("kind")
        if kind and not data.get(kind):
            raise ValidationError("The basis names its consent or its 支援会議 decision.", kind)


class PersonHandedOverV1(ContractSchema):
    """アウトリーチからの引き継ぎ — a person handed over to consultation or 多機関協働 (v1)."""

    handover_id = UuidString(required=True)
    outreach_case_id = UuidString(required=True)
    from_agency = fields.Nested(AgencySchema, required=True)
    to_service = code(OUTREACH_HANDOVER_TARGETS, "OUTREACH_HANDOVER_TARGETS", required=True)
    to_organisation = non_empty_string(required=True)
    to_agency = fields.Nested(AgencySchema)
    issue_categories = codes(ISSUE_CATEGORIES, "ISSUE_CATEGORIES", min_items=1, required=True)
    reasons = codes(REFERRAL_REASONS, "REFERRAL_REASONS", min_items=1, required=True)
    urgency = code(URGENCY, "URGENCY", required=True)
    basis = fields.Nested(HandOverBasisSchema, required=True)
    handed_over_at = UtcDateTime(required=True)
    worker_id = non_empty_string(required=True)
    personal = fields.Nested(PersonalSchema)
