"""Command and query schemas (marshmallow) of the participation service's RPC entrypoints.

Codes are checked against kasane_contracts.vocabulary here, so that a bad command is refused naming its
fields before anything is loaded or stored; the domain checks its rules again.
"""
from marshmallow import fields

from kasane.runtime.command_fields import (AgencySchema, Part, code,
                                           optional_text, text)
from kasane.runtime.command_parts import ConsentGivenSchema
from kasane.runtime.commands import CommandSchema, command_on, query_by
from kasane_contracts.vocabulary import (FOLLOW_UP_WITH, HOST_KINDS,
                               HOST_PROBLEM_KINDS, PARTICIPATION_END_REASONS,
                               PARTICIPATION_OFFERS, RELATIONS, WEEKDAYS)


class ConsentSchema(ConsentGivenSchema):
    """本人同意 under which a consultation agency sends the person."""


class PersonSchema(Part):
    person_id = fields.UUID(required=True)
    name = optional_text()
    kana = optional_text()
    birth_date = fields.Date(load_default=None, allow_none=True)
    relation = code(RELATIONS, load_default=None, allow_none=True)


class ReceiveRequestSchema(CommandSchema):
    household_id = fields.UUID(required=True)
    agency = fields.Nested(AgencySchema, required=True)
    consent = fields.Nested(ConsentSchema, load_default=None, allow_none=True)
    caseworker_id = text(required=True)
    persons = fields.List(fields.Nested(PersonSchema), load_default=list)
    summary = optional_text()
    request_id = fields.UUID(load_default=None)
    received_at = fields.AwareDateTime(load_default=None)


class NeedsSchema(Part):
    """ニーズ — wishes, strengths, limits and conditions (all personal)."""

    wished_offers = fields.List(code(PARTICIPATION_OFFERS), required=True)
    wishes = optional_text()
    strengths = optional_text()
    limits = optional_text()
    available_days = fields.List(code(WEEKDAYS), load_default=list)
    time_of_day = optional_text()
    area = optional_text()
    can_travel = fields.Boolean(load_default=True)
    transport = optional_text()
    support_needed = optional_text()


_OnSupport = command_on("support_id")  # a caseworker's command on one 参加支援
_OnMatch = command_on("match_id")  # … on one match (マッチング)


class AssessNeedsSchema(_OnSupport):
    assessed_on = fields.Date(required=True)
    needs = fields.Nested(NeedsSchema, required=True)


class MakePlanSchema(_OnSupport):
    made_on = fields.Date(required=True)
    goals = fields.List(text(), required=True)
    review_dates = fields.List(fields.Date(), required=True)
    note = optional_text()


class RegisterWorkExperienceSchema(_OnSupport):
    registered_on = fields.Date(required=True)


class CloseSupportSchema(_OnSupport):
    closed_on = fields.Date(required=True)
    summary = optional_text()


class HostConditionsSchema(Part):
    days = fields.List(code(WEEKDAYS), load_default=list)
    hours = optional_text()
    transport_access = optional_text()
    accompaniment = fields.Boolean(load_default=False)  # a supporter may come along (同行)
    notes = optional_text()


class DevelopedSchema(Part):
    """開拓 — when and by whom a new host was developed."""

    developed_on = fields.Date(required=True)
    developed_by = text(required=True)


class RegisterHostSchema(CommandSchema):
    name = text(required=True)
    kind = code(HOST_KINDS, required=True)
    offers = fields.List(code(PARTICIPATION_OFFERS), required=True)
    area = optional_text()
    capacity = fields.Integer(required=True, strict=True)
    contact_organisation = text(required=True)
    contact_person = optional_text()
    conditions = fields.Nested(HostConditionsSchema, load_default=dict)
    developed = fields.Nested(DevelopedSchema, load_default=None, allow_none=True)
    registered_on = fields.Date(required=True)
    caseworker_id = text(required=True)
    development_target_id = fields.UUID(load_default=None)


class ExperienceDaySchema(CommandSchema):
    held_on = fields.Date(required=True)
    host_ids = fields.List(fields.UUID(), required=True)
    kind = code({k: v for k, v in PARTICIPATION_OFFERS.items()
                 if k in ("workplace_visit", "workplace_experience")}, required=True)
    participants = fields.Integer(required=True, strict=True)
    caseworker_id = text(required=True)


class MatchSchema(_OnSupport):
    host_id = fields.UUID(required=True)
    offer = code(PARTICIPATION_OFFERS, required=True)
    matched_on = fields.Date(required=True)
    reason = optional_text()


class StartMatchSchema(_OnMatch):
    started_on = fields.Date(required=True)


class SessionSchema(_OnMatch):
    attended_on = fields.Date(required=True)
    note = optional_text()


class EndMatchSchema(_OnMatch):
    ended_on = fields.Date(required=True)
    reason = code(PARTICIPATION_END_REASONS, required=True)
    note = optional_text()


class ScheduleFollowUpSchema(_OnMatch):
    with_whom = code(FOLLOW_UP_WITH, required=True)
    due_on = fields.Date(required=True)


class RecordFollowUpSchema(_OnMatch):
    follow_up_id = fields.UUID(required=True)
    done_on = fields.Date(required=True)
    note = optional_text()


class HostProblemSchema(_OnMatch):
    kind = code(HOST_PROBLEM_KINDS, required=True)
    reported_on = fields.Date(required=True)
    description = optional_text()


SupportQuerySchema = query_by("support_id")
MatchQuerySchema = query_by("match_id")


class FollowUpsDueSchema(CommandSchema):
    today = fields.Date(load_default=None)
