"""Field helpers every service's command schemas use, written once.

Their error messages never repeat the submitted value (it may be a person's detail).
"""
from marshmallow import Schema, fields, validate

from kasane.runtime.limits import bind_limits

INSTANCE = validate.Regexp(r"^[a-z0-9][a-z0-9_-]{0,62}$", error="Not a valid instance id.")
ISO_DATE = validate.Regexp(r"^\d{4}-\d{2}-\d{2}$", error="Not a valid date (YYYY-MM-DD).")


def code(vocabulary: dict, **kwargs) -> fields.String:
    """A code from a kasane_contracts.vocabulary list."""
    return fields.String(validate=validate.OneOf(tuple(vocabulary), error="Not a known code."), **kwargs)


def text(**kwargs) -> fields.String:
    """Non-empty text."""
    return fields.String(validate=validate.Length(min=1), **kwargs)


def optional_text() -> fields.String:
    return fields.String(load_default=None, allow_none=True)


class Part(Schema):
    """A nested part of a command (it carries no command id of its own); its fields keep the
    kernel's limits (kasane.runtime.limits)."""

    def on_bind_field(self, field_name: str, field_obj) -> None:
        bind_limits(field_name, field_obj)


class AgencySchema(Part):
    """相談支援機関 — an agency named in a command."""

    agency_id = text(required=True)
    name = text(required=True)
