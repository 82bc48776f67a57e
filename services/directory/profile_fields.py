"""The field helpers of the city profile's schemas (directory.profile, directory.profile_kpis)."""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from kasane_contracts.events.directory import DIRECTORY_ID_PATTERN


def _id(**kwargs) -> fields.String:
    return fields.String(validate=validate.Regexp(
        f"^{DIRECTORY_ID_PATTERN}$", error="Not an id (lower-case ASCII letters, digits, '-')."),
        **kwargs)


def _text(**kwargs) -> fields.String:
    return fields.String(validate=validate.Length(min=1), **kwargs)


def _one_of(values, name: str, **kwargs) -> fields.String:
    return fields.String(validate=validate.OneOf(tuple(values), error=f"Not one of {name}: "
                                                 f"{', '.join(values)}."), **kwargs)


class _Strict(Schema):
    class Meta:
        unknown = RAISE  # a misspelt key is an error, not silently ignored
        register = False
