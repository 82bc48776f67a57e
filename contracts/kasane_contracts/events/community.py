"""地域づくり事業 — events the community service publishes (the service itself is a later issue)."""
from marshmallow import fields

from kasane.vocabulary import ISSUE_CATEGORIES

from ..fields import ContractSchema, UtcDateTime, UuidString, codes, non_empty_string
from .common import AgencySchema, ConsentGivenSchema, PersonalSchema


class PlaceSchema(ContractSchema):
    """居場所・拠点 — the place whose staff wrote the sheet (通いの場, 児童館, 地区センター …)."""

    place_id = non_empty_string(required=True)
    name = non_empty_string(required=True)


class TsunaguSheetSentV1(ContractSchema):
    """つなぐシート — a facility's staff (つなぐシート連絡員) noticed someone and, with the
    person's consent, wrote the sheet with them for a consultation agency (seed 001 §10(4)),
    addressed to that agency's instance (v1). The envelope's household_id may be null."""

    sheet_id = UuidString(required=True)
    place = fields.Nested(PlaceSchema, required=True)
    liaison_id = non_empty_string(required=True)
    to_agency = fields.Nested(AgencySchema)
    issue_categories = codes(ISSUE_CATEGORIES, "ISSUE_CATEGORIES", required=True)
    consent = fields.Nested(ConsentGivenSchema, required=True)
    written_at = UtcDateTime(required=True)
    personal = fields.Nested(PersonalSchema)
