"""入力の上限 — the limits every command field keeps, declared once for every service.

A field is bounded by what a caseworker knows it to be: a name is a name wherever it appears.
`bind_limits` is called for each field a command schema binds (CommandSchema and Part do it),
so a field that names no limit of its own still gets one. Messages are in Japanese and never
repeat the value given (it may be a person's detail).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from marshmallow import ValidationError, fields, validate

from kasane import clock

# characters, by field name: what a caseworker would expect of each field
TEXT_LIMITS = {
    "name": 100, "kana": 100, "representative": 100, "person_name": 100, "raised_by_name": 100,
    "caseworker_id": 64, "worker_id": 64, "agency_id": 64, "organisation": 64, "liaison_id": 64,
    "summary": 4000, "note": 4000, "description": 4000, "notes": 4000,
    "area": 100, "address": 200,
}
TEXT_LIMIT = 1000  # any other text
PERSONS_LIMIT = 30  # 世帯員: far more than any household, far less than a flood
LIST_LIMIT = 200  # any other list
EARLIEST_BIRTH = date(1900, 1, 1)
CLOCK_SKEW = timedelta(minutes=5)  # how far ahead of the server's clock a device may run


def check_birth_date(value: date | str | None) -> None:
    """A birth date between 1900-01-01 and today in Japan."""
    if value is None:
        return
    day = date.fromisoformat(value) if isinstance(value, str) else value
    if not EARLIEST_BIRTH <= day <= clock.today():
        raise ValidationError("生年月日は1900-01-01から今日までの日付にしてください。")


def check_not_ahead(value: datetime | None) -> None:
    """A moment something happened: not ahead of now beyond the clock skew."""
    if value is not None and value.tzinfo is not None and value > clock.now() + CLOCK_SKEW:
        raise ValidationError("未来の日時は記録できません。")


def _text_limit(name: str) -> validate.Length:
    return validate.Length(max=TEXT_LIMITS.get(name, TEXT_LIMIT), error="{max}文字以内にしてください。")


def _list_limit(name: str) -> validate.Length:
    limit = PERSONS_LIMIT if name == "persons" else LIST_LIMIT
    return validate.Length(max=limit, error="{max}件以内にしてください。")


def bind_limits(name: str, field: fields.Field) -> None:
    """Add the kernel's limits to a field bound under `name` (its own validators stay).

    A new list each time: marshmallow copies a schema's declared fields shallowly, so the
    validators list is the class's own; appending to it would add the limits again with
    every schema made (every call), slowing each later call and growing without end."""
    if isinstance(field, fields.List):
        field.validators = [*field.validators, _list_limit(name)]
        bind_limits(name.removesuffix("s"), field.inner)
    elif isinstance(field, fields.String):
        extra = [_iso_birth_date] if name == "birth_date" else []
        field.validators = [*field.validators, _text_limit(name), *extra]
    elif isinstance(field, fields.DateTime) and name.endswith("_at"):
        field.validators = [*field.validators, check_not_ahead]
    elif isinstance(field, fields.Date) and name == "birth_date":
        field.validators = [*field.validators, check_birth_date]


def _iso_birth_date(value: str | None) -> None:
    try:
        check_birth_date(value)
    except ValueError:
        pass  # the field's own format check names it
