"""地域づくり事業 — places, つなぐシート, 地域課題シート, development targets, coordinators,
matchings, trainings and the fiscal-year counts, in memory.

`Chiiki` (on tests.drivers) drives the community application as its RPC entrypoints and inbox
consumer do: commands through their marshmallow schemas, integration events through the handlers,
and what would leave through the relay's own translation and contract validation.
"""
import json
from uuid import uuid4

import pytest

from kasane.bus.envelope import Origin
from kasane.errors import InvalidCommand
from kasane.runtime.commands import load_command

from community import schemas
from community.application import CommunityApplication
from community.domain.rules import (ActivityRuleViolation, ConsentRequired,
                                    CoordinatorRuleViolation, PlaceRuleViolation,
                                    SheetRuleViolation, TargetRuleViolation)

from tests.drivers import Driver

HOKATSU = {"agency_id": "hokatsu-1", "name": "狛江第1地域包括支援センター"}
TO_HOKATSU = {"agency": HOKATSU, "instance": "komae-hokatsu-1"}
CONSENT = {"given_by": "self", "method": "written", "given_at": "2026-07-01T10:00:00+09:00"}
PERSON = {"name": "見本 タロウ", "kana": "ミホン タロウ", "birth_date": "1950-03-04"}
SALON = {"kind": "salon", "name": "いちょうサロン", "area": "第1圏域", "operator": "狛江市社会福祉協議会",
         "schedule": "毎週水曜 10-12時", "target": "高齢者", "capacity": 20}


class Chiiki(Driver):
    def __init__(self):
        super().__init__(CommunityApplication(instance="komae-chiiki", organisation="komae-shakyo"),
                         Origin("community", "komae-shakyo", "komae-chiiki"))

    def place(self, **overrides) -> str:
        return self.run("register_place", schemas.RegisterPlaceSchema(), {**SALON, **overrides})["place_id"]

    def sheet(self, place_id: str, **overrides) -> dict:
        command = {"place_id": place_id, "liaison_id": "liaison-07", "issue_categories": ["isolation"],
                   "personal": {"persons": [PERSON], "summary": "サロンに来なくなった。"},
                   "written_at": "2026-07-01T11:00:00+09:00", **overrides}
        return self.run("write_tsunagu_sheet", schemas.WriteTsunaguSheetSchema(), command)

    def shortage(self, **overrides) -> dict:
        payload = {"shortage_id": str(uuid4()), "meeting_id": str(uuid4()),
                   "resource_kind": "place_to_belong", "area": "第1圏域",
                   "description": "若者が立ち寄れる居場所がない", "found_on": "2026-06-30", **overrides}
        self.deliver("collaboration.social_resource_shortage_found", None, payload,
                     {"service": "collaboration", "organisation": "city", "instance": "takikan"})
        return payload


@pytest.fixture
def chiiki():
    return Chiiki()


def refused(chiiki, error, use_case, schema, command) -> str:
    before = chiiki.stored()
    with pytest.raises(error) as caught:
        chiiki.run(use_case, schema, command)
    assert chiiki.stored() == before
    return str(caught.value)


# -- つなぐシート ---------------------------------------------------------------------------

def test_a_sheet_with_consent_is_published_addressed_to_the_chosen_agency_with_its_personal_part(chiiki):
    sheet = chiiki.sheet(chiiki.place(), consent=CONSENT, to=TO_HOKATSU)
    assert (sheet["status"], sheet["sent_to"]) == ("sent", TO_HOKATSU)
    [event] = chiiki.published()
    assert event["type"] == "community.tsunagu_sheet_sent" and event["household_id"] is None
    assert event["recipient"] == {"instance": "komae-hokatsu-1"}
    p = event["payload"]
    assert (p["sheet_id"], p["to_agency"], p["place"]["name"]) == (sheet["sheet_id"], HOKATSU, "いちょうサロン")
    assert p["consent"] == {"given_by": "self", "method": "written", "given_at": "2026-07-01T01:00:00Z"}
    assert p["personal"]["summary"] == "サロンに来なくなった。"
    assert p["personal"]["persons"][0]["kana"] == "ミホン タロウ"


def test_a_sheet_without_consent_keeps_only_that_it_was_written_where_and_for_which_area(chiiki):
    sheet = chiiki.sheet(chiiki.place(), personal=None)
    assert (sheet["status"], sheet["status_label"], sheet["sent_to"], sheet["area"]) == (
        "kept_without_consent", "同意なし（場で保管）", None, "第1圏域")
    assert chiiki.published() == []
    assert chiiki.app.tsunagu_sheet(sheet["sheet_id"])["personal"] is None


def test_personal_details_without_consent_are_refused_naming_the_field_and_nothing_is_stored(chiiki):
    place_id = chiiki.place()
    rule = refused(chiiki, ConsentRequired, "write_tsunagu_sheet", schemas.WriteTsunaguSheetSchema(),
                   {"place_id": place_id, "liaison_id": "l-1", "issue_categories": ["isolation"],
                    "personal": {"persons": [PERSON], "summary": "サロンに来なくなった。"}})
    assert rule.startswith("personal:") and "本人同意" in rule and "ミホン" not in rule and "サロン" not in rule


def test_naming_an_agency_without_consent_is_refused_and_stores_nothing(chiiki):
    place_id = chiiki.place()
    rule = refused(chiiki, ConsentRequired, "write_tsunagu_sheet", schemas.WriteTsunaguSheetSchema(),
                   {"place_id": place_id, "liaison_id": "l-1", "issue_categories": ["isolation"],
                    "to": TO_HOKATSU})
    assert "本人同意" in rule


def test_a_kept_sheet_is_sent_once_with_the_details_written_when_the_person_consents_later(chiiki):
    sheet = chiiki.sheet(chiiki.place(), personal=None)
    send = {"sheet_id": sheet["sheet_id"], "consent": {**CONSENT, "given_at": "2026-07-08T10:00:00+09:00"},
            "to": TO_HOKATSU, "sent_at": "2026-07-08T11:00:00+09:00",
            "personal": {"persons": [PERSON], "summary": "サロンに来なくなった。"}}
    assert chiiki.run("send_tsunagu_sheet", schemas.SendTsunaguSheetSchema(), send)["status"] == "sent"
    [event] = chiiki.outgoing()
    assert event.payload["written_at"] == "2026-07-01T02:00:00Z"  # the sheet's own time
    assert event.personal["persons"][0]["kana"] == "ミホン タロウ" and event.recipient == "komae-hokatsu-1"
    refused(chiiki, SheetRuleViolation, "send_tsunagu_sheet", schemas.SendTsunaguSheetSchema(), send)


def test_a_kept_sheet_sent_without_naming_the_person_is_refused(chiiki):
    sheet = chiiki.sheet(chiiki.place(), personal=None)
    rule = refused(chiiki, SheetRuleViolation, "send_tsunagu_sheet", schemas.SendTsunaguSheetSchema(),
                   {"sheet_id": sheet["sheet_id"], "consent": CONSENT, "to": TO_HOKATSU,
                    "sent_at": "2026-07-08T11:00:00+09:00"})
    assert rule.startswith("personal.persons:")


def test_consent_given_after_the_sending_is_refused(chiiki):
    sheet = chiiki.sheet(chiiki.place(), personal=None)
    refused(chiiki, SheetRuleViolation, "send_tsunagu_sheet", schemas.SendTsunaguSheetSchema(),
            {"sheet_id": sheet["sheet_id"], "consent": {**CONSENT, "given_at": "2026-07-09T10:00:00+09:00"},
             "to": TO_HOKATSU, "sent_at": "2026-07-08T11:00:00+09:00", "personal": {"persons": [PERSON]}})


def test_sheets_are_counted_per_area_written_and_sent(chiiki):
    first, second = chiiki.place(), chiiki.place(name="児童館", area="第2圏域")
    chiiki.sheet(first, personal=None)
    chiiki.sheet(first, consent=CONSENT, to=TO_HOKATSU)
    chiiki.sheet(second, personal=None)
    counts = chiiki.app.fiscal_year_counts(2026)
    assert (counts["tsunagu_sheets_written"], counts["tsunagu_sheets_sent"]) == (3, 1)
    assert counts["tsunagu_sheets_by_area"] == [{"area": "第1圏域", "written": 2, "sent": 1},
                                                {"area": "第2圏域", "written": 1, "sent": 0}]


def test_an_invalid_sheet_names_its_fields_and_repeats_no_value(chiiki):
    with pytest.raises(InvalidCommand) as caught:
        load_command(schemas.WriteTsunaguSheetSchema(), {
            "place_id": "x", "issue_categories": ["gossip"], "personal": {"persons": [{"relation": "秘密の続柄"}]}})
    assert {"place_id", "liaison_id", "issue_categories", "personal"} <= set(caught.value.errors)
    assert "秘密の続柄" not in str(caught.value) and "gossip" not in str(caught.value)


# -- 地域課題シート ---------------------------------------------------------------------------

AREA_ISSUE = {"area": "第1圏域", "committee": "福祉のまちづくり委員会（第1圏域）",
              "issue_categories": ["isolation", "care_prevention"],
              "description": "団地の高齢者が集まれる場所がない", "raised_by": "committee_member",
              "raised_by_name": "見本 委員", "note": "見本さん宅の隣人から聞いた",
              "recorded_on": "2026-07-10", "recorded_by": "csw-1"}


def test_an_area_issue_is_broadcast_about_no_household_without_its_personal_part(chiiki):
    recorded = chiiki.run("record_area_issue", schemas.RecordAreaIssueSchema(), AREA_ISSUE)
    [event] = chiiki.published()
    assert event["type"] == "community.area_issue_recorded" and event["household_id"] is None
    assert "recipient" not in event and "personal" not in event["payload"]
    assert event["payload"]["sheet_id"] == recorded["sheet_id"]
    assert event["payload"]["description"] == "団地の高齢者が集まれる場所がない"
    assert "見本" not in json.dumps(event, ensure_ascii=False)


def test_an_area_issues_handling_moves_forward_and_ends(chiiki):
    sheet_id = chiiki.run("record_area_issue", schemas.RecordAreaIssueSchema(), AREA_ISSUE)["sheet_id"]
    handle = lambda status, on="2026-08-01": chiiki.run(  # noqa: E731
        "record_area_issue_handling", schemas.AreaIssueHandlingSchema(),
        {"sheet_id": sheet_id, "status": status, "handled_on": on, "handled_by": "csw-1"})
    handle("in_progress")
    refused(chiiki, SheetRuleViolation, "record_area_issue_handling", schemas.AreaIssueHandlingSchema(),
            {"sheet_id": sheet_id, "status": "considering", "handled_on": "2026-08-02", "handled_by": "c"})
    assert handle("resolved")["status_label"] == "解決"
    refused(chiiki, SheetRuleViolation, "record_area_issue_handling", schemas.AreaIssueHandlingSchema(),
            {"sheet_id": sheet_id, "status": "closed", "handled_on": "2026-08-03", "handled_by": "c"})
    [issue] = chiiki.app.area_issues("第1圏域")["area_issues"]
    assert [h["status"] for h in issue["handling"]] == ["in_progress", "resolved"]
    assert len(chiiki.published()) == 1  # handling stays here


# -- 社会資源の開発 ---------------------------------------------------------------------------

def test_a_shortage_becomes_one_development_target_whose_progress_is_tracked(chiiki):
    shortage = chiiki.shortage()
    chiiki.shortage(shortage_id=shortage["shortage_id"])  # the same shortage again: one target
    [target] = chiiki.app.development_targets()["targets"]
    assert (target["shortage_id"], target["status_label"]) == (shortage["shortage_id"], "未着手")
    place_id = chiiki.place(kind="ibasho", name="若者の居場所")
    progress = {"target_id": target["target_id"], "on": "2026-09-01", "recorded_by": "sc-2"}
    chiiki.run("record_target_progress", schemas.TargetProgressSchema(), {**progress, "status": "in_progress"})
    done = chiiki.run("record_target_progress", schemas.TargetProgressSchema(),
                      {**progress, "status": "developed", "place_id": place_id})
    assert [p["status"] for p in done["progress"]] == ["in_progress", "developed"]
    assert done["progress"][1]["place_id"] == place_id
    refused(chiiki, TargetRuleViolation, "record_target_progress", schemas.TargetProgressSchema(),
            {**progress, "status": "dropped"})
    assert chiiki.app.fiscal_year_counts(2026)["targets_developed"] == 1


# -- 場・コーディネーター -------------------------------------------------------------------

def test_places_are_listed_per_area_and_a_closed_place_counts_no_visitors(chiiki):
    first = chiiki.place()
    chiiki.place(area="第2圏域", name="子育てひろば", kind="childcare_hub")
    assert [p["name"] for p in chiiki.app.places("第1圏域")["places"]] == ["いちょうサロン"]
    chiiki.run("change_place_status", schemas.PlaceStatusSchema(),
               {"place_id": first, "status": "closed", "changed_on": "2026-09-01"})
    refused(chiiki, PlaceRuleViolation, "record_visitors", schemas.VisitorsSchema(),
            {"place_id": first, "counted_on": "2026-09-02", "visitors": 5, "recorded_by": "s"})


def test_coordinators_follow_their_layer(chiiki):
    first = {"layer": "first", "name": "見本 一層", "organisation": "komae-shakyo", "appointed_on": "2026-04-01"}
    chiiki.run("appoint_coordinator", schemas.AppointCoordinatorSchema(), first)
    refused(chiiki, CoordinatorRuleViolation, "appoint_coordinator", schemas.AppointCoordinatorSchema(),
            {**first, "areas": ["第1圏域"]})
    refused(chiiki, CoordinatorRuleViolation, "appoint_coordinator", schemas.AppointCoordinatorSchema(),
            {**first, "layer": "second"})
    second = chiiki.run("appoint_coordinator", schemas.AppointCoordinatorSchema(),
                        {**first, "layer": "second", "areas": ["第2圏域"]})["coordinator_id"]
    refused(chiiki, CoordinatorRuleViolation, "assign_place", schemas.AssignPlaceSchema(),
            {"coordinator_id": second, "place_id": chiiki.place()})  # 第1圏域: not theirs
    hub = chiiki.place(area="第2圏域", name="子育てひろば", kind="childcare_hub")
    chiiki.run("assign_place", schemas.AssignPlaceSchema(), {"coordinator_id": second, "place_id": hub})
    listed = chiiki.app.coordinators()["coordinators"]
    assert [(c["layer"], c["place_ids"]) for c in listed] == [("first", []), ("second", [hub])]
    assert "見本" not in json.dumps(listed, ensure_ascii=False)


# -- 年度別実績 (004 §5(2)) ---------------------------------------------------------------------

def test_visitors_activities_matchings_trainings_and_consultations_roll_into_the_fiscal_year(chiiki):
    salon, hub = chiiki.place(), chiiki.place(name="子育てひろば", kind="childcare_hub")
    visits = lambda place, on, n, session=None: chiiki.run(  # noqa: E731
        "record_visitors", schemas.VisitorsSchema(),
        {"place_id": place, "counted_on": on, "visitors": n, "session": session, "recorded_by": "s"})
    visits(salon, "2026-04-01", 12)
    visits(salon, "2026-04-01", 14)  # a recount of the same day corrects it
    visits(salon, "2026-04-01", 6, "afternoon")
    visits(hub, "2027-03-31", 30)
    visits(hub, "2026-03-31", 99)  # FY2025
    for group, on in (("体操の会", "2026-05-01"), ("体操の会", "2026-05-08"), ("手芸の会", "2026-05-09")):
        chiiki.run("record_activity", schemas.ActivitySchema(),
                   {"place_id": salon, "group": group, "held_on": on, "recorded_by": "s"})
    for company in ("acme", "acme", "kobo"):
        chiiki.run("record_matching", schemas.MatchingSchema(),
                   {"kind": "company_area", "partner_id": company, "matched_on": "2026-06-01", "recorded_by": "sc"})
    chiiki.run("record_matching", schemas.MatchingSchema(),
               {"kind": "resident_activity", "place_id": salon, "matched_on": "2026-06-02",
                "recorded_by": "sc", "person_name": "見本 花子"})
    chiiki.run("record_training", schemas.TrainingSchema(),
               {"kind": "volunteer_intro", "title": "ボランティア入門講座", "held_on": "2026-10-01", "attendees": 3,
                "attendee_names": ["見本 A"], "recorded_by": "sc"})
    for who in ("resident", "group", "group", "company"):
        chiiki.run("record_community_consultation", schemas.CommunityConsultationSchema(),
                   {"consulted_by": who, "received_on": "2026-11-01", "recorded_by": "sc"})
    counts = chiiki.app.fiscal_year_counts(2026)
    assert (counts["visitors"], counts["activities_held"], counts["groups_active"]) == (14 + 6 + 30, 3, 2)
    assert (counts["company_matchings_new"], counts["company_matchings_total"], counts["resident_matchings"]) == (2, 3, 1)
    assert (counts["trainings_held"], counts["training_attendees"]) == (1, 3)
    assert (counts["consultations_from_residents"], counts["consultations_from_groups"],
            counts["consultations_from_companies"]) == (1, 2, 1)
    by_place = {p["place_id"]: p for p in counts["by_place"]}
    assert (by_place[salon]["visitors"], by_place[salon]["activities_held"], by_place[salon]["groups"]) == (20, 3, 2)
    assert chiiki.app.fiscal_year_counts(2025)["visitors"] == 99
    assert "見本" not in json.dumps(counts, ensure_ascii=False)


def test_a_training_cannot_name_more_attendees_than_attended(chiiki):
    refused(chiiki, ActivityRuleViolation, "record_training", schemas.TrainingSchema(),
            {"kind": "other", "title": "講座", "held_on": "2026-10-01", "attendees": 1,
             "attendee_names": ["見本 A", "見本 B"], "recorded_by": "sc"})


def test_trainings_are_counted_by_kind_and_supporters_trained_add_up_over_the_years(chiiki):
    """004 §5(2): ボランティア入門講座 (12回・延30名) apart from 生活支援サポーター養成講座 (延460名)."""
    def training(kind, on, attendees):
        chiiki.run("record_training", schemas.TrainingSchema(),
                   {"kind": kind, "title": "講座", "held_on": on, "attendees": attendees, "recorded_by": "sc"})
    training("volunteer_intro", "2026-05-01", 3)
    training("volunteer_intro", "2026-06-01", 2)
    training("life_support_supporter", "2025-10-01", 10)  # FY2025
    training("life_support_supporter", "2026-10-01", 25)
    counts = chiiki.app.fiscal_year_counts(2026)
    assert counts["trainings_by_kind"] == [
        {"kind": "volunteer_intro", "label": "ボランティア入門講座", "held": 2, "attendees": 5},
        {"kind": "life_support_supporter", "label": "生活支援サポーター養成講座", "held": 1, "attendees": 25}]
    counters = chiiki.app.report_counts(2026)["counters"]
    assert (counters["volunteer_intro_courses_held"]["total"], counters["volunteer_intro_course_attendees"]["total"]) == (2, 5)
    assert counters["life_support_supporter_courses_held"]["total"] == 1
    assert counters["life_support_supporters_trained"]["total"] == 35  # 延べ: this year's and before


def test_a_training_of_no_known_kind_is_refused_naming_the_field(chiiki):
    with pytest.raises(InvalidCommand) as caught:
        load_command(schemas.TrainingSchema(), {"title": "講座", "held_on": "2026-10-01", "attendees": 1,
                                                "recorded_by": "sc", "kind": "party"})
    assert list(caught.value.errors) == ["kind"]
    with pytest.raises(InvalidCommand) as caught:
        load_command(schemas.TrainingSchema(), {"title": "講座", "held_on": "2026-10-01", "attendees": 1,
                                                "recorded_by": "sc"})
    assert list(caught.value.errors) == ["kind"]


def test_visitors_are_counted_per_kind_of_place_and_per_area(chiiki):
    salon, ibasho = chiiki.place(), chiiki.place(name="みんなの居場所", kind="ibasho", area="第2圏域")
    for place, n in ((salon, 12), (ibasho, 30), (ibasho, 5)):
        chiiki.run("record_visitors", schemas.VisitorsSchema(),
                   {"place_id": place, "counted_on": "2026-06-01", "visitors": n,
                    "session": f"s{n}", "recorded_by": "s"})
    counts = chiiki.app.fiscal_year_counts(2026)
    assert counts["visitors_by_kind"] == [{"kind": "salon", "label": "サロン", "visitors": 12},
                                          {"kind": "ibasho", "label": "居場所", "visitors": 35}]
    counters = chiiki.app.report_counts(2026)["counters"]
    assert (counters["visitors_ibasho"]["total"], counters["visitors_salon"]["total"], counters["visitors"]["total"]) == (35, 12, 47)
    assert {c["area"] for c in counters["visitors_ibasho"]["cells"]} == {"第2圏域"}
