"""Command schemas (marshmallow): what the consultation service's RPC entrypoints accept."""
from marshmallow import Schema, fields, validate

from kasane.runtime.commands import CommandSchema
from kasane.vocabulary import CHANNELS, CONSULTED_BY, ISSUE_CATEGORIES, REFERRAL_REASONS, RELATIONS, URGENCY


def one_of(vocabulary: dict) -> validate.OneOf:
    # The default OneOf message repeats the input; this one does not (inputs may be personal).
    return validate.OneOf(list(vocabulary), error="not a known code")


class AgencySchema(Schema):
    agency_id = fields.String(required=True, validate=validate.Length(min=1))
    name = fields.String(required=True, validate=validate.Length(min=1))


class PersonSchema(Schema):
    """世帯員 — a person concerned; every part may be unknown at intake."""

    person_id = fields.UUID(load_default=None)
    name = fields.String(load_default=None, allow_none=True)
    kana = fields.String(load_default=None, allow_none=True)
    birth_date = fields.Date(load_default=None, allow_none=True)
    relation = fields.String(load_default="unknown", validate=one_of(RELATIONS))
    area = fields.String(load_default=None, allow_none=True)


class ReceiveConsultationSchema(CommandSchema):
    """相談受付 — the intake sheet."""

    household_id = fields.UUID(load_default=None)
    agency = fields.Nested(AgencySchema, required=True)
    received_at = fields.AwareDateTime(required=True)
    channel = fields.String(required=True, validate=one_of(CHANNELS))
    consulted_by = fields.String(required=True, validate=one_of(CONSULTED_BY))
    persons = fields.List(fields.Nested(PersonSchema), load_default=list)
    summary = fields.String(load_default=None, allow_none=True)
    issue_categories = fields.List(fields.String(validate=one_of(ISSUE_CATEGORIES)), load_default=list)
    urgency = fields.String(load_default="normal", validate=one_of(URGENCY))
    caseworker_id = fields.String(required=True, validate=validate.Length(min=1))


class ReferToCollaborationSchema(CommandSchema):
    """多機関協働へのつなぎ — referral of the consultation's household."""

    consultation_id = fields.UUID(required=True)
    reasons = fields.List(fields.String(validate=one_of(REFERRAL_REASONS)), required=True,
                          validate=validate.Length(min=1))
    referred_at = fields.AwareDateTime(load_default=None)
    caseworker_id = fields.String(required=True, validate=validate.Length(min=1))
    note = fields.String(load_default=None, allow_none=True)


class ConsultationQuerySchema(CommandSchema):
    consultation_id = fields.UUID(required=True)
