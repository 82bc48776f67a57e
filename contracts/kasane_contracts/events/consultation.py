"""包括的相談支援事業 — events the consultation service publishes."""
from marshmallow import fields, validate

from kasane_contracts.vocabulary import CHANNELS, CONSULTED_BY, ISSUE_CATEGORIES, REFERRAL_REASONS, URGENCY

from ..fields import ContractSchema, UtcDateTime, UuidString, code, codes, non_empty_string
from ..fields import JsonInteger, LowercaseHex, unique_items
from .common import AgencySchema, ConsentScopeSchema, PersonalSchema


class ImportedSourceSchema(ContractSchema):
    """データ移行 — the source file (SHA-256) and row an imported intake came from."""

    file_sha256 = LowercaseHex(64, required=True)
    row = JsonInteger(required=True, validate=validate.Range(min=1))


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
    imported = fields.Nested(ImportedSourceSchema)  # データ移行 only


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


class ConnectedToAgencyV1(ContractSchema):
    """他機関へのつなぎ — a consultation connected to another agency, addressed to that agency's
    instance (v1). Sent only under consent: `consent_ids` name the consents, and `personal`
    carries only what they cover."""

    connection_id = UuidString(required=True)
    consultation_id = UuidString(required=True)
    from_agency = fields.Nested(AgencySchema, required=True)
    to_agency = fields.Nested(AgencySchema, required=True)
    to_organisation = non_empty_string(required=True)
    issue_categories = codes(ISSUE_CATEGORIES, "ISSUE_CATEGORIES", required=True)
    urgency = code(URGENCY, "URGENCY", required=True)
    connected_at = UtcDateTime(required=True)
    caseworker_id = non_empty_string(required=True)
    consent_ids = fields.List(UuidString(), required=True,
                              validate=[validate.Length(min=1), unique_items])
    personal = fields.Nested(PersonalSchema)


class ConsentRecordedV1(ConsentScopeSchema):
    """本人同意の記録 — a person (or a representative) consented to sharing their information
    with some organisations or for some purposes (v1). Every service obeys it."""

    agency = fields.Nested(AgencySchema, required=True)
    caseworker_id = non_empty_string(required=True)


class ConsentWithdrawnV1(ContractSchema):
    """本人同意の撤回 — the consent covers nothing from now on (v1)."""

    consent_id = UuidString(required=True)
    person_id = UuidString(required=True)
    withdrawn_at = UtcDateTime(required=True)
    agency = fields.Nested(AgencySchema, required=True)
    caseworker_id = non_empty_string(required=True)


class HouseholdsMergedV1(ContractSchema):
    """世帯の統合 — `merged_household_id` turned out to be the envelope's household (v1)."""

    merged_household_id = UuidString(required=True)
    person_ids = fields.List(UuidString(), required=True, validate=unique_items)
    merged_at = UtcDateTime(required=True)
    agency = fields.Nested(AgencySchema, required=True)
    caseworker_id = non_empty_string(required=True)
