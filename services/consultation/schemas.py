"""Command schemas (marshmallow): what the consultation service's RPC entrypoints accept.

Every error names the field and why, never the value given (values may be personal).
"""
from marshmallow import ValidationError, fields, validate, validates_schema

from kasane.runtime.command_fields import Part, text
from kasane.runtime.commands import CommandSchema, command_on, FiscalYearSchema
from kasane.runtime.paging import cursor, page_size
from kasane_contracts.events.common import check_consent_covers_something
from kasane_contracts.vocabulary import (SEXES, CHANNELS, CONSENT_GIVEN_BY, CONSENT_METHODS, CONSENT_PURPOSES,
                               CONSULTED_BY, ISSUE_CATEGORIES, REFERRAL_REASONS, RELATIONS, URGENCY)


def one_of(vocabulary: dict) -> validate.OneOf:
    # The default OneOf message repeats the input; this one does not (inputs may be personal).
    return validate.OneOf(list(vocabulary), error="not a known code")


class AgencySchema(Part):
    agency_id = text(required=True)
    name = text(required=True)


class PersonSchema(Part):
    """世帯員 — a person concerned; every part may be unknown at intake."""

    person_id = fields.UUID(load_default=None)
    name = fields.String(load_default=None, allow_none=True)
    kana = fields.String(load_default=None, allow_none=True)
    birth_date = fields.Date(load_default=None, allow_none=True)
    relation = fields.String(load_default="unknown", validate=one_of(RELATIONS))
    area = fields.String(load_default=None, allow_none=True)
    sex = fields.String(load_default=None, allow_none=True, validate=one_of(SEXES))  # 性別


class ReceiveConsultationSchema(CommandSchema):
    """相談受付 — the intake sheet. `household_id` = the caseworker chose a household the search
    found; `new_household: true` = the caseworker chose a new one; `lead_id` = taking in work
    awaiting intake (its household, persons and summary are used unless given)."""

    household_id = fields.UUID(load_default=None)
    new_household = fields.Boolean(load_default=False)
    lead_id = fields.UUID(load_default=None)
    agency = fields.Nested(AgencySchema, required=True)
    received_at = fields.AwareDateTime(required=True)
    channel = fields.String(required=True, validate=one_of(CHANNELS))
    consulted_by = fields.String(required=True, validate=one_of(CONSULTED_BY))
    persons = fields.List(fields.Nested(PersonSchema), load_default=list)
    summary = fields.String(load_default=None, allow_none=True)
    address = fields.String(load_default=None, allow_none=True)  # 住所 (personal)
    phone = fields.String(load_default=None, allow_none=True)  # 電話 (personal)
    issue_categories = fields.List(fields.String(validate=one_of(ISSUE_CATEGORIES)), load_default=list)
    urgency = fields.String(load_default=None, validate=one_of(URGENCY))  # a lead's, else normal
    caseworker_id = text(required=True)
    # 日常生活圏域 — an area id of the city's directory (checked against the instance's copy)
    area = text(load_default=None, allow_none=True)


class _OnConsultation(command_on("consultation_id")):
    """A caseworker's command on one consultation, with a note of its own (メモ)."""

    note = fields.String(load_default=None, allow_none=True)


class ReferToCollaborationSchema(_OnConsultation):
    """多機関協働へのつなぎ — referral of the consultation's household. `to_organisation` names
    the organisation running 多機関協働, when a consent names it rather than the purpose."""

    reasons = fields.List(fields.String(validate=one_of(REFERRAL_REASONS)), required=True,
                          validate=validate.Length(min=1))
    referred_at = fields.AwareDateTime(load_default=None)
    to_organisation = text(load_default=None)


class ReceivingAgencySchema(Part):
    """つなぎ先 — the other agency, the organisation running it and its instance."""

    instance = fields.String(required=True, validate=validate.Regexp(
        r"^[a-z0-9][a-z0-9_-]{0,62}$", error="not an instance id"))
    organisation = text(required=True)
    agency_id = text(required=True)
    name = text(required=True)


class ConnectToAgencySchema(_OnConsultation):
    """他機関へのつなぎ — connect the consultation to another agency (needs consent)."""

    to = fields.Nested(ReceivingAgencySchema, required=True)
    connected_at = fields.AwareDateTime(load_default=None)


class OutreachTargetSchema(Part):
    """依頼先 — the outreach instance and the organisation running it."""

    instance = fields.String(required=True, validate=validate.Regexp(
        r"^[a-z0-9][a-z0-9_-]{0,62}$", error="not an instance id"))
    organisation = text(required=True)


class RequestOutreachSchema(_OnConsultation):
    """アウトリーチの依頼 — what was noticed (codes) and the area; personal only under consent."""

    to = fields.Nested(OutreachTargetSchema, required=True)
    noticed = fields.List(fields.String(validate=one_of(ISSUE_CATEGORIES)), required=True,
                          validate=validate.Length(min=1))
    area = text(required=True)
    requested_at = fields.AwareDateTime(load_default=None)


class ResolveSchema(_OnConsultation):
    """終結（解決）."""

    resolved_at = fields.AwareDateTime(load_default=None)


class ContinueWatchSchema(_OnConsultation):
    """見守り — with the next contact date."""

    next_contact_on = fields.Date(required=True)


class RecordContactSchema(_OnConsultation):
    """継続相談 — a further contact on a consultation."""

    contacted_at = fields.AwareDateTime(load_default=None)
    channel = fields.String(required=True, validate=one_of(CHANNELS))


class RecordConsentSchema(CommandSchema):
    """本人同意の記録 — who consented, for which organisations or purposes, how, when."""

    household_id = fields.UUID(required=True)
    person_id = fields.UUID(required=True)
    given_by = fields.String(required=True, validate=one_of(CONSENT_GIVEN_BY))
    representative = fields.String(load_default=None, allow_none=True)
    organisations = fields.List(text(), load_default=list)
    purposes = fields.List(fields.String(validate=one_of(CONSENT_PURPOSES)), load_default=list)
    method = fields.String(required=True, validate=one_of(CONSENT_METHODS))
    given_at = fields.AwareDateTime(load_default=None)
    caseworker_id = text(required=True)
    agency = fields.Nested(AgencySchema, required=True)

    @validates_schema
    def _covers_something(self, data, **kwargs):
        check_consent_covers_something(data, "name at least one organisation or purpose")


class WithdrawConsentSchema(CommandSchema):
    """本人同意の撤回."""

    household_id = fields.UUID(required=True)
    consent_id = fields.UUID(required=True)
    withdrawn_at = fields.AwareDateTime(load_default=None)
    caseworker_id = text(required=True)
    agency = fields.Nested(AgencySchema, required=True)


class MergeHouseholdsSchema(CommandSchema):
    """世帯の統合 — `merged_household_id` turned out to be `household_id`."""

    household_id = fields.UUID(required=True)
    merged_household_id = fields.UUID(required=True)
    caseworker_id = text(required=True)
    agency = fields.Nested(AgencySchema, required=True)


class FindHouseholdsSchema(CommandSchema):
    """世帯・本人の検索 — by kana name, birth date, area (at least one); one page at a time."""

    kana = fields.String(load_default=None, allow_none=True)
    birth_date = fields.Date(load_default=None, allow_none=True)
    area = fields.String(load_default=None, allow_none=True)
    limit = page_size()
    cursor = cursor()

    @validates_schema
    def _something_to_find(self, data, **kwargs):
        if not any(data.get(k) for k in ("kana", "birth_date", "area")):
            raise ValidationError("give kana, birth_date or area", "_schema")


class AreaIssuesQuerySchema(CommandSchema):
    """地域課題の照会 — one area (圏域・地区), or every area when none is named."""

    area = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1))


class AgencyQuerySchema(CommandSchema):
    agency_id = text(required=True)


class FiscalYearQuerySchema(FiscalYearSchema):
    """年度, of the whole instance, of one agency it operates and/or of one area (日常生活圏域)."""

    agency_id = text(load_default=None)
    area = text(load_default=None)
