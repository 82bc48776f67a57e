"""Command and query schemas (marshmallow) of the outreach service's RPC entrypoints.

Codes are checked against kasane_contracts.vocabulary here, so that a bad command is refused naming its
fields before anything is loaded or stored; the domain checks its rules again.
"""
from marshmallow import Schema, fields, validate

from kasane.runtime.command_fields import AgencySchema, Part, code, optional_text, text
from kasane.runtime.command_parts import InstanceOfSchema, PersonAsKnownSchema
from kasane.runtime.commands import CommandSchema, command_on, query_by
from kasane_contracts.vocabulary import (CONSENT_GIVEN_BY, CONSENT_METHODS, CONSENT_PURPOSES,
                               OUTREACH_HANDOVER_TARGETS, REFERRAL_REASONS,
                               ISSUE_CATEGORIES, OUTREACH_AREA_WORK, OUTREACH_CLOSURE_REASONS,
                               OUTREACH_CONTACT_MODES,
                               OUTREACH_CONTACT_OUTCOMES, OUTREACH_CONTACT_WITH,
                               OUTREACH_LEAD_SOURCES, OUTREACH_STAGES, URGENCY)

_OnCase = command_on("case_id", "worker_id")  # a worker's command on one outreach case
_OnPlan = command_on("plan_id", "worker_id")  # … on one アウトリーチ等事業プラン


class LeadPersonSchema(PersonAsKnownSchema):
    """A person as far as known: often only a relation, or nothing but a description."""


class TakeLeadSchema(CommandSchema):
    source = code(OUTREACH_LEAD_SOURCES, required=True)
    noticed_on = fields.Date(required=True)
    worker_id = text(required=True)
    household_id = fields.UUID(load_default=None, allow_none=True)
    persons = fields.List(fields.Nested(LeadPersonSchema), load_default=list)
    address = optional_text()
    description = optional_text()
    noticed = optional_text()


CaseQuerySchema = query_by("case_id")


class ChangeStageSchema(_OnCase):
    to = code(OUTREACH_STAGES, required=True)
    changed_on = fields.Date(required=True)


class RecordContactSchema(_OnCase):
    contacted_on = fields.Date(required=True)
    mode = code(OUTREACH_CONTACT_MODES, required=True)
    with_whom = code(OUTREACH_CONTACT_WITH, required=True)
    outcome = code(OUTREACH_CONTACT_OUTCOMES, required=True)
    note = optional_text()


class CloseCaseSchema(_OnCase):
    """終了 — an explicit closure with its reason."""
    reason = code(OUTREACH_CLOSURE_REASONS, required=True)
    closed_on = fields.Date(required=True)
    note = optional_text()


class RecordConsentSchema(_OnCase):
    person_id = fields.UUID(required=True)
    given_by = code(CONSENT_GIVEN_BY, required=True)
    method = code(CONSENT_METHODS, required=True)
    organisations = fields.List(text(), load_default=list)
    purposes = fields.List(code(CONSENT_PURPOSES), load_default=list)
    given_at = fields.AwareDateTime(required=True)


class WithdrawConsentSchema(_OnCase):
    consent_id = fields.UUID(required=True)
    withdrawn_at = fields.AwareDateTime(load_default=None)


class ConnectTargetSchema(InstanceOfSchema):
    agency = fields.Nested(AgencySchema, required=True)


class _PassingOn(_OnCase):
    """What a connection (つなぎ) and a hand-over (引き継ぎ) both say about the case."""
    issue_categories = fields.List(code(ISSUE_CATEGORIES), required=True,
                                   validate=validate.Length(min=1))
    urgency = code(URGENCY, load_default="normal")
    summary = optional_text()


class ConnectSchema(_PassingOn):
    to = fields.Nested(ConnectTargetSchema, required=True)
    connected_at = fields.AwareDateTime(load_default=None)


class HandOverTargetSchema(InstanceOfSchema):
    agency = fields.Nested(AgencySchema, load_default=None)


class HandOverSchema(_PassingOn):
    """引き継ぎ — to a consultation desk or to 多機関協働 (issue 8)."""
    to_service = code(OUTREACH_HANDOVER_TARGETS, required=True)
    to = fields.Nested(HandOverTargetSchema, required=True)
    reasons = fields.List(code(REFERRAL_REASONS), load_default=lambda: ["compound_issues"],
                          validate=validate.Length(min=1))
    from_agency = fields.Nested(AgencySchema, load_default=None)
    handed_over_at = fields.AwareDateTime(load_default=None)


class _PlanContent(Schema):
    """What a plan says: its goals, the approach and the review dates."""
    goals = fields.List(text(), required=True)
    approach = optional_text()
    review_dates = fields.List(fields.Date(), required=True)


class MakePlanSchema(_OnCase, _PlanContent):
    made_on = fields.Date(required=True)


class RevisePlanSchema(_OnPlan, _PlanContent):
    revised_on = fields.Date(required=True)


class ClosePlanSchema(_OnPlan):
    closed_on = fields.Date(required=True)
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
