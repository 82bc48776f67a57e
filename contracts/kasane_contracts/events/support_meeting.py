"""支援会議の決定 — what a 支援会議 (社会福祉法 art. 106-6) decided about one household, sent to
each member organisation's instance the decision names (issue 8; seed 000 §4, 001 §1(5)ア).

Addressed, one message per recipient instance: only a member's inbox can bind the key, so a
non-member never receives it. It carries the decision (the recipient's role, whether the
members may share what they know of the household among themselves, and until when), and in
`personal` only what the meeting decided to pass on to the recipient (who is to be reached,
where, a description) — never the meeting's discussion, which stays in collaboration.
"""
from marshmallow import ValidationError, fields, validate, validates_schema

from kasane_contracts.vocabulary import SUPPORT_MEETING_ROLES

from ..fields import ContractSchema, IsoDate, UuidString, code, non_empty_string, unique_items
from .collaboration_support import JsonBoolean
from .common import PersonalSchema


class PassedOnSchema(PersonalSchema):
    """個人情報 — what the meeting decided to pass on to the recipient (persons, address, description)."""

    address = fields.String(allow_none=True)
    description = fields.String(allow_none=True)


class SupportMeetingDecidedV1(ContractSchema):
    """支援会議の決定 — one household's decision, addressed to one member's instance (v1)."""

    meeting_id = UuidString(required=True)
    decision_id = UuidString(required=True)
    held_on = IsoDate(required=True)
    members = fields.List(non_empty_string(), required=True,
                          validate=[validate.Length(min=2), unique_items])
    recipient_organisation = non_empty_string(required=True)
    role = code(SUPPORT_MEETING_ROLES, "SUPPORT_MEETING_ROLES", required=True, allow_none=True)
    sharing_allowed = JsonBoolean(required=True)
    sharing_until = IsoDate(required=True, allow_none=True)
    recorded_by = non_empty_string(required=True)
    personal = fields.Nested(PassedOnSchema)

    # That the recipient is one of the members is the sender's domain rule: JSON Schema cannot
    # compare two fields, and both validators must accept the same events.
    @validates_schema
    def _consistent(self, data, **kwargs):
        if data.get("sharing_allowed") and not data.get("sharing_until"):
            raise ValidationError("Sharing is allowed until a date.", "sharing_until")
