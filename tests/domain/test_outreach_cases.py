"""アウトリーチ — stages, contacts, consent, つなぎ, plans and area work, in memory.

`Csw` (tests.domain.outreach_steps, on tests.drivers) drives the outreach application as its RPC
entrypoints and inbox consumer do: commands through their marshmallow schemas, integration events
through the handlers; `published` shows what the relay would publish (envelopes included,
validated against the contracts).
"""
from datetime import date
from uuid import uuid4

import pytest

from kasane.errors import InvalidCommand

from outreach import schemas
from outreach.domain.rules import (AreaWorkRuleViolation, ConsentRequired,
                                   ContactRuleViolation, OutreachRuleViolation, PlanRuleViolation, StageRuleViolation)

from tests.domain.outreach_steps import DESK, Csw


@pytest.fixture
def csw():
    return Csw()


def test_a_lead_known_only_by_address_starts_at_identification_and_publishes_nothing(csw):
    lead = csw.lead()
    record = csw.app.case(lead["case_id"])
    assert record["stage"] == "identified" and record["stage_label"] == "把握"
    assert record["personal"]["address"] == "伊勢市 見本町1-2"
    assert record["household_id"] is None and len(lead["person_ids"]) == 1
    assert csw.published() == []


def test_stages_move_forward_or_back_but_consent_and_connection_are_never_set_by_hand(csw):
    case_id = csw.lead()["case_id"]
    step = {"case_id": case_id, "changed_on": "2026-05-02", "worker_id": "csw-03"}
    assert csw.run("change_stage", schemas.ChangeStageSchema(), {**step, "to": "preparing_contact"})["stage"] == "preparing_contact"
    assert csw.run("change_stage", schemas.ChangeStageSchema(), {**step, "to": "gathering"})["stage"] == "gathering"
    for to in ("consent_obtained", "connected", "gathering"):
        before = csw.stored()
        with pytest.raises(StageRuleViolation):
            csw.run("change_stage", schemas.ChangeStageSchema(), {**step, "to": to})
        assert csw.stored() == before


def test_meeting_the_person_directly_is_contact_but_an_indirect_letter_is_not(csw):
    case_id = csw.lead()["case_id"]
    assert csw.contact(case_id, mode="indirect", outcome="letter_left")["stage"] == "identified"
    assert csw.contact(case_id, with_whom="family", outcome="talked")["stage"] == "identified"
    assert csw.contact(case_id)["stage"] == "contacted"
    with pytest.raises(ContactRuleViolation):
        csw.contact(case_id, mode="indirect", outcome="met")
    with pytest.raises(ContactRuleViolation):
        csw.contact(case_id, on="2026-04-30")  # before the lead was noticed
    with pytest.raises(InvalidCommand) as caught:
        csw.contact(case_id, outcome="maybe")
    assert list(caught.value.errors) == ["outcome"]


def test_consent_needs_a_direct_contact_with_the_person_first(csw):
    lead = csw.lead()
    csw.contact(lead["case_id"], with_whom="family")
    with pytest.raises(ConsentRequired):
        csw.consent(lead["case_id"], lead["person_ids"][0])
    assert csw.published("outreach.consent_obtained") == []


def test_consent_obtained_is_published_without_any_personal_detail(csw):
    lead = csw.lead(household_id=str(uuid4()))
    csw.contact(lead["case_id"])
    consented = csw.consent(lead["case_id"], lead["person_ids"][0])
    assert consented["stage"] == "consent_obtained"
    [event] = csw.published("outreach.consent_obtained")
    assert "recipient" not in event and "personal" not in event["payload"]
    assert event["payload"]["organisations"] == ["org-jiritsu"]
    assert event["payload"]["consent_id"] == consented["consent_id"]
    text = str(event)
    assert "見本町" not in text and "雨戸" not in text and "玄関先" not in text


def test_without_consent_no_connection_is_made_and_nothing_leaves(csw):
    lead = csw.lead()
    csw.contact(lead["case_id"])
    before = csw.stored()
    with pytest.raises(ConsentRequired):
        csw.connect(lead["case_id"])
    assert csw.stored() == before and csw.published() == []


def test_consent_for_another_organisation_does_not_cover_this_desk(csw):
    lead = csw.lead()
    csw.contact(lead["case_id"])
    csw.consent(lead["case_id"], lead["person_ids"][0], organisations=["org-other"])
    with pytest.raises(ConsentRequired):
        csw.connect(lead["case_id"])


def test_a_connection_under_consent_is_addressed_to_the_desk_with_the_persons_details(csw):
    lead = csw.lead(persons=[{"name": "見本 次郎", "kana": "ミホン ジロウ", "birth_date": "1979-02-14",
                              "relation": "self"}])
    csw.contact(lead["case_id"])
    csw.consent(lead["case_id"], lead["person_ids"][0], organisations=[], purposes=["connection"])
    assert csw.connect(lead["case_id"], urgency="priority")["stage"] == "connected"
    [event] = csw.published("outreach.person_connected")
    assert event["recipient"] == {"instance": "ise-jiritsu"}
    assert event["payload"]["to_agency"] == DESK["agency"]
    assert event["payload"]["consent"]["given_by"] == "self"
    assert event["payload"]["personal"]["persons"][0]["name"] == "見本 次郎"
    assert event["payload"]["personal"]["summary"] == "訪問5回目で相談窓口へ行くことに同意"


def test_a_withdrawn_consent_stops_the_connection_and_returns_the_stage(csw):
    lead = csw.lead()
    csw.contact(lead["case_id"])
    consent_id = csw.consent(lead["case_id"], lead["person_ids"][0])["consent_id"]
    withdrawn = csw.run("withdraw_consent", schemas.WithdrawConsentSchema(),
                        {"case_id": lead["case_id"], "consent_id": consent_id, "worker_id": "csw-03"})
    assert withdrawn["stage"] == "building_relationship"
    with pytest.raises(ConsentRequired):
        csw.connect(lead["case_id"])


def role_request(household_id: str, request_id: str, personal: dict | None) -> dict:
    payload = {"request_id": request_id, "case_id": str(uuid4()), "plan_id": str(uuid4()),
               "role_id": str(uuid4()), "service": "outreach", "task": "outreach_visits",
               "organisation": "org-shakyo", "agency": {"agency_id": "shakyo", "name": "社協"},
               "starts_on": "2026-07-01", "requested_at": "2026-06-20T01:00:00Z", "consent_ids": []}
    if personal:
        payload["personal"] = personal
    return {"event_id": str(uuid4()), "type": "collaboration.role_requested", "version": 1,
            "household_id": household_id, "correlation_id": str(uuid4()), "position": 1,
            "origin": {"service": "collaboration", "organisation": "org-takikan", "instance": "takikan"},
            "payload": payload}


def test_a_role_request_becomes_one_lead_even_when_delivered_twice(csw):
    household_id, request_id = str(uuid4()), str(uuid4())
    person = {"person_id": str(uuid4()), "name": "見本 一郎"}
    envelope = role_request(household_id, request_id, {"persons": [person], "summary": "月2回の訪問"})
    csw.receive(envelope)
    csw.receive({**envelope, "event_id": str(uuid4())})
    [row] = csw.app.open_leads(date(2026, 7, 1))["leads"]
    assert row["household_id"] == household_id and row["source"] == "collaboration_role"
    record = csw.app.case(row["case_id"])
    assert record["lead"]["request_id"] == request_id
    assert record["personal"]["persons"] == [person]
    assert record["personal"]["description"] == "月2回の訪問"


def test_open_leads_show_the_longest_silence_first(csw):
    quiet = csw.lead(noticed_on="2026-04-01")["case_id"]
    visited = csw.lead(noticed_on="2026-04-01")["case_id"]
    csw.contact(visited, on="2026-05-30")
    fresh = csw.lead(noticed_on="2026-05-25")["case_id"]
    rows = csw.app.open_leads(date(2026, 6, 1))["leads"]
    assert [r["case_id"] for r in rows] == [quiet, fresh, visited]
    assert rows[0]["days_without_contact"] == 61 and rows[0]["last_contact_on"] is None
    assert rows[2]["stage_label"] == "接触" and rows[2]["last_contact_on"] == "2026-05-30"


def test_a_plan_is_made_once_revised_with_history_and_closed(csw):
    case_id = csw.lead()["case_id"]
    plan = {"case_id": case_id, "made_on": "2026-05-15", "worker_id": "csw-03",
            "goals": ["月1回は玄関先で話せる関係をつくる"], "approach": "手紙と訪問を交互に",
            "review_dates": ["2026-08-15"]}
    with pytest.raises(PlanRuleViolation):
        csw.run("make_plan", schemas.MakePlanSchema(), {**plan, "review_dates": ["2026-05-01"]})
    made = csw.run("make_plan", schemas.MakePlanSchema(), plan)
    with pytest.raises(OutreachRuleViolation):
        csw.run("make_plan", schemas.MakePlanSchema(), plan)  # one plan per case
    revised = csw.run("revise_plan", schemas.RevisePlanSchema(),
                      {"plan_id": made["plan_id"], "revised_on": "2026-08-15", "worker_id": "csw-03",
                       "goals": ["相談窓口へ同行する"], "review_dates": ["2026-11-15"]})
    assert revised["revision"] == 2
    record = csw.app.case(case_id)
    assert record["plan"]["personal"]["goals"] == ["相談窓口へ同行する"]
    closed = csw.run("close_plan", schemas.ClosePlanSchema(),
                     {"plan_id": made["plan_id"], "closed_on": "2026-11-15", "worker_id": "csw-03"})
    assert closed["status"] == "closed"
    with pytest.raises(PlanRuleViolation):
        csw.run("revise_plan", schemas.RevisePlanSchema(),
                {"plan_id": made["plan_id"], "revised_on": "2026-11-16", "worker_id": "csw-03",
                 "goals": ["x"], "review_dates": ["2026-12-15"]})
    assert csw.app.fiscal_year_counts(2026)["plans_made"] == 1


def test_area_work_is_counted_per_fiscal_year_as_seed_004_reports_it(csw):
    work = schemas.AreaWorkSchema()
    survey = csw.run("record_area_work", work, {
        "kind": "survey", "area": "小俣地区", "held_on": "2026-05-01", "worker_id": "csw-03",
        "figures": {"sent_to_minsei_iin": 23, "sent_to_offices": 6}})
    csw.run("record_survey_returns", schemas.SurveyReturnsSchema(),
            {"work_id": survey["work_id"], "returned": 20, "cases_found": 3, "recorded_on": "2026-06-01"})
    csw.run("record_area_work", work, {"kind": "mapping", "area": "小俣地区", "held_on": "2026-06-10",
                                       "worker_id": "csw-03", "figures": {"sites": 1},
                                       "partners": ["小俣地区まちづくり協議会"]})
    csw.run("record_area_work", work, {"kind": "popup_desk", "area": "小俣地区", "held_on": "2027-03-31",
                                       "worker_id": "csw-03", "place": "小俣公民館",
                                       "figures": {"visitors": 12, "consultations": 4}})
    csw.run("record_area_work", work, {"kind": "popup_desk", "area": "二見地区", "held_on": "2027-04-01",
                                       "worker_id": "csw-03", "place": "二見公民館",
                                       "figures": {"visitors": 5, "consultations": 1}})
    csw.run("record_area_work", work, {"kind": "follow_up", "area": "小俣地区", "held_on": "2026-07-01",
                                       "worker_id": "csw-03", "source_work_id": survey["work_id"]})
    with pytest.raises(AreaWorkRuleViolation):
        csw.run("record_area_work", work, {"kind": "popup_desk", "area": "二見地区", "held_on": "2026-07-01",
                                           "worker_id": "csw-03", "place": "公民館",
                                           "figures": {"visitors": 1, "consultations": 2}})
    with pytest.raises(AreaWorkRuleViolation):
        csw.run("record_area_work", work, {"kind": "mapping", "area": "二見地区", "held_on": "2026-07-01",
                                           "worker_id": "csw-03", "figures": {"sites": 1}})
    counts = csw.app.fiscal_year_counts(2026)
    assert (counts["surveys_sent"], counts["surveys_to_minsei_iin"], counts["survey_returns"],
            counts["survey_cases_found"]) == (29, 23, 20, 3)
    assert (counts["mapping_sites"], counts["popup_desks"], counts["popup_visitors"],
            counts["follow_ups"]) == (1, 1, 12, 1)
    assert csw.app.fiscal_year_counts(2027)["popup_desks"] == 1
    assert csw.published() == []  # area work is about areas: nothing leaves


def test_a_plan_for_a_role_request_is_reported_to_the_requesting_instance_without_its_text(csw):
    request_id = str(uuid4())
    csw.receive(role_request(str(uuid4()), request_id, None))
    [row] = csw.app.open_leads(date(2026, 7, 1))["leads"]
    plan = {"case_id": row["case_id"], "made_on": "2026-07-01", "worker_id": "csw-03",
            "goals": ["長男と顔見知りになる"], "approach": "母の介護訪問に同行", "review_dates": ["2026-09-30"]}
    made = csw.run("make_plan", schemas.MakePlanSchema(), plan)
    csw.run("revise_plan", schemas.RevisePlanSchema(),
            {"plan_id": made["plan_id"], "revised_on": "2026-09-30", "worker_id": "csw-03",
             "goals": ["相談窓口へ同行する"], "review_dates": ["2026-12-31"]})
    csw.run("close_plan", schemas.ClosePlanSchema(),
            {"plan_id": made["plan_id"], "closed_on": "2026-12-31", "worker_id": "csw-03"})
    reports = csw.published("outreach.plan_reported")
    assert [(r["payload"]["change"], r["payload"]["revision"]) for r in reports] == [
        ("made", 1), ("revised", 2), ("closed", 2)]
    assert {r["recipient"]["instance"] for r in reports} == {"takikan"}
    assert {r["payload"]["request_id"] for r in reports} == {request_id}
    assert reports[1]["payload"]["review_dates"] == ["2026-12-31"]
    assert "同行" not in str(reports) and "顔見知り" not in str(reports)
    # A plan for a lead the worker found is this instance's own: it is not reported.
    own = csw.lead()["case_id"]
    csw.run("make_plan", schemas.MakePlanSchema(), {**plan, "case_id": own})
    assert len(csw.published("outreach.plan_reported")) == 3
