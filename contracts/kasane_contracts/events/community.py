"""地域づくり事業 — events the community service publishes (the service itself is a later issue)."""
from marshmallow import fields

from kasane_contracts.vocabulary import AREA_ISSUE_RAISERS, ISSUE_CATEGORIES

from ..fields import (ContractSchema, IsoDate, UtcDateTime, UuidString, code, codes,
                      non_empty_string)
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


class AreaIssueRecordedV1(ContractSchema):
    """地域課題シート — a 福祉のまちづくり委員会 recorded an area's issue, shared with every agency and
    多機関協働 (seed 001 §10(4) 4.(1)) (v1). About no household: household_id is null, and no
    personal part travels (who raised it by name stays in the community instance)."""

    sheet_id = UuidString(required=True)
    area = non_empty_string(required=True)
    committee = non_empty_string(required=True)
    issue_categories = codes(ISSUE_CATEGORIES, "ISSUE_CATEGORIES", min_items=1, required=True)
    description = non_empty_string(required=True)
    raised_by = code(AREA_ISSUE_RAISERS, "AREA_ISSUE_RAISERS", required=True)
    recorded_on = IsoDate(required=True)
