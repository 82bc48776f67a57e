"""台帳・改ざん検知 — events about the hash-chained event logs, published by every instance."""
from marshmallow import fields, validate

from ..fields import ContractSchema, InstanceId, JsonInteger, LowercaseHex, UtcDateTime
from ..fields import UuidString, non_empty_string


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


class ReaderSchema(ContractSchema):
    """閲覧者 — the staff member and the organisation who read (staff, not the welfare subject)."""

    name = non_empty_string(required=True)
    organisation = non_empty_string(required=True)
    # Through a gateway (issue 17): the staff account, the role it acted in, why it read.
    staff_id = non_empty_string()
    role = non_empty_string()
    purpose = non_empty_string()


class PersonalDataReadV1(ContractSchema):
    """個人情報の閲覧記録 — someone read a person's details of one household through one of an
    instance's queries (v1), so that the audit ledger records who read what, and when.

    Published by the instance whose data was read, whatever its service; about the household
    in `household_id`. No personal part: the reader is staff, named as such.
    """

    instance = InstanceId(required=True)
    reader = fields.Nested(ReaderSchema, required=True)
    query = non_empty_string(required=True)  # the query's name, e.g. "consultation.find_households"
    record_ids = fields.List(UuidString())  # the records shown (e.g. consultation ids); may be []
    read_at = UtcDateTime(required=True)
