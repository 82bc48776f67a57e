"""接続インスタンス名簿 — which instances each organisation runs on the city's bus, with the public
key each signs its events with. City IT registers the deployment's instances with the directory
(`kasane up`); every business line keeps a copy, and believes an event's origin only when the
instance is one its copy lists for the organisation whose bus user sent it (issue 14)."""
from marshmallow import fields, validate

from ..fields import ContractSchema, InstanceId, LowercaseHex, UtcDateTime, non_empty_string, unique_items

SERVICES = ("consultation", "collaboration", "outreach", "participation", "community",
            "directory", "audit", "gateway")


class InstanceRecord(ContractSchema):
    """インスタンス — one instance: who runs it, which service it is, the key it signs with."""

    instance = InstanceId(required=True)
    organisation = non_empty_string(required=True)  # the organisation whose bus user runs it
    service = fields.String(required=True, validate=validate.OneOf(SERVICES, error="Not a kasane service."))
    public_key = LowercaseHex(64, required=True)  # raw Ed25519 public key, 32 bytes


class InstancesRegisteredV1(ContractSchema):
    """インスタンス名簿の登録 — the whole registry of the bus's instances as city IT registered it
    now (each event replaces the last); `changed` names the instances added, changed or
    removed. No household, nothing personal (v1)."""

    instances = fields.List(fields.Nested(InstanceRecord), required=True)
    changed = fields.List(InstanceId(), required=True, validate=unique_items)
    registered_at = UtcDateTime(required=True)
