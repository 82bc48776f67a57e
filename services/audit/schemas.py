"""Query schemas (marshmallow) of the audit ledger's RPC entrypoints."""
from marshmallow import fields, validate

from kasane.runtime.commands import CommandSchema



class HistoryQuerySchema(CommandSchema):
    household_id = fields.UUID(required=True)
    as_of = fields.AwareDateTime(load_default=None)
    # The reader is the person of the call's authenticated context, never a field of the query.
    purpose = fields.String(load_default="監査", validate=validate.Length(min=1))


class InstanceQuerySchema(CommandSchema):
    instance = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9][a-z0-9_-]{0,62}$"))


class PrintedQuerySchema(CommandSchema):
    """帳票の出力 — households a printed list showed, for the read record (閲覧記録)."""

    household_ids = fields.List(fields.UUID(), required=True, validate=validate.Length(max=10000))
    purpose = fields.String(required=True, validate=validate.Length(min=1))


class ReadLogQuerySchema(CommandSchema):
    """閲覧記録の検索 — by the person who read (staff id or part of the name), by household, or both."""

    staff = fields.String(load_default=None, validate=validate.Length(min=1, max=100))
    household_id = fields.UUID(load_default=None)
    limit = fields.Integer(load_default=500, validate=validate.Range(min=1, max=5000))
