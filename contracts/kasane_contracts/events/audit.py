"""台帳・改ざん検知 — events about the hash-chained event logs, published by every instance."""
from marshmallow import fields, validate

from ..fields import ContractSchema, InstanceId, JsonInteger, LowercaseHex, UtcDateTime


class CheckpointSignedV1(ContractSchema):
    """署名付きチェックポイント — an instance signed the head of its hash-chained log (v1).

    Published by the instance itself, whatever its service; `household_id` is null. A later
    log that does not extend this head (same hash at this position) has been tampered with.
    """

    instance = InstanceId(required=True)
    position = JsonInteger(required=True, validate=validate.Range(min=1))
    head_hash = LowercaseHex(64, required=True)  # SHA-256 of the chain head
    signed_at = UtcDateTime(required=True)
    algorithm = fields.String(
        required=True, validate=validate.Equal("ed25519", error="Must be ed25519.")
    )
    public_key = LowercaseHex(64, required=True)  # raw Ed25519 public key, 32 bytes
    signature = LowercaseHex(128, required=True)  # raw Ed25519 signature, 64 bytes
