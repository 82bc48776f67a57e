"""アウトリーチ等を通じた継続的支援事業 — consent obtained by outreach (issue 8).

Broadcast and pseudonymous, like consultation.consent_recorded: consultation and collaboration
learn that the person consented, to whom and for what, so they may act; no name, address or
description travels (those go only addressed, with outreach.person_connected).
"""
from marshmallow import ValidationError, fields, validates_schema

from kasane_contracts.vocabulary import CONSENT_GIVEN_BY, CONSENT_METHODS, CONSENT_PURPOSES

from ..fields import ContractSchema, UtcDateTime, UuidString, code, codes, non_empty_string
from ..fields import unique_items


class OutreachConsentObtainedV1(ContractSchema):
    """同意取得 — a person reached by outreach consented to sharing their information with the
    named organisations or for the named purposes (v1)."""

    outreach_case_id = UuidString(required=True)
    consent_id = UuidString(required=True)
    person_id = UuidString(required=True)
    given_by = code(CONSENT_GIVEN_BY, "CONSENT_GIVEN_BY", required=True)
    organisations = fields.List(non_empty_string(), required=True, validate=unique_items)
    purposes = codes(CONSENT_PURPOSES, "CONSENT_PURPOSES", required=True)
    method = code(CONSENT_METHODS, "CONSENT_METHODS", required=True)
    given_at = UtcDateTime(required=True)
    worker_id = non_empty_string(required=True)

    @validates_schema
    def _covers_something(self, data, **kwargs):
        if not data.get("organisations") and not data.get("purposes"):
            raise ValidationError("Name at least one organisation or purpose.", "purposes")
