"""Command and query schemas (marshmallow) of the collaboration service's RPC entrypoints.

Codes are checked against kasane_contracts.vocabulary here, so that a bad command is refused naming its
fields before anything is loaded or stored; the domain checks its rules again.
"""
from marshmallow import fields, validate

from kasane.runtime.command_fields import (INSTANCE, AgencySchema, Part, code,
                                           optional_text, text)
from kasane.runtime.command_parts import InstanceOfSchema, PersonAsKnownSchema
from kasane.runtime.commands import CommandSchema, command_on
from kasane_contracts.vocabulary import (ATTENDEE_ROLES, GOAL_ATTAINMENT, ISSUE_CATEGORIES,
                               MEETING_DECISIONS, REFERRAL_RETURN_REASONS, ROLE_SERVICES,
                               ROLE_TASKS, SOCIAL_RESOURCE_KINDS, SUSPENSION_REASONS)
from kasane_contracts.vocabulary import (PLAN_JUDGEMENTS, PLAN_SEND_BACK_REASONS, SAME_PERSON_DECISIONS,
                                        SUPPORT_MEETING_ROLES)


_OnCase = command_on("case_id")  # a caseworker's command on one case


class OpenCasesSchema(CommandSchema):
    today = fields.Date(load_default=None)


class AreaIssuesQuerySchema(CommandSchema):
    area = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1))


class ReturnReferralSchema(_OnCase):
    referral_id = fields.UUID(required=True)
    reason = code(REFERRAL_RETURN_REASONS, required=True)
    note = optional_text()


class _AssessedPart(Part):
    issue_categories = fields.List(code(ISSUE_CATEGORIES), load_default=list)
    situation = optional_text()
    strengths = optional_text()
    wishes = optional_text()
    risks = optional_text()


class AssessedPersonSchema(_AssessedPart):
    person_id = fields.UUID(required=True)


class AssessorSchema(Part):
    organisation = text(required=True)
    caseworker_id = text(required=True)


class RecordAssessmentSchema(CommandSchema):
    case_id = fields.UUID(required=True)
    assessed_on = fields.Date(required=True)
    assessor = fields.Nested(AssessorSchema, required=True)
    persons = fields.List(fields.Nested(AssessedPersonSchema), load_default=list)
    household = fields.Nested(_AssessedPart, load_default=dict)


class PersonGoalSchema(Part):
    person_id = fields.UUID(required=True)
    goal = text(required=True)


class RoleSchema(Part):
    service = code(ROLE_SERVICES, required=True)
    task = code(ROLE_TASKS, required=True)
    organisation = text(required=True)
    agency = fields.Nested(AgencySchema, required=True)
    instance = fields.String(validate=INSTANCE, load_default=None)
    starts_on = fields.Date(required=True)
    description = optional_text()


class _PlanSchema(CommandSchema):
    caseworker_id = text(required=True)
    person_goals = fields.List(fields.Nested(PersonGoalSchema), load_default=list)
    household_goal = optional_text()
    roles = fields.List(fields.Nested(RoleSchema), required=True)
    monitoring_dates = fields.List(fields.Date(), required=True)


class DraftPlanSchema(_PlanSchema):
    case_id = fields.UUID(required=True)
    drafted_on = fields.Date(required=True)


class RevisePlanSchema(_PlanSchema):
    plan_id = fields.UUID(required=True)
    revised_on = fields.Date(required=True)


class MemberPersonSchema(Part):
    """A member person of a 支援会議 (the staff id their organisation's gateway shows) and the day
    they confirmed the duty of secrecy (守秘義務の確認, 法106条の6)."""
    staff_id = text(required=True)
    name = optional_text()
    secrecy_acknowledged_on = fields.Date(load_default=None)


class AttendeeSchema(Part):
    organisation = text(required=True)
    name = optional_text()
    role = code(ATTENDEE_ROLES, required=True)
    persons = fields.List(fields.Nested(MemberPersonSchema), load_default=list)


class GoalEvaluationSchema(Part):
    """目標ごとの評価 — one goal of the plan in force (a person id, or "household")."""
    goal = text(required=True)
    attainment = code(GOAL_ATTAINMENT, required=True)
    note = optional_text()


class AgendaItemSchema(Part):
    case_id = fields.UUID(required=True)
    goal_evaluations = fields.List(fields.Nested(GoalEvaluationSchema))
    decision = code(MEETING_DECISIONS, required=True)
    goals_met = code(GOAL_ATTAINMENT)
    follow_up_needed = fields.Boolean()
    follow_up_method = optional_text()
    evaluation = optional_text()
    reason = code(SUSPENSION_REASONS)
    comment = optional_text()


class ShortageSchema(Part):
    resource_kind = code(SOCIAL_RESOURCE_KINDS, required=True)
    area = optional_text()
    description = optional_text()


class PlanJudgementSchema(Part):
    """提出されたプランの判断 — one proposed 参加支援・アウトリーチ等事業プラン (001 §1(5)イ(イ)①)."""
    proposal_id = fields.UUID(required=True)
    judgement = code(PLAN_JUDGEMENTS, required=True)
    reasons = fields.List(code(PLAN_SEND_BACK_REASONS), load_default=list)
    comment = optional_text()


class MultiLayeredMeetingSchema(CommandSchema):
    body_id = text(load_default=None)  # 会議体: the city's own body that met (its profile names it)
    held_on = fields.Date(required=True)
    caseworker_id = text(required=True)
    attendees = fields.List(fields.Nested(AttendeeSchema), required=True)
    agenda = fields.List(fields.Nested(AgendaItemSchema), load_default=list)
    shortages = fields.List(fields.Nested(ShortageSchema), load_default=list)
    system_items = fields.List(text(), load_default=list)  # 体制検討: no household, nothing personal
    plan_judgements = fields.List(fields.Nested(PlanJudgementSchema), load_default=list)
    notes = optional_text()


class MonitoringSchema(_OnCase):
    monitored_on = fields.Date(required=True)
    situation_changed = fields.Boolean(required=True)
    next_monitoring_on = fields.Date(load_default=None)
    note = optional_text()


class HandBackToSchema(InstanceOfSchema):
    agency = fields.Nested(AgencySchema, required=True)
    consultation_id = fields.UUID(load_default=None)


class EndCaseSchema(_OnCase):
    summary = optional_text()
    hand_back_to = fields.Nested(HandBackToSchema, load_default=None)
    ended_at = fields.AwareDateTime(load_default=None)


class DecisionRoleSchema(Part):
    organisation = text(required=True)
    role = code(SUPPORT_MEETING_ROLES, required=True)


class DecisionRecipientSchema(InstanceOfSchema):
    """A member organisation the decision is sent to, and its instance."""


class PassedOnPersonSchema(PersonAsKnownSchema):
    person_id = fields.UUID(load_default=None)


class PassOnSchema(Part):
    """What the meeting decided to pass on to the members it sends the decision to."""
    persons = fields.List(fields.Nested(PassedOnPersonSchema), load_default=list)
    address = optional_text()
    description = optional_text()


class SupportDecisionSchema(Part):
    """支援会議の決定 for one household (issue 8)."""
    household_id = fields.UUID(required=True)
    roles = fields.List(fields.Nested(DecisionRoleSchema), load_default=list)
    sharing_allowed = fields.Boolean(required=True)
    sharing_until = fields.Date(load_default=None)
    recipients = fields.List(fields.Nested(DecisionRecipientSchema), required=True,
                             validate=validate.Length(min=1))
    pass_on = fields.Nested(PassOnSchema, load_default=None)


class SupportMeetingSchema(CommandSchema):
    body_id = text(load_default=None)  # 会議体 (ふくし総合支援会議 …) meeting as 支援会議
    held_on = fields.Date(required=True)
    caseworker_id = text(required=True)
    members = fields.List(fields.Nested(AttendeeSchema), required=True)
    household_ids = fields.List(fields.UUID(), load_default=list)
    subjects = fields.List(text(), load_default=list)
    information_shared = text(required=True)
    watching_policy = optional_text()
    urgent_actions = fields.List(text(), load_default=list)
    decisions = fields.List(fields.Nested(SupportDecisionSchema), load_default=list)
    agenda = fields.List(fields.Nested(AgendaItemSchema), load_default=list)  # cases without consent


class ReadSupportMeetingSchema(CommandSchema):
    """The reader is the person of the call's authenticated context, never a field of the body."""
    meeting_id = fields.UUID(required=True)


class SamePersonDecisionSchema(CommandSchema):
    """同一人物の判断 — join (統合) or keep apart, by whom; a note is personal."""
    check_id = fields.UUID(required=True)
    decision = code(SAME_PERSON_DECISIONS, required=True)
    caseworker_id = text(required=True)
    note = fields.String(load_default=None, allow_none=True)


class SamePersonChecksSchema(CommandSchema):
    undecided_only = fields.Boolean(load_default=True)


class PlanProposalsSchema(SamePersonChecksSchema):
    """提出されたプラン — those awaiting judgement (undecided_only), or all."""
