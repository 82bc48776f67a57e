"""封筒 — the envelope every integration event travels in, whatever its type."""
from marshmallow import Schema, fields, validate

from .fields import (
    ContractSchema,
    EventType,
    InstanceId,
    JsonInteger,
    UtcDateTime,
    UuidString,
    non_empty_string,
)

#: The services that publish integration events: the five business lines, the directory, the
#: audit ledger (台帳) and the gateways (their signed checkpoints and read records).
ORIGIN_SERVICES = (
    "consultation",
    "collaboration",
    "outreach",
    "participation",
    "community",
    "directory",
    "audit",
    "gateway",
)


class OriginSchema(ContractSchema):
    """発信元 — which service, organisation and instance published the event."""

    service = fields.String(
        required=True, validate=validate.OneOf(ORIGIN_SERVICES, error="Not a kasane service.")
    )
    organisation = non_empty_string(required=True)
    instance = InstanceId(required=True)


class RecipientSchema(ContractSchema):
    """宛先 — the one instance an addressed event is for (a connection, a request, a hand-back)."""

    instance = InstanceId(required=True)
    organisation = non_empty_string()


class EnvelopeSchema(ContractSchema):
    """統合イベント — an integration event; its payload is checked by the event's own contract."""

    event_id = UuidString(required=True)
    type = EventType(required=True)
    version = JsonInteger(required=True, validate=validate.Range(min=1))
    occurred_at = UtcDateTime(required=True)
    household_id = UuidString(required=True, allow_none=True)
    origin = fields.Nested(OriginSchema, required=True)
    position = JsonInteger(required=True, validate=validate.Range(min=1))
    correlation_id = UuidString(required=True)
    causation_id = UuidString(required=True)
    payload = fields.Dict(required=True)
    recipient = fields.Nested(RecipientSchema)


def event_schema(
    event_type: str, version: int, payload_schema: type[Schema], *, about_household: bool = True
) -> type[Schema]:
    """The whole event of one contract: the envelope with `type`, `version` and payload fixed.

    An event that is never about a household (`about_household=False`) must carry
    `household_id: null`.
    """
    overrides: dict[str, fields.Field] = {
        "type": EventType(required=True, validate=validate.Equal(event_type)),
        "version": JsonInteger(required=True, validate=validate.Equal(version)),
        "payload": fields.Nested(payload_schema, required=True),
    }
    if not about_household:
        overrides["household_id"] = fields.Raw(
            required=True,
            allow_none=True,
            validate=validate.Equal(None, error="Must be null: this event is about no household."),
        )
    return EnvelopeSchema.from_dict(overrides, name=f"{payload_schema.__name__}Event")
