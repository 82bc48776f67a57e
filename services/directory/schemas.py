"""Command and query schemas (marshmallow) of the directory's RPC entrypoints."""
from marshmallow import ValidationError, fields, validate, validates_schema

from kasane.runtime.commands import CommandSchema
from kasane_contracts.vocabulary import BUSINESS_LINES

from kasane_contracts.events.directory_instances import InstanceRecordV2
from kasane_contracts.fields import LowercaseHex

from directory.profile import CITY_NAME


class ApplyProfileSchema(CommandSchema):
    """プロファイルの反映 — a city's shipped profile by name, or (where enabled) a file by path."""

    profile = fields.String(validate=validate.Regexp(
        CITY_NAME, error="Not a city profile name (lower-case ASCII, e.g. matsudo)."))
    path = fields.String(validate=validate.Regexp(
        r"^/.+\.ya?ml$", error="Not an absolute path to a .yaml file."))

    @validates_schema
    def exactly_one_source(self, data, **kwargs):
        if ("profile" in data) == ("path" in data):
            raise ValidationError("Give either profile or path.", "profile")


class AgencyQuerySchema(CommandSchema):
    business_line = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(
        tuple(BUSINESS_LINES), error="Not one of the BUSINESS_LINES codes."))
    area = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1))


class AnnounceSchema(CommandSchema):
    """再告知 — publish a city's whole directory again (for an instance that joined late)."""

    city = fields.String(required=True, validate=validate.Regexp(
        CITY_NAME, error="Not a city id (lower-case ASCII, e.g. matsudo)."))


class RegisteredInstance(InstanceRecordV2):
    """One instance as city IT registers it; without a receiving key (受信鍵) it has none yet."""

    receiving_key = LowercaseHex(64, load_default=None, allow_none=True)


class RegisterInstancesSchema(CommandSchema):
    """インスタンス名簿の登録 — the deployment's instances, who runs each, the key it signs with
    and the key senders seal to; `replace` drops the ones not named (a removed instance)."""

    instances = fields.List(fields.Nested(RegisteredInstance), required=True,
                            validate=validate.Length(min=1, max=1000))
    replace = fields.Boolean(load_default=False)


class EnterKpiActualSchema(CommandSchema):
    """手入力の実績 — a KPI row's actual of one fiscal year, entered by city staff."""

    city = fields.String(required=True, validate=validate.Regexp(
        CITY_NAME, error="Not a city id (lower-case ASCII, e.g. matsudo)."))
    fiscal_year = fields.Integer(required=True, validate=validate.Range(min=2019, max=2100))
    kpi_id = fields.String(required=True, validate=validate.Length(min=1, max=200))
    value = fields.Float(required=True, validate=validate.Range(min=0))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class KpiActualsQuerySchema(CommandSchema):
    city = fields.String(required=True, validate=validate.Regexp(
        CITY_NAME, error="Not a city id (lower-case ASCII, e.g. matsudo)."))
    fiscal_year = fields.Integer(required=True, validate=validate.Range(min=2019, max=2100))


class InstanceExitSchema(CommandSchema):
    """One instance's exit: where its history went and the proof (chain head) of the copy."""

    instance = fields.String(required=True, validate=validate.Regexp(
        r"^[a-z0-9][a-z0-9_-]{0,40}$", error="Not an instance id."))
    archive_database = fields.String(required=True, validate=validate.Length(min=1, max=63))
    head_events = fields.Integer(required=True, validate=validate.Range(min=0))
    head_position = fields.Integer(required=True, validate=validate.Range(min=0))
    head_hash = fields.String(required=True, validate=validate.Regexp(
        r"^[0-9a-f]{64}$", error="Not a SHA-256 hash in hex."))
    checkpoints = fields.Integer(required=True, validate=validate.Range(min=0))
    keys_moved = fields.Integer(required=True, validate=validate.Range(min=0))
    keys_destroyed = fields.Integer(required=True, validate=validate.Range(min=0))


class RecordContractorExitSchema(CommandSchema):
    """情報管理台帳への記録 — a contractor's exit (返還・廃棄), as `kasane org offboard` proved it."""

    organisation_id = fields.String(required=True, validate=validate.Regexp(
        r"^[a-z0-9][a-z0-9-]{0,99}$", error="Not an organisation id."))
    archive = fields.String(required=True, validate=validate.Regexp(
        r"^[a-z0-9][a-z0-9_-]{0,40}$", error="Not an instance id."))
    instances = fields.List(fields.Nested(InstanceExitSchema), required=True,
                            validate=validate.Length(min=1, max=100))
