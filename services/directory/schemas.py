"""Command and query schemas (marshmallow) of the directory's RPC entrypoints."""
from marshmallow import ValidationError, fields, validate, validates_schema

from kasane.runtime.commands import CommandSchema
from kasane_contracts.vocabulary import BUSINESS_LINES

from kasane_contracts.events.directory_instances import InstanceRecord

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


class RegisterInstancesSchema(CommandSchema):
    """インスタンス名簿の登録 — the deployment's instances, who runs each and its public key;
    `replace` drops the ones not named (a deployment that removed an instance)."""

    instances = fields.List(fields.Nested(InstanceRecord), required=True,
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
