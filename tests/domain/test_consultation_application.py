"""The consultation application in memory: its agencies, household choice, leads taken in,
queries, and commands refused by field without repeating values."""
from datetime import datetime, timezone
from uuid import uuid4

import pytest

from kasane.errors import InvalidCommand, NotFound
from kasane.runtime.commands import load_command
from kasane.store.trace import Trace
from kasane.store.unit_of_work import UnitOfWork

from consultation.application import ConsultationApplication
from consultation.domain.rules import HouseholdChoiceRequired, HouseholdRuleViolation, LeadRuleViolation, UnknownAgency
from consultation.integration import handlers
from consultation.schemas import (ConnectToAgencySchema, ReceiveConsultationSchema,
                                  RecordConsentSchema)

AGENCY = {"agency_id": "hokatsu", "name": "常盤平高齢者いきいき安心センター"}
HANA = {"name": "見本 ハナ", "kana": "ミホン ハナ", "birth_date": "1942-05-10", "relation": "self"}


@pytest.fixture
def app():
    return ConsultationApplication(instance="desk", organisation="org-desk", agencies=[AGENCY])


def intake(app, **overrides):
    fields = dict(household_id=None, persons=[HANA], agency=AGENCY,
                  received_at=datetime(2026, 11, 20, tzinfo=timezone.utc), channel="phone",
                  consulted_by="family", summary="相談内容", issue_categories=["care"],
                  urgency="normal", caseworker_id="sw-1")
    fields.update(overrides)
    return app.receive_consultation(Trace.for_command(), **fields)


def hand_back(app, household_id, to_agency=AGENCY, consultation_id=None):
    envelope = {
        "event_id": str(uuid4()), "household_id": str(household_id),
        "origin": {"service": "collaboration", "organisation": "city", "instance": "takikan"},
        "payload": {"hand_back_id": str(uuid4()), "case_id": str(uuid4()), "consultation_id": consultation_id,
                    "to_agency": to_agency, "ending": "closed", "issue_categories": ["8050"],
                    "handed_back_at": "2027-01-10T00:00:00Z",
                    "personal": {"plan_summary": "プラン終結。見守りは包括へ。", "persons": []}}}
    uow = UnitOfWork(app)
    handlers(app)[("collaboration.household_handed_back", 1)](envelope, uow)
    app.save_events(uow.take_events(Trace.caused_by({**envelope, "correlation_id": str(uuid4())})))
    return envelope


def test_an_agency_the_instance_does_not_operate_is_refused(app):
    with pytest.raises(UnknownAgency):
        intake(app, agency={"agency_id": "elsewhere", "name": "どこか"})
    assert app.recorder.max_notification_id() in (None, 0)


def test_the_agency_is_recorded_as_the_instance_operates_it(app):
    received = intake(app, agency={"agency_id": "hokatsu", "name": "別名"})
    assert app.consultation(received["consultation_id"])["agency"] == AGENCY


def test_an_intake_matching_a_known_household_needs_the_caseworkers_choice_and_stores_nothing(app):
    first = intake(app)
    before = len(app.recorder.select_notifications(1, 1000))
    with pytest.raises(HouseholdChoiceRequired, match="1 known household") as refused:
        intake(app, persons=[{**HANA, "kana": "みほん はな"}])
    assert "ミホン" not in str(refused.value) and "みほん" not in str(refused.value)
    assert len(app.recorder.select_notifications(1, 1000)) == before
    chosen_new = intake(app, new_household=True)
    assert chosen_new["possible_duplicates"] == [] and chosen_new["household_id"] != first["household_id"]
    chosen_existing = intake(app, household_id=first["household_id"])
    assert chosen_existing["household_id"] == first["household_id"]


def test_choosing_an_existing_household_adds_the_consultation_and_new_persons_to_it(app):
    first = intake(app)
    again = intake(app, household_id=first["household_id"],
                   persons=[{"person_id": first["person_ids"][0]}, {"name": "見本 一郎", "relation": "child"}])
    assert again["household_id"] == first["household_id"]
    assert again["person_ids"][0] == first["person_ids"][0] and len(again["person_ids"]) == 2
    with pytest.raises(HouseholdRuleViolation, match="not both"):
        intake(app, household_id=first["household_id"], new_household=True)


def test_an_intake_naming_a_merged_household_lands_on_the_one_it_was_merged_into(app):
    a, b = intake(app), intake(app, new_household=True)
    app.merge_households(Trace.for_command(), household_id=a["household_id"],
                         merged_household_id=b["household_id"], caseworker_id="sw-1", agency=AGENCY)
    assert intake(app, household_id=b["household_id"])["household_id"] == a["household_id"]
    timeline = app.household_timeline(a["household_id"])["entries"]
    assert {e["household_id"] for e in timeline} == {a["household_id"], b["household_id"]}
    assert "households_merged" in [e["event"] for e in timeline]


def test_a_hand_back_awaits_intake_with_the_plan_summary_and_is_taken_in_once(app):
    household_id = uuid4()
    hand_back(app, household_id)
    [lead] = app.open_consultations("hokatsu")["awaiting_intake"]
    assert (lead["kind"], lead["kind_label"]) == ("hand_back", "多機関協働からのつなぎ戻し")
    assert lead["personal"]["summary"] == "プラン終結。見守りは包括へ。"
    received = intake(app, lead_id=lead["lead_id"], persons=[], summary=None, issue_categories=[])
    assert received["household_id"] == str(household_id)  # the household keeps its id everywhere
    view = app.consultation(received["consultation_id"])
    assert view["source"]["kind"] == "hand_back" and view["issue_categories"] == ["8050"]
    assert app.open_consultations("hokatsu")["awaiting_intake"] == []
    with pytest.raises(LeadRuleViolation, match="already taken in"):
        intake(app, lead_id=lead["lead_id"])


def test_a_hand_back_keeps_the_urgency_of_the_consultation_it_names(app):
    referred = intake(app, urgency="priority", new_household=True)
    hand_back(app, referred["household_id"], consultation_id=referred["consultation_id"])
    [lead] = app.open_consultations("hokatsu")["awaiting_intake"]
    assert lead["urgency"] == "priority"
    received = app.receive_consultation(
        Trace.for_command(), household_id=None, lead_id=lead["lead_id"], persons=[], agency=AGENCY,
        received_at=datetime(2026, 11, 21, tzinfo=timezone.utc), channel="phone",
        consulted_by="family", caseworker_id="sw-1")  # no urgency given: the lead's is kept
    assert app.consultation(received["consultation_id"])["urgency"] == "priority"


def test_an_intake_naming_an_unknown_household_is_refused_and_stores_nothing(app):
    with pytest.raises(NotFound, match="household_id"):
        intake(app, household_id=uuid4())
    assert app.recorder.max_notification_id() in (None, 0)


def test_a_lead_for_an_agency_the_instance_does_not_run_awaits_at_any_of_its_agencies(app):
    hand_back(app, uuid4(), to_agency={"agency_id": "elsewhere", "name": "どこか"})
    [lead] = app.open_consultations("hokatsu")["awaiting_intake"]
    assert lead["agency"] is None


def test_invalid_commands_name_the_fields_and_never_repeat_the_values():
    bad = {"agency": {"agency_id": ""}, "received_at": "2026-11-20T09:00:00", "channel": "伝書鳩",
           "consulted_by": "self", "persons": [{"name": "見本 ハナ", "birth_date": "1942-13-45",
                                                "relation": "いとこ"}], "caseworker_id": "sw"}
    with pytest.raises(InvalidCommand) as refused:
        load_command(ReceiveConsultationSchema(), bad)
    assert set(refused.value.errors) == {"agency", "received_at", "channel", "persons"}
    assert not any(v in str(refused.value) for v in ("見本", "伝書鳩", "1942-13-45", "いとこ"))
    consent = {"household_id": str(uuid4()), "person_id": str(uuid4()), "given_by": "self",
               "method": "書面", "caseworker_id": "sw", "agency": AGENCY, "purposes": ["connection"]}
    with pytest.raises(InvalidCommand) as refused:
        load_command(RecordConsentSchema(), consent)
    assert set(refused.value.errors) == {"method"} and "書面" not in str(refused.value)
    with pytest.raises(InvalidCommand) as refused:  # a consent covering nothing
        load_command(RecordConsentSchema(), {**consent, "method": "written", "purposes": []})
    assert set(refused.value.errors) == {"purposes"}
    with pytest.raises(InvalidCommand) as refused:
        load_command(ConnectToAgencySchema(), {"consultation_id": str(uuid4()), "caseworker_id": "sw",
                                               "to": {"instance": "Kikan Desk", "organisation": "o"}})
    assert set(refused.value.errors["to"]) == {"instance", "agency_id", "name"}


def test_a_hand_back_taken_in_is_not_a_new_consultation_in_the_counts(app):
    intake(app, received_at=datetime(2027, 1, 5, tzinfo=timezone.utc))
    hand_back(app, uuid4())
    [lead] = app.open_consultations("hokatsu")["awaiting_intake"]
    intake(app, lead_id=lead["lead_id"], persons=[], summary=None, issue_categories=[],
           received_at=datetime(2027, 1, 12, tzinfo=timezone.utc))
    counts = app.fiscal_year_counts(2026)
    assert (counts["new"], counts["total"]) == (1, 2)  # the つなぎ戻し counts in 延べ only
    counters = app.report_counts(2026)["counters"]
    assert counters["consultations_new"]["total"] == 1 and counters["consultations_total"]["total"] == 2
