"""The wire types every contract shares, as marshmallow fields.

Each field checks what the matching `$defs` entry of schemas/envelope.v1.json checks, with the
same patterns, and loads to plain JSON values (ids and times stay strings) so a loaded event
can be written back out unchanged. One addition: UtcDateTime and IsoDate also refuse days that
do not exist (2025-02-30); JSON Schema catches those through `format`, where a validator checks
formats. No error message quotes the input: events carry personal details.
"""
import datetime as dt
import re

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

UUID_PATTERN = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
UTC_DATE_TIME_PATTERN = (
    r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    r"T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?(Z|\+00:00)"
)
DATE_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
INSTANCE_PATTERN = r"[a-z0-9][a-z0-9_-]{0,62}"
TYPE_PATTERN = r"[a-z][a-z_]{0,62}\.[a-z][a-z_]{0,62}"


class ContractSchema(Schema):
    """Base of every contract schema: unknown fields are ignored and dropped, at every level."""

    class Meta:
        unknown = EXCLUDE
        register = False  # keep contract schemas out of marshmallow's global class registry


class _PatternString(fields.String):
    """A string matching a whole pattern, then passing `_check` (for calendar validity)."""

    pattern = ""
    message = "Not valid."

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if not re.fullmatch(self.pattern, text):
            raise ValidationError(self.message)
        try:
            self._check(text)
        except ValueError:
            raise ValidationError(self.message) from None
        return text

    def _check(self, text: str) -> None:
        """Raise ValueError when the text matches the pattern but is still not valid."""


class UuidString(_PatternString):
    """A UUID in its 8-4-4-4-12 hexadecimal form, kept as the string it came as."""

    pattern = UUID_PATTERN
    message = "Not a valid UUID (8-4-4-4-12 hexadecimal)."


class UtcDateTime(_PatternString):
    """An RFC 3339 date-time in UTC, ending in "Z" or "+00:00"; naive times are refused."""

    pattern = UTC_DATE_TIME_PATTERN
    message = 'Not a valid UTC date-time (RFC 3339 ending in "Z" or "+00:00").'

    def _check(self, text: str) -> None:
        dt.datetime.fromisoformat(text)


class IsoDate(_PatternString):
    """A calendar date, YYYY-MM-DD (e.g. 生年月日 — birth date)."""

    pattern = DATE_PATTERN
    message = "Not a valid date (YYYY-MM-DD)."

    def _check(self, text: str) -> None:
        dt.date.fromisoformat(text)


class InstanceId(_PatternString):
    """An instance id: lowercase letters, digits, "_" and "-", at most 63 characters."""

    pattern = INSTANCE_PATTERN
    message = "Not a valid instance id (^[a-z0-9][a-z0-9_-]{0,62}$)."


class EventType(_PatternString):
    """An event type, "<service>.<event>" in lowercase snake case."""

    pattern = TYPE_PATTERN
    message = "Not a valid event type (<service>.<event>, lowercase)."


class LowercaseHex(_PatternString):
    """Raw bytes as exactly `length` lowercase hexadecimal characters (a hash, key, signature).

    Matches the `hex_<length>` entry of the event's own `$defs` (e.g. audit.checkpoint_signed).
    """

    def __init__(self, length: int, **kwargs):
        super().__init__(**kwargs)
        self.pattern = f"[0-9a-f]{{{length}}}"
        self.message = f"Not {length} lowercase hexadecimal characters."


class JsonInteger(fields.Integer):
    """A JSON integer as JSON Schema counts one: 3 and 3.0 yes; 3.5, "3" and true no."""

    def _validated(self, value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        return value


STATED_IN_JSON_SCHEMA = "__kasane_stated_in_json_schema__"


def stated_in_json_schema(rule):
    """Marks a rule across fields (`@validates_schema`) that the contract's JSON Schema states as
    well (its `anyOf`, …): the compiled check may accept on its own (kasane.bus.compiled_contracts;
    tests/contracts/test_compiled_contracts.py proves both refuse alike)."""
    setattr(rule, STATED_IN_JSON_SCHEMA, True)
    return rule


def non_empty_string(**kwargs) -> fields.String:
    """A string of at least one character."""
    return fields.String(validate=validate.Length(min=1), **kwargs)


def code(vocabulary: dict, name: str, **kwargs) -> fields.String:
    """One wire code of a vocabulary list (kasane_contracts.vocabulary); the error names the list only."""
    return fields.String(
        validate=validate.OneOf(tuple(vocabulary), error=f"Not one of the {name} codes."), **kwargs
    )


def unique_items(items: list) -> None:
    """Validator: no code twice in one list."""
    if len(set(items)) != len(items):
        raise ValidationError("Items must be unique.")


def codes(vocabulary: dict, name: str, *, min_items: int = 0, **kwargs) -> fields.List:
    """A list of distinct codes of one vocabulary list, at least `min_items` of them."""
    return fields.List(
        code(vocabulary, name),
        validate=[validate.Length(min=min_items), unique_items],
        **kwargs,
    )
