"""機関名簿の契約 — the directory's JSON Schemas check exactly the code lists its marshmallow
contracts check (patterns stand in for enums, which the contract suite reserves for the
envelope's vocabulary), and what the five shipped profiles publish passes both."""
import json
import re
from pathlib import Path

import jsonschema
import pytest
from kasane_contracts import contract_for, load_json_schema, validate_envelope
from kasane_contracts.events.directory import (AGENCY_FIELDS, OPERATING_FORMS, ORGANISATION_KINDS,
                                               SETTING_FORMS)

from kasane.bus.envelope import Origin, envelope_for
from kasane.store.trace import Trace
from kasane_contracts.vocabulary import BUSINESS_LINES
from directory.application import DirectoryApplication
from directory.integration import translators
from directory.profile import load_profile

PROFILES = Path(__file__).resolve().parents[2] / "deploy" / "profiles"
TYPES = ["organisation_registered", "organisation_changed", "agency_registered", "agency_changed",
         "agency_withdrawn"]


def codes_of(pattern: str) -> list[str]:
    match = re.fullmatch(r"\^\((.*)\)\$", pattern)
    assert match, pattern
    return match.group(1).split("|")


def payload_properties(event_type: str) -> dict:
    path = contract_for(f"directory.{event_type}", 1).json_schema_path
    return json.loads(path.read_text(encoding="utf-8"))["$defs"]["payload"]["properties"]


def pattern_of(node: dict, schema_defs: dict) -> str:
    for option in node.get("anyOf", [node]):
        if "$ref" in option and option["$ref"].startswith("#/$defs/"):
            option = schema_defs[option["$ref"].split("/")[-1]]
        if "pattern" in option:
            return option["pattern"]
    raise AssertionError(node)


@pytest.mark.parametrize("event_type", TYPES)
def test_json_schema_patterns_list_exactly_the_contract_codes(event_type):
    path = contract_for(f"directory.{event_type}", 1).json_schema_path
    schema = json.loads(path.read_text(encoding="utf-8"))
    props, defs = schema["$defs"]["payload"]["properties"], schema["$defs"]
    expected = {"business_line": list(BUSINESS_LINES), "kind": list(ORGANISATION_KINDS),
                "field": list(AGENCY_FIELDS), "setting_form": list(SETTING_FORMS),
                "operating_form": list(OPERATING_FORMS)}
    for name, codes in expected.items():
        if name in props:
            assert codes_of(pattern_of(props[name], defs)) == codes, name


@pytest.mark.parametrize("city", ["matsudo", "komae", "matsumoto", "ichikawa", "ise"])
def test_what_each_shipped_profile_publishes_passes_json_schema_and_marshmallow(city):
    app = DirectoryApplication()
    app.apply_profile(load_profile(PROFILES / f"{city}.yaml"), Trace.for_command())
    registry, origin = translators(), Origin("directory", city, f"{city}-directory")
    validators, checked = {}, 0
    start = 1  # the in-memory log is read in sections of ten
    while section := app.notification_log.select(start, 10):
        for note in section:
            event = app.mapper.to_domain_event(note)
            outgoing = registry.translate(note.topic, event)
            if outgoing is None:
                continue
            envelope = json.loads(json.dumps(envelope_for(outgoing, event, origin, note.id)))
            validate_envelope(envelope)
            validator = validators.setdefault((outgoing.type, outgoing.version), jsonschema.Draft202012Validator(
                load_json_schema(outgoing.type, outgoing.version), format_checker=jsonschema.FormatChecker()))
            validator.validate(envelope)
            checked += 1
        start = section[-1].id + 1
    assert checked > 10
