"""アウトリーチ等を通じた継続的支援事業 — events the outreach service publishes (later issue)."""
from marshmallow import fields

from kasane_contracts.vocabulary import ISSUE_CATEGORIES, URGENCY

from ..fields import ContractSchema, UtcDateTime, UuidString, code, codes, non_empty_string
from .common import AgencySchema, ConsentGivenSchema, PersonalSchema


class PersonConnectedV1(ContractSchema):
    """アウトリーチからのつなぎ — a person reached by outreach consented to be connected to a
    consultation agency, addressed to that agency's instance (v1)."""

    outreach_case_id = UuidString(required=True)
    worker_id = non_empty_string(required=True)
    to_agency = fields.Nested(AgencySchema)
    issue_categories = codes(ISSUE_CATEGORIES, "ISSUE_CATEGORIES", required=True)
    urgency = code(URGENCY, "URGENCY")
    consent = fields.Nested(ConsentGivenSchema, required=True)
    connected_at = UtcDateTime(required=True)
    personal = fields.Nested(PersonalSchema)
