"""Query schemas (marshmallow) of the directory-copy RPCs every business-line instance serves."""
from marshmallow import fields, validate

from kasane.runtime.commands import CommandSchema
from kasane_contracts.vocabulary import BUSINESS_LINES, MEETING_BASES
from kasane_contracts.events.directory import DIRECTORY_ID_PATTERN

DIRECTORY_ID = validate.Regexp(f"^{DIRECTORY_ID_PATTERN}$",
                               error="Not a directory id (lower-case ASCII letters, digits, '-').")


class AgencyQuerySchema(CommandSchema):
    business_line = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(
        tuple(BUSINESS_LINES), error="Not one of the BUSINESS_LINES codes."))
    area = fields.String(load_default=None, allow_none=True, validate=DIRECTORY_ID)
    include_withdrawn = fields.Boolean(load_default=False)


class OrganisationQuerySchema(CommandSchema):
    city = fields.String(load_default=None, allow_none=True, validate=DIRECTORY_ID)
    include_disabled = fields.Boolean(load_default=False)


class CityQuerySchema(CommandSchema):
    city = fields.String(required=True, validate=DIRECTORY_ID)


class KpiQuerySchema(CityQuerySchema):
    fiscal_year = fields.Integer(load_default=None, allow_none=True, strict=True,
                                 validate=validate.Range(2019, 2100))


class MeetingBodyQuerySchema(CommandSchema):
    basis = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(
        tuple(MEETING_BASES), error="Not one of the MEETING_BASES codes."))
