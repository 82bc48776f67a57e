"""Command and query schemas (marshmallow) of the outreach service's RPC entrypoints.

Codes are checked against kasane_contracts.vocabulary here, so that a bad command is refused naming its
fields before anything is loaded or stored; the domain checks its rules again.
"""
from marshmallow import fields, validate

from kasane.runtime.command_fields import (INSTANCE, ISO_DATE, AgencySchema, Part, code,
                                           optional_text, text)
from kasane.runtime.commands import CommandSchema
from kasane_contracts.vocabulary import (CONSENT_GIVEN_BY, CONSENT_METHODS, CONSENT_PURPOSES,
                               OUTREACH_HANDOVER_TARGETS, REFERRAL_REASONS,
                               ISSUE_CATEGORIES, OUTREACH_AREA_WORK, OUTREACH_CLOSURE_REASONS,
                               OUTREACH_CONTACT_MODES,
                               OUTREACH_CONTACT_OUTCOMES, OUTREACH_CONTACT_WITH,
                               OUTREACH_LEAD_SOURCES, OUTREACH_STAGES, RELATIONS, URGENCY)



class LeadPersonSchema(Part):
    """A person as far as known: often only a relation, or nothing but a description."""
    name = optional_text()
    kana = optional_text()
    birth_date = fields.String(load_default=None, allow_none=True, validate=ISO_DATE)
    relation = code(RELATIONS, load_default="unknown")
    area = optional_text()


class TakeLeadSchema(CommandSchema):
    source = code(OUTREACH_LEAD_SOURCES, required=True)
    noticed_on = fields.Date(required=True)
    worker_id = text(required=True)
    household_id = fields.UUID(load_default=None, allow_none=True)
    persons = fields.List(fields.Nested(LeadPersonSchema), load_default=list)
    address = optional_text()
    description = optional_text()
    noticed = optional_text()


class CaseQuerySchema(CommandSchema):
    case_id = fields.UUID(required=True)


class ChangeStageSchema(CommandSchema):
    case_id = fields.UUID(required=True)
    to = code(OUTREACH_STAGES, required=True)
    changed_on = fields.Date(required=True)
    worker_id = text(required=True)


class RecordContactSchema(CommandSchema):
    case_id = fields.UUID(required=True)
    contacted_on = fields.Date(required=True)
    mode = code(OUTREACH_CONTACT_MODES, required=True)
    with_whom = code(OUTREACH_CONTACT_WITH, required=True)
    outcome = code(OUTREACH_CONTACT_OUTCOMES, required=True)
    worker_id = text(required=True)
    note = optional_text()


class CloseCaseSchema(CommandSchema):
    """終了 — an explicit closure with its reason."""
    case_id = fields.UUID(required=True)
    reason = code(OUTREACH_CLOSURE_REASONS, required=True)
    closed_on = fields.Date(required=True)
    worker_id = text(required=True)
    note = optional_text()


class RecordConsentSchema(CommandSchema):
    case_id = fields.UUID(required=True)
    person_id = fields.UUID(required=True)
    given_by = code(CONSENT_GIVEN_BY, required=True)
    method = code(CONSENT_METHODS, required=True)
    organisations = fields.List(text(), load_default=list)
    purposes = fields.List(code(CONSENT_PURPOSES), load_default=list)
    given_at = fields.AwareDateTime(required=True)
    worker_id = text(required=True)


class WithdrawConsentSchema(CommandSchema):
    case_id = fields.UUID(required=True)
    consent_id = fields.UUID(required=True)
    worker_id = text(required=True)
    withdrawn_at = fields.AwareDateTime(load_default=None)


class ConnectTargetSchema(Part):
    instance = fields.String(required=True, validate=INSTANCE)
    organisation = text(required=True)
    agency = fields.Nested(AgencySchema, required=True)


class ConnectSchema(CommandSchema):
    case_id = fields.UUID(required=True)
    to = fields.Nested(ConnectTargetSchema, required=True)
    issue_categories = fields.List(code(ISSUE_CATEGORIES), required=True,
                                   validate=validate.Length(min=1))
    urgency = code(URGENCY, load_default="normal")
    worker_id = text(required=True)
    summary = optional_text()
    connected_at = fields.AwareDateTime(load_default=None)


class HandOverTargetSchema(Part):
    instance = fields.String(required=True, validate=INSTANCE)
    organisation = text(required=True)
    agency = fields.Nested(AgencySchema, load_default=None)


class HandOverSchema(CommandSchema):
    """引き継ぎ — to a consultation desk or to 多機関協働 (issue 8)."""
    case_id = fields.UUID(required=True)
    to_service = code(OUTREACH_HANDOVER_TARGETS, required=True)
    to = fields.Nested(HandOverTargetSchema, required=True)
    issue_categories = fields.List(code(ISSUE_CATEGORIES), required=True,
                                   validate=validate.Length(min=1))
    reasons = fields.List(code(REFERRAL_REASONS), load_default=lambda: ["compound_issues"],
                          validate=validate.Length(min=1))
    urgency = code(URGENCY, load_default="normal")
    from_agency = fields.Nested(AgencySchema, load_default=None)
    worker_id = text(required=True)
    summary = optional_text()
    handed_over_at = fields.AwareDateTime(load_default=None)


class MakePlanSchema(CommandSchema):
    case_id = fields.UUID(required=True)
    made_on = fields.Date(required=True)
    worker_id = text(required=True)
    goals = fields.List(text(), required=True)
    approach = optional_text()
    review_dates = fields.List(fields.Date(), required=True)


class RevisePlanSchema(CommandSchema):
    plan_id = fields.UUID(required=True)
    revised_on = fields.Date(required=True)
    worker_id = text(required=True)
    goals = fields.List(text(), required=True)
    approach = optional_text()
    review_dates = fields.List(fields.Date(), required=True)


class ClosePlanSchema(CommandSchema):
    plan_id = fields.UUID(required=True)
    closed_on = fields.Date(required=True)
    worker_id = text(required=True)
    reason = optional_text()


class FiguresSchema(Part):
    sent_to_minsei_iin = fields.Integer(strict=True, validate=validate.Range(min=0))
    sent_to_offices = fields.Integer(strict=True, validate=validate.Range(min=0))
    sites = fields.Integer(strict=True, validate=validate.Range(min=0))
    visitors = fields.Integer(strict=True, validate=validate.Range(min=0))
    consultations = fields.Integer(strict=True, validate=validate.Range(min=0))


class AreaWorkSchema(CommandSchema):
    kind = code(OUTREACH_AREA_WORK, required=True)
    area = text(required=True)
    held_on = fields.Date(required=True)
    worker_id = text(required=True)
    figures = fields.Nested(FiguresSchema, load_default=dict)
    partners = fields.List(text(), load_default=list)
    place = optional_text()
    notes = optional_text()
    source_work_id = fields.UUID(load_default=None, allow_none=True)
    case_id = fields.UUID(load_default=None, allow_none=True)  # the outreach case a 追跡調査 follows


class SurveyReturnsSchema(CommandSchema):
    work_id = fields.UUID(required=True)
    returned = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    cases_found = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    recorded_on = fields.Date(required=True)


class OpenLeadsSchema(CommandSchema):
    today = fields.Date(load_default=None)
