"""Turning an RPC payload into a validated command and its trace, in one place.

An invalid command raises InvalidCommand naming each bad field and why (marshmallow's
messages, which never repeat the submitted value); nothing is stored.
"""
from __future__ import annotations

from contextlib import contextmanager
from functools import cache

from eventsourcing.application import AggregateNotFoundError
from marshmallow import Schema, ValidationError, fields, validate

from kasane.errors import InvalidCommand, NotFound
from kasane.runtime.command_fields import text
from kasane.runtime.limits import bind_limits
from kasane.store.trace import Trace


class CommandSchema(Schema):
    """Every command may carry its own id and a correlation id (for tracing, never required);
    every field keeps the kernel's limits (kasane.runtime.limits)."""

    command_id = fields.UUID(load_default=None)
    correlation_id = fields.UUID(load_default=None)

    def on_bind_field(self, field_name: str, field_obj) -> None:
        bind_limits(field_name, field_obj)


def load_command(schema: Schema, data, actor: dict | None = None) -> tuple[dict, Trace]:
    if not isinstance(data, dict):
        raise InvalidCommand({"_schema": ["a command is a JSON object"]})
    try:
        loaded = schema.load(data)
    except ValidationError as exc:
        raise InvalidCommand(exc.messages_dict) from None
    command_id, correlation_id = loaded.pop("command_id", None), loaded.pop("correlation_id", None)
    trace = Trace.for_command(str(command_id) if command_id else None,
                              str(correlation_id) if correlation_id else None, actor)
    return loaded, trace


@contextmanager
def not_found_as(what: str):
    """Report a missing aggregate as NotFound("<what> not found") without its id or contents."""
    try:
        yield
    except AggregateNotFoundError:
        raise NotFound(f"{what} not found") from None


def command_on(id_field: str, actor_field: str = "caseworker_id") -> type[Schema]:
    """The base of the commands someone (`actor_field`: caseworker_id, worker_id …) gives on one
    aggregate, named by its id field (`id_field`: case_id, match_id …); each command adds its own."""
    return CommandSchema.from_dict({id_field: fields.UUID(required=True), actor_field: text(required=True)},
                                   name=f"CommandOn_{id_field}")


@cache
def query_by(id_field: str) -> type[Schema]:
    """A query for one aggregate by its id field (case_id, support_id …); one class per field."""
    return CommandSchema.from_dict({id_field: fields.UUID(required=True)}, name=f"QueryBy_{id_field}")


class FiscalYearSchema(CommandSchema):
    """年度 — e.g. 2025 for 令和7年度 (2025-04-01 … 2026-03-31)."""

    fiscal_year = fields.Integer(required=True, strict=True,
                                 validate=validate.Range(min=2000, max=2100, error="not a fiscal year"))


class HouseholdQuerySchema(CommandSchema):
    """One household (世帯), by its id."""

    household_id = fields.UUID(required=True)
