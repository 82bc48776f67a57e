"""Payload parts several events share: the agency and the personal part."""
from marshmallow import fields

from kasane.vocabulary import RELATIONS

from ..fields import ContractSchema, IsoDate, UuidString, code, non_empty_string


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
