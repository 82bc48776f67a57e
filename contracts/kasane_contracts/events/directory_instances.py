"""接続インスタンス名簿 — which instances each organisation runs on the city's bus, with the public
key each signs its events with (and, from v2, the key senders seal its personal parts to). City IT registers the deployment's instances with the directory
(`kasane up`); every business line keeps a copy, and believes an event's origin only when the
instance is one its copy lists for the organisation whose bus user sent it (issue 14)."""
from marshmallow import fields, validate

from ..fields import ContractSchema, InstanceId, LowercaseHex, UtcDateTime, non_empty_string, unique_items
from .directory import directory_id

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


class InstanceRecordV2(InstanceRecord):
    """インスタンス — v1 and the X25519 key senders seal its personal parts to (受信鍵,
    kasane.bus.sealed); null for an instance city IT registered before it had one."""

    receiving_key = LowercaseHex(64, required=True, allow_none=True)  # raw X25519 public key


class InstancesRegisteredV2(InstancesRegisteredV1):
    """インスタンス名簿の登録 — v1 with each instance's receiving key, so that senders seal to the
    key the directory lists (a rotated key reaches every sender with the next registration) (v2)."""

    instances = fields.List(fields.Nested(InstanceRecordV2), required=True)


class Reader(ContractSchema):
    """記録者 — the person (and organisation) who recorded it: city IT's named operator."""

    name = non_empty_string(required=True)
    organisation = non_empty_string(required=True)


class InstanceExit(ContractSchema):
    """One instance's exit: the archive store its history went to and the proof of the copy."""

    instance = InstanceId(required=True)
    archive_database = non_empty_string(required=True)
    head_events = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    head_position = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    head_hash = LowercaseHex(64, required=True)  # SHA-256 of the chain at head_position
    checkpoints = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    keys_moved = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    keys_destroyed = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))


class ContractorExitRecordedV1(ContractSchema):
    """情報管理台帳 — a contractor's exit (委託終了時の返還・廃棄) as recorded by city IT: each of its
    instances' histories copied whole to the city's archive (same chain head, signatures verified
    there), its data keys moved to the archive and destroyed at the contractor. No household,
    nothing personal (v1)."""

    organisation_id = directory_id(required=True)
    archive = InstanceId(required=True)
    instances = fields.List(fields.Nested(InstanceExit), required=True, validate=validate.Length(min=1))
    recorded_by = fields.Nested(Reader, required=True)
    recorded_at = UtcDateTime(required=True)
