"""directory.organisation_disabled v1 and directory.city_profile_applied v1: their JSON Schemas
check the same code lists as their marshmallow contracts, and what the directory publishes for
each shipped profile (and for an edited one) passes both."""
import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from eventsourcing.utils import get_topic
from kasane_contracts import contract_for, load_json_schema, validate_envelope
from kasane_contracts.events.directory import ORGANISATION_KINDS

from kasane.bus.envelope import Origin, envelope_for
from kasane.store.trace import Trace
from kasane_contracts.vocabulary import BUSINESS_LINES
from directory.application import DirectoryApplication
from directory.integration import translators
from directory.profile import parse_profile

PROFILES = Path(__file__).resolve().parents[2] / "deploy" / "profiles"
NEW = ("directory.organisation_disabled", "directory.city_profile_applied")


def schema_of(event_type: str) -> dict:
    return json.loads(contract_for(event_type, 1).json_schema_path.read_text(encoding="utf-8"))


def codes(pattern: str) -> list[str]:
    return re.fullmatch(r"\^\((.*)\)\$", pattern).group(1).split("|")


def test_patterns_list_exactly_the_contract_codes():
    disabled = schema_of("directory.organisation_disabled")["$defs"]["payload"]["properties"]
    assert codes(disabled["kind"]["pattern"]) == list(ORGANISATION_KINDS)
    applied = schema_of("directory.city_profile_applied")["$defs"]
    assert applied["kpi_target"]["properties"]["business_line"] == {"$ref": "#/$defs/business_line"}
    assert codes(applied["business_line"]["pattern"]) == list(BUSINESS_LINES)


def published(app: DirectoryApplication, after: int = 0) -> list[dict]:
    registry, found, start = translators(), [], after + 1
    origin = Origin("directory", "市", "test-directory")
    while section := app.notification_log.select(start, 10):
        for note in section:
            event = app.mapper.to_domain_event(note)
            outgoing = registry.translate(get_topic(type(event)), event)
            if outgoing and outgoing.type in NEW:
                found.append(json.loads(json.dumps(envelope_for(outgoing, event, origin, note.id))))
        start = section[-1].id + 1
    return found


def check(envelope: dict) -> None:
    validate_envelope(envelope)
    jsonschema.Draft202012Validator(load_json_schema(envelope["type"], envelope["version"]),
                                    format_checker=jsonschema.FormatChecker()).validate(envelope)


@pytest.mark.parametrize("city", ["matsudo", "komae", "matsumoto", "ichikawa", "ise"])
def test_each_shipped_profile_publishes_its_areas_and_targets_once(city):
    data = yaml.safe_load((PROFILES / f"{city}.yaml").read_text(encoding="utf-8"))
    app = DirectoryApplication()
    app.apply_profile(parse_profile(yaml.safe_dump(data, allow_unicode=True)), Trace.for_command())
    [applied] = published(app)
    check(applied)
    payload = applied["payload"]
    assert payload["city"] == city and payload["changed"] == []
    assert [a["area_id"] for a in payload["areas"]] == [a["id"] for a in data["areas"]["list"]]
    assert len(payload["kpi_targets"]) == sum(len(t["rows"]) for t in data.get("kpi_tables", []))
    assert applied["version"] == 3  # with the city's own meeting bodies and whose plans a meeting judges
    assert [b["body_id"] for b in payload["meeting_bodies"]] == [b["id"] for b in data.get("meeting_bodies", [])]
    assert payload["plans_judged_at_meeting"] == (data.get("plans_judged_at_meeting") or {}).get("services", [])


def test_an_organisation_gone_and_a_city_renamed_are_published_as_their_contracts_say():
    data = yaml.safe_load((PROFILES / "komae.yaml").read_text(encoding="utf-8"))
    app = DirectoryApplication()
    app.apply_profile(parse_profile(yaml.safe_dump(data, allow_unicode=True)), Trace.for_command())
    position = app.recorder.max_notification_id()
    edited = copy.deepcopy(data)
    edited["organisations"] = [o for o in edited["organisations"] if o["id"] != "komae-comarch"]
    for table in edited["agency_tables"]:
        for row in table["rows"]:
            if row.get("operator") == "komae-comarch":
                row["operator"] = None
    edited["city"]["日本語名"] = "狛江市（改）"
    app.apply_profile(parse_profile(yaml.safe_dump(edited, allow_unicode=True)), Trace.for_command())
    events = published(app, after=position)
    for envelope in events:
        check(envelope)
    assert sorted((e["type"], e["payload"].get("organisation_id"), tuple(e["payload"].get("changed", ())))
                  for e in events) == [("directory.city_profile_applied", None, ("name_ja",)),
                                       ("directory.organisation_disabled", "komae-comarch", ())]
