"""Payload parts several events share: the agency and the personal part."""
from marshmallow import ValidationError, fields, validates_schema

from kasane_contracts.vocabulary import CONSENT_GIVEN_BY, CONSENT_METHODS, CONSENT_PURPOSES, RELATIONS

from ..fields import (ContractSchema, IsoDate, UtcDateTime, UuidString, code, codes, non_empty_string,
                      stated_in_json_schema, unique_items)


class AgencySchema(ContractSchema):
    """相談支援機関 — a consultation agency, by id and name."""

    agency_id = non_empty_string(required=True)
    name = non_empty_string(required=True)


class PersonSchema(ContractSchema):
    """世帯員 — one person of the household, as the desk recorded them."""

    person_id = UuidString(required=True)
    name = fields.String(allow_none=True)
    kana = fields.String(allow_none=True)
    birth_date = IsoDate(allow_none=True)
    relation = code(RELATIONS, "RELATIONS")
    area = fields.String(allow_none=True)


class PersonalSchema(ContractSchema):
    """個人情報 — the marked part holding personal details, kept apart to be encrypted per person."""

    persons = fields.List(fields.Nested(PersonSchema))
    summary = fields.String(allow_none=True)
    note = fields.String(allow_none=True)  # つなぎの際のメモ: free text, so personal


class ConsentGivenSchema(ContractSchema):
    """本人同意 — the consent under which a lead was sent: who gave it, how, when."""

    given_by = code(CONSENT_GIVEN_BY, "CONSENT_GIVEN_BY", required=True)
    method = code(CONSENT_METHODS, "CONSENT_METHODS", required=True)
    given_at = UtcDateTime(required=True)


def check_consent_covers_something(data: dict, message: str) -> None:
    """本人同意の範囲 — a consent names at least one organisation or purpose it covers; else
    `message`, on `purposes` (the contract and the desk's command each word it their own way)."""
    if not data.get("organisations") and not data.get("purposes"):
        raise ValidationError(message, "purposes")


class ConsentScopeSchema(ConsentGivenSchema):
    """本人同意 as recorded: whose, and the organisations or purposes it names (one at least)."""

    consent_id = UuidString(required=True)
    person_id = UuidString(required=True)
    organisations = fields.List(non_empty_string(), required=True, validate=unique_items)
    purposes = codes(CONSENT_PURPOSES, "CONSENT_PURPOSES", required=True)

    @validates_schema
    @stated_in_json_schema  # the payload's anyOf: organisations or purposes with one item at least
    def _covers_something(self, data, **kwargs):
        check_consent_covers_something(data, "Name at least one organisation or purpose.")


class HandBackPersonalSchema(PersonalSchema):
    """個人情報 of a hand-back: the persons and the closed plan's summary (プランの要約)."""

    plan_summary = fields.String(allow_none=True)
