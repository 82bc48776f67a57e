"""Query schemas (marshmallow) of the collaboration service's RPC entrypoints."""
from marshmallow import fields

from kasane.runtime.commands import CommandSchema


class CaseQuerySchema(CommandSchema):
    case_id = fields.UUID(required=True)


class HouseholdQuerySchema(CommandSchema):
    household_id = fields.UUID(required=True)
