"""Command and query schemas (marshmallow) of the community service's RPC entrypoints.

Codes are checked against kasane_contracts.vocabulary here, so that a bad command is refused naming its
fields before anything is loaded or stored; the domain checks its rules again.
"""
from uuid import uuid4

from marshmallow import fields, post_load, validate

from kasane.runtime.command_fields import (INSTANCE, AgencySchema, Part, code,
                                           optional_text, text)
from kasane.runtime.command_parts import ConsentGivenSchema
from kasane.runtime.commands import CommandSchema, command_on, query_by
from kasane_contracts.vocabulary import (AREA_ISSUE_RAISERS, AREA_ISSUE_STATUSES, COMMUNITY_CONSULTERS,
                               COORDINATOR_LAYERS,
                               DEVELOPMENT_STATUSES, ISSUE_CATEGORIES, MATCHING_KINDS,
                               PLACE_KINDS, PLACE_STATUSES, RELATIONS, TRAINING_KINDS)



def categories() -> fields.List:
    return fields.List(code(ISSUE_CATEGORIES), required=True, validate=validate.Length(min=1))


class AreaQuerySchema(CommandSchema):
    area = fields.String(load_default=None)


IdQuerySchema = query_by("id")
ShortageQuerySchema = query_by("shortage_id")


# -- 場・活動 ---------------------------------------------------------------------------------

class RegisterPlaceSchema(CommandSchema):
    kind = code(PLACE_KINDS, required=True)
    name = text(required=True)
    area = text(required=True)
    operator = text(required=True)
    schedule = optional_text()
    target = optional_text()
    capacity = fields.Integer(strict=True, load_default=None, allow_none=True,
                              validate=validate.Range(min=1))
    registered_on = fields.Date(load_default=None)


_OnPlace = command_on("place_id", "recorded_by")  # a record about one place, by whom


class VisitorsSchema(_OnPlace):
    counted_on = fields.Date(required=True)
    session = fields.String(load_default=None, allow_none=True, validate=validate.Length(1, 40))
    visitors = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))


class ActivitySchema(_OnPlace):
    group = text(required=True)
    held_on = fields.Date(required=True)


class PlaceStatusSchema(CommandSchema):
    place_id = fields.UUID(required=True)
    status = code(PLACE_STATUSES, required=True)
    changed_on = fields.Date(required=True)


# -- 生活支援コーディネーター -----------------------------------------------------------------

class AppointCoordinatorSchema(CommandSchema):
    layer = code(COORDINATOR_LAYERS, required=True)
    name = text(required=True)
    organisation = text(required=True)
    areas = fields.List(text(), load_default=list)
    appointed_on = fields.Date(required=True)


class AssignPlaceSchema(CommandSchema):
    coordinator_id = fields.UUID(required=True)
    place_id = fields.UUID(required=True)


# -- つなぐシート -----------------------------------------------------------------------------

class PersonSchema(Part):
    name = optional_text()
    kana = optional_text()
    birth_date = fields.Date(load_default=None, allow_none=True)
    relation = code(RELATIONS, load_default="self")
    area = optional_text()

    @post_load
    def wire_form(self, person: dict, **kwargs) -> dict:
        # The person gets an id here, as consultation's PersonSchema on the wire requires one.
        birth = person["birth_date"]
        return {"person_id": str(uuid4()), **person,
                "birth_date": birth.isoformat() if birth else None}


class SheetPersonalSchema(Part):
    persons = fields.List(fields.Nested(PersonSchema), required=True,
                          validate=validate.Length(min=1))
    summary = optional_text()
    note = optional_text()


class ConsentSchema(ConsentGivenSchema):
    """本人同意 under which the つなぐシート leaves the place."""


class SheetTargetSchema(Part):
    """宛先 — the chosen agency and the consultation instance that operates it."""

    agency = fields.Nested(AgencySchema, required=True)
    instance = fields.String(required=True, validate=INSTANCE)


class WriteTsunaguSheetSchema(CommandSchema):
    place_id = fields.UUID(required=True)
    liaison_id = text(required=True)
    issue_categories = categories()
    # personal details only with consent (seed 001 §10(4)); the domain refuses them without it
    personal = fields.Nested(SheetPersonalSchema, load_default=None, allow_none=True)
    consent = fields.Nested(ConsentSchema, load_default=None, allow_none=True)
    to = fields.Nested(SheetTargetSchema, load_default=None, allow_none=True)
    written_at = fields.AwareDateTime(load_default=None)


class SendTsunaguSheetSchema(CommandSchema):
    sheet_id = fields.UUID(required=True)
    consent = fields.Nested(ConsentSchema, required=True)
    to = fields.Nested(SheetTargetSchema, required=True)
    personal = fields.Nested(SheetPersonalSchema, load_default=None, allow_none=True)
    sent_at = fields.AwareDateTime(load_default=None)


# -- 地域課題シート ---------------------------------------------------------------------------

class RecordAreaIssueSchema(CommandSchema):
    area = text(required=True)
    committee = text(required=True)
    issue_categories = categories()
    description = text(required=True)
    raised_by = code(AREA_ISSUE_RAISERS, required=True)
    raised_by_name = optional_text()
    note = optional_text()
    recorded_on = fields.Date(required=True)
    recorded_by = text(required=True)


class AreaIssueHandlingSchema(CommandSchema):
    sheet_id = fields.UUID(required=True)
    status = code(AREA_ISSUE_STATUSES, required=True)
    handled_on = fields.Date(required=True)
    handled_by = text(required=True)
    note = optional_text()


# -- 社会資源の開発 ---------------------------------------------------------------------------

class TargetProgressSchema(CommandSchema):
    target_id = fields.UUID(required=True)
    status = code(DEVELOPMENT_STATUSES, required=True)
    on = fields.Date(required=True)
    note = optional_text()
    recorded_by = text(required=True)
    place_id = fields.UUID(load_default=None, allow_none=True)


# -- 相談・マッチング・研修 -------------------------------------------------------------------

class CommunityConsultationSchema(CommandSchema):
    consulted_by = code(COMMUNITY_CONSULTERS, required=True)
    area = optional_text()
    received_on = fields.Date(required=True)
    recorded_by = text(required=True)
    name = optional_text()
    summary = optional_text()


class MatchingSchema(CommandSchema):
    kind = code(MATCHING_KINDS, required=True)
    partner_id = fields.String(load_default="", validate=validate.Length(max=120))
    place_id = fields.UUID(load_default=None, allow_none=True)
    matched_on = fields.Date(required=True)
    recorded_by = text(required=True)
    person_name = optional_text()


class TrainingSchema(CommandSchema):
    kind = code(TRAINING_KINDS, required=True)  # 研修の種類 (counted apart)
    title = text(required=True)
    held_on = fields.Date(required=True)
    area = optional_text()
    attendees = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    attendee_names = fields.List(text(), load_default=list)
    recorded_by = text(required=True)
