"""名簿の写し, in memory: what the directory publishes, folded into a business-line instance's
copy through the same handlers the inbox consumer runs; the check community and participation
run before they record a chosen area or agency.

The envelopes are those the directory's relay would publish (its own translators, validated
against the contracts), so the copy is tested against the real wire shape.
"""
import copy
from pathlib import Path

import pytest
import yaml
from eventsourcing.utils import get_topic
from kasane_contracts import validate_envelope

from kasane.bus.envelope import Origin, envelope_for
from kasane.directory_copy.handlers import SUBSCRIPTIONS
from kasane.directory_copy.reader import DirectoryCopyReader
from kasane.directory_copy.aggregate import DirectoryCopy
from kasane.errors import InvalidCommand
from kasane.runtime.commands import load_command
from kasane.services import handlers_of, subscriptions
from kasane.store.trace import Trace
from kasane.store.unit_of_work import UnitOfWork

from community import schemas as community_schemas
from community.application import CommunityApplication
from directory.application import DirectoryApplication
from directory.integration import translators
from directory.profile import parse_profile
from participation import schemas as participation_schemas
from participation.application import ParticipationApplication

PROFILES = Path(__file__).resolve().parents[2] / "deploy" / "profiles"
ORIGIN = Origin("directory", "松戸市", "matsudo-directory")
GONE = "matsudo-kikan-soudan-onbu"  # 小金基幹相談支援センター おんぶ
TOKIWADAIRA = "matsudo-tokiwadaira"
AREA_ISSUE = {"committee": "地区社協", "issue_categories": ["isolation"],
              "description": "集まれる場所がない", "raised_by": "committee_member",
              "recorded_on": "2026-07-10", "recorded_by": "csw-1"}


class Directory:
    """The directory in memory, and the envelopes its relay would publish, in log order."""

    def __init__(self):
        self.app, self.position = DirectoryApplication(), 0

    def apply(self, data: dict) -> list[dict]:
        self.app.apply_profile(parse_profile(yaml.safe_dump(data, allow_unicode=True), "p.yaml"),
                               Trace.for_command())
        registry, published = translators(), []
        while section := self.app.notification_log.select(self.position + 1, 10):
            for note in section:
                event = self.app.mapper.to_domain_event(note)
                outgoing = registry.translate(get_topic(type(event)), event)
                if outgoing:
                    published.append(validate_envelope(envelope_for(outgoing, event, ORIGIN, note.id)))
                self.position = note.id
        return published


def feed(app, service: str, envelopes: list[dict]) -> int:
    """As the inbox consumer does: one unit of work per message, its events saved. Returns how
    many events the copy recorded."""
    handlers, recorded = handlers_of(service, {}), 0
    for envelope in envelopes:
        uow = UnitOfWork(app)
        handlers[(envelope["type"], envelope["version"])](envelope, uow)
        events = uow.take_events(Trace.caused_by(envelope))
        if events:
            app.save_events(events)
        recorded += len(events)
    return recorded


def matsudo() -> dict:
    return yaml.safe_load((PROFILES / "matsudo.yaml").read_text(encoding="utf-8"))


def edited(data: dict) -> dict:
    """One agency gone, one area renamed, one organisation gone."""
    data = copy.deepcopy(data)
    for table in data["agency_tables"]:
        table["rows"] = [r for r in table["rows"] if r["id"] != GONE]
    next(a for a in data["areas"]["list"] if a["id"] == TOKIWADAIRA)["名称"] = "常盤平地区"
    data["organisations"] = [o for o in data["organisations"] if o["id"] != "matsudo-araguasa"]
    for table in data["agency_tables"]:  # the organisation's agency no longer names it
        for row in table["rows"]:
            if row.get("operator") == "matsudo-araguasa":
                row["operator"] = None
    return data


@pytest.fixture
def directory():
    return Directory()


@pytest.fixture
def chiiki():
    return CommunityApplication(instance="matsudo-community", organisation="matsudo-chiiki-kyosei")


def area_name(reader, area_id: str) -> str:
    return next(a["name"] for a in reader.areas("matsudo")["areas"] if a["area_id"] == area_id)


def test_every_business_line_subscribes_to_the_directory_and_the_directory_and_ledger_do_not():
    for service in ("consultation", "collaboration", "outreach", "participation", "community"):
        assert set(SUBSCRIPTIONS) <= set(map(tuple, subscriptions(service))), service
        assert set(handlers_of(service, {})) == set(SUBSCRIPTIONS)
    assert not set(SUBSCRIPTIONS) & set(map(tuple, subscriptions("directory")))
    assert not set(SUBSCRIPTIONS) & set(map(tuple, subscriptions("audit")))
    assert handlers_of("directory", {}) == {}
    own = {("directory.agency_registered", 1): "the service's own"}
    assert handlers_of("community", own)[("directory.agency_registered", 1)] == "the service's own"
    # The service's own subscriptions are kept, each once.
    assert subscriptions("community").count(("collaboration.social_resource_shortage_found", 1)) == 1


def test_the_copy_holds_the_whole_city_after_its_first_application(directory, chiiki):
    published = directory.apply(matsudo())
    assert published[-1]["type"] == "directory.city_profile_applied"
    assert published[-1]["payload"]["changed"] == []
    feed(chiiki, "community", published)
    reader = chiiki.directory
    [city] = reader.summary()
    assert city == {"city": "matsudo", "name_ja": "松戸市", "areas": 15, "agencies": 121,
                    "organisations": len(matsudo()["organisations"]), "complete": True}
    assert area_name(reader, TOKIWADAIRA) == "常盤平"
    tokiwadaira = {a["agency_id"] for a in reader.agencies(area=TOKIWADAIRA)}
    assert {"matsudo-hokatsu-tokiwadaira", "matsudo-hokatsu-kikan"} <= tokiwadaira
    assert [a["agency_id"] for a in reader.agencies(business_line="collaboration")] == ["matsudo-takikan-kyodo"]
    assert reader.kpi_targets("matsudo")["kpi_targets"] == []  # the Matsudo seed sets none
    assert reader.areas("ise") == {"city": "ise", "known": False, "name_ja": None, "area_term": None,
                                   "declared_area_count": None, "areas": []}


def test_the_same_events_again_record_nothing(directory, chiiki):
    published = directory.apply(matsudo())
    assert feed(chiiki, "community", published) > 121
    assert feed(chiiki, "community", published) == 0


def test_an_edited_profile_withdraws_renames_and_disables_and_the_same_again_publishes_nothing(directory, chiiki):
    feed(chiiki, "community", directory.apply(matsudo()))
    changes = directory.apply(edited(matsudo()))
    assert sorted(e["type"] for e in changes) == [
        "directory.agency_changed", "directory.agency_withdrawn", "directory.city_profile_applied",
        "directory.organisation_disabled"]
    profile_event = next(e for e in changes if e["type"] == "directory.city_profile_applied")
    assert profile_event["payload"]["changed"] == ["areas"]
    disabled = next(e for e in changes if e["type"] == "directory.organisation_disabled")["payload"]
    assert (disabled["organisation_id"], disabled["kind"]) == ("matsudo-araguasa", "npo")
    assert feed(chiiki, "community", changes) == 4
    reader = chiiki.directory
    assert area_name(reader, TOKIWADAIRA) == "常盤平地区"
    assert GONE not in {a["agency_id"] for a in reader.agencies()}
    [gone] = [a for a in reader.agencies(include_withdrawn=True) if a["agency_id"] == GONE]
    assert (gone["active"], gone["status_label"], gone["name"]) == (False, "廃止・無効", "小金基幹相談支援センター おんぶ")
    assert "matsudo-araguasa" not in {o["organisation_id"] for o in reader.organisations()}
    assert "matsudo-araguasa" in {o["organisation_id"] for o in reader.organisations(include_disabled=True)}
    # 再適用: the same edited profile again records and publishes nothing.
    assert directory.apply(edited(matsudo())) == []


def test_registered_changed_withdrawn_reinstated_on_the_aggregate():
    record = {"city": "matsudo", "agency_id": GONE, "name": "おんぶ", "business_line": "consultation"}
    held = DirectoryCopy(city="matsudo")
    assert held.take_entry("agency", record, "2026-04-01T00:00:00Z") == "registered"
    assert held.take_entry("agency", record, "2026-04-01T00:00:00Z") is None
    assert held.take_entry("agency", {**record, "name": "小金 おんぶ"}, "2026-05-01T00:00:00Z") == "changed"
    assert held.retire_entry("agency", GONE, "2026-06-01T00:00:00Z") == "retired"
    assert held.retire_entry("agency", GONE, "2026-06-01T00:00:00Z") is None
    assert held.active("agency") == []
    assert held.entry("agency", GONE)["record"]["name"] == "小金 おんぶ"  # kept, never deleted
    assert held.take_entry("agency", record, "2026-07-01T00:00:00Z") == "reinstated"
    assert held.active("agency") == [record]
    assert held.retire_entry("agency", "matsudo-never-heard-of", "2026-07-01T00:00:00Z") is None
    names = [type(e).__name__ for e in held.collect_events()]
    assert names == ["Started", "EntryRegistered", "EntryChanged", "EntryRetired", "EntryReinstated"]


def test_a_withdrawn_agency_comes_back_through_the_directory(directory, chiiki):
    feed(chiiki, "community", directory.apply(matsudo()))
    feed(chiiki, "community", directory.apply(edited(matsudo())))
    back = directory.apply(matsudo())
    assert {e["type"] for e in back} >= {"directory.agency_registered", "directory.organisation_registered"}
    feed(chiiki, "community", back)
    assert GONE in {a["agency_id"] for a in chiiki.directory.agencies()}
    assert area_name(chiiki.directory, TOKIWADAIRA) == "常盤平"


def test_kpi_targets_by_fiscal_year(directory, chiiki):
    ise = yaml.safe_load((PROFILES / "ise.yaml").read_text(encoding="utf-8"))
    feed(chiiki, "community", directory.apply(ise))
    targets = chiiki.directory.kpi_targets("ise", 2025)["kpi_targets"]
    new = next(k for k in targets if k["kpi_id"] == "ise-r7-yorisoi-new")
    assert (new["era_year"], new["target"], new["unit"], new["agency"]) == ("R7", 2300, "件", "ise-yorisoi")
    assert chiiki.directory.kpi_targets("ise", 2030)["kpi_targets"] == []
    edited_ise = copy.deepcopy(ise)
    edited_ise["kpi_tables"][0]["rows"][0]["target"] = 2400
    [change] = directory.apply(edited_ise)
    assert (change["type"], change["payload"]["changed"]) == ("directory.city_profile_applied", ["kpi_targets"])
    feed(chiiki, "community", [change])
    assert next(k for k in chiiki.directory.kpi_targets("ise")["kpi_targets"]
                if k["kpi_id"] == "ise-r7-yorisoi-new")["target"] == 2400


def test_a_directory_event_from_another_service_changes_nothing(directory, chiiki):
    forged = [dict(e, origin={**e["origin"], "service": "outreach"}) for e in directory.apply(matsudo())]
    assert feed(chiiki, "community", forged) == 0
    assert chiiki.directory.cities() == []


# -- the check community and participation run ----------------------------------------------

def run(app, use_case: str, schema, command: dict) -> dict:
    data, trace = load_command(schema, command)
    return getattr(app, use_case)(trace, **data)


def stored(app) -> int:
    return app.recorder.max_notification_id() or 0


def test_with_no_directory_any_area_or_agency_is_accepted_as_before(chiiki):
    run(chiiki, "record_area_issue", community_schemas.RecordAreaIssueSchema(),
        {**AREA_ISSUE, "area": "第1圏域"})
    DirectoryCopyReader(chiiki).require_known(areas={"area": "どこでも"}, agencies={"a": "any-agency"})


def test_once_the_copy_knows_the_city_an_unknown_area_is_refused_and_nothing_stored(directory, chiiki):
    feed(chiiki, "community", directory.apply(matsudo()))
    before = stored(chiiki)
    with pytest.raises(InvalidCommand) as refused:
        run(chiiki, "record_area_issue", community_schemas.RecordAreaIssueSchema(),
            {**AREA_ISSUE, "area": "第1圏域"})
    assert refused.value.errors == {"area": ["Not an area of the city's directory (名簿にない圏域)."]}
    assert "第1圏域" not in str(refused.value)
    with pytest.raises(InvalidCommand) as refused:
        run(chiiki, "register_place", community_schemas.RegisterPlaceSchema(),
            {"kind": "salon", "name": "サロン", "area": "matsudo-nowhere", "operator": "社協"})
    assert list(refused.value.errors) == ["area"]
    assert stored(chiiki) == before
    sheet = run(chiiki, "record_area_issue", community_schemas.RecordAreaIssueSchema(),
                {**AREA_ISSUE, "area": TOKIWADAIRA})
    assert sheet["area"] == TOKIWADAIRA and stored(chiiki) > before


def test_a_tsunagu_sheet_to_an_unknown_or_withdrawn_desk_is_refused(directory, chiiki):
    feed(chiiki, "community", directory.apply(matsudo()))
    feed(chiiki, "community", directory.apply(edited(matsudo())))
    place_id = run(chiiki, "register_place", community_schemas.RegisterPlaceSchema(),
                   {"kind": "salon", "name": "サロン", "area": TOKIWADAIRA, "operator": "社協"})["place_id"]
    consent = {"given_by": "self", "method": "written", "given_at": "2026-07-01T10:00:00+09:00"}

    def sheet(agency_id: str) -> dict:
        return run(chiiki, "write_tsunagu_sheet", community_schemas.WriteTsunaguSheetSchema(), {
            "place_id": place_id, "liaison_id": "l-1", "issue_categories": ["isolation"],
            "personal": {"persons": [{"name": "見本 タロウ"}]}, "consent": consent,
            "to": {"agency": {"agency_id": agency_id, "name": "窓口"}, "instance": "matsudo-desk"}})
    before = stored(chiiki)
    for agency_id in (GONE, "tokiwadaira-hokatsu"):
        with pytest.raises(InvalidCommand) as refused:
            sheet(agency_id)
        assert list(refused.value.errors) == ["to.agency.agency_id"]
    assert stored(chiiki) == before
    assert sheet("matsudo-hokatsu-tokiwadaira")["status"] == "sent"


def test_a_copy_that_joined_late_knows_the_areas_but_refuses_no_agency_it_never_heard_of(directory, chiiki):
    directory.apply(matsudo())  # published before this instance's inbox existed
    feed(chiiki, "community", directory.apply(edited(matsudo())))
    reader = chiiki.directory
    assert reader.summary()[0]["complete"] is False
    reader.require_known(agencies={"a": "matsudo-hokatsu-tokiwadaira"})  # never heard of: accepted
    with pytest.raises(InvalidCommand):
        reader.require_known(agencies={"a": GONE})  # heard it was withdrawn
    with pytest.raises(InvalidCommand):
        reader.require_known(areas={"area": "matsudo-nowhere"})


def test_participation_refuses_a_host_in_an_unknown_area_and_a_request_from_an_unknown_agency(directory):
    sanka = ParticipationApplication(instance="matsudo-participation", organisation="matsudo-shakyo")
    feed(sanka, "participation", directory.apply(matsudo()))
    host = {"name": "見本農園", "kind": "company", "offers": ["work_experience"], "capacity": 2,
            "contact_organisation": "見本農園", "registered_on": "2026-05-01", "caseworker_id": "cw-1"}
    before = stored(sanka)
    with pytest.raises(InvalidCommand) as refused:
        run(sanka, "register_host", participation_schemas.RegisterHostSchema(), {**host, "area": "駅前"})
    assert list(refused.value.errors) == ["area"]
    request = {"household_id": "6f1c2a9e-3b7d-4e51-9a0c-2d8e4f6b1a73", "caseworker_id": "cw-1",
               "agency": {"agency_id": "matsudo-unknown-desk", "name": "窓口"},
               "consent": {"given_by": "self", "method": "written", "given_at": "2026-07-01T10:00:00+09:00"}}
    with pytest.raises(InvalidCommand) as refused:
        run(sanka, "receive_request", participation_schemas.ReceiveRequestSchema(), request)
    assert list(refused.value.errors) == ["agency.agency_id"]
    assert stored(sanka) == before
    run(sanka, "register_host", participation_schemas.RegisterHostSchema(), {**host, "area": TOKIWADAIRA})
    run(sanka, "receive_request", participation_schemas.ReceiveRequestSchema(),
        {**request, "agency": {"agency_id": "matsudo-hokatsu-tokiwadaira", "name": "常盤平"}})
    assert stored(sanka) > before


@pytest.mark.parametrize("service,use_case,command,field", [
    ("consultation", "connect_to_agency",
     {"consultation_id": "00000000-0000-4000-8000-000000000001", "caseworker_id": "sw-1",
      "to": {"instance": "x", "organisation": "o", "agency_id": "{agency}", "name": "窓口"}},
     "to.agency_id"),
    ("collaboration", "draft_plan",
     {"case_id": "00000000-0000-4000-8000-000000000001", "drafted_on": "2026-06-10", "caseworker_id": "tk-1",
      "roles": [{"service": "outreach", "task": "outreach_visits", "organisation": "o",
                 "agency": {"agency_id": "{agency}", "name": "アウトリーチ"}, "instance": "x",
                 "starts_on": "2026-07-01", "description": "訪問"}],
      "monitoring_dates": ["2026-08-31"]},
     "roles.0.agency.agency_id"),
    ("outreach", "hand_over",
     {"case_id": "00000000-0000-4000-8000-000000000001", "to_service": "consultation", "worker_id": "w-1",
      "issue_categories": ["isolation"],
      "to": {"instance": "x", "organisation": "o", "agency": {"agency_id": "{agency}", "name": "窓口"}}},
     "to.agency.agency_id"),
])
def test_every_business_line_refuses_an_agency_its_copy_of_the_city_does_not_list(directory, service, use_case,
                                                                                  command, field):
    """Consultation, collaboration and outreach, like community and participation: once the copy
    holds the city, a chosen agency must be a current one, checked before anything is read."""
    import importlib
    import json

    module = importlib.import_module(f"{service}.application")
    app = next(getattr(module, name) for name in dir(module)
               if name.endswith("Application") and name not in ("KasaneApplication", "BusinessLineApplication"))()
    schema = next(getattr(importlib.import_module(f"{service}.schemas"), name)
                  for name in dir(importlib.import_module(f"{service}.schemas"))
                  if name.lower() == use_case.replace("_", "") + "schema")()

    def attempt(agency_id: str):
        return run(app, use_case, schema, json.loads(json.dumps(command).replace("{agency}", agency_id)))

    feed(app, service, directory.apply(matsudo()))
    with pytest.raises(InvalidCommand) as refused:
        attempt("matsudo-nowhere")
    assert list(refused.value.errors) == [field] and "matsudo-nowhere" not in str(refused.value)
    with pytest.raises(Exception) as passed_the_check:  # a known agency: on to the (missing) record
        attempt("matsudo-takikan-kyodo")
    assert not isinstance(passed_the_check.value, InvalidCommand)
