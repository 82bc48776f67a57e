"""The integration-event contracts (連携イベントの契約): marshmallow, JSON Schema, AsyncAPI agree.

Every example under kasane_contracts/examples/<type>.v<version>/{valid,invalid}/ is checked by
both marshmallow (validate_envelope) and jsonschema; they must accept and refuse the same ones.
"""
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

import kasane_contracts
from kasane_contracts import vocabulary
from kasane_contracts import ContractViolation, contract_for, known_contracts, load_json_schema
from kasane_contracts import validate_envelope

PACKAGE = Path(kasane_contracts.__file__).parent
EXAMPLES = PACKAGE / "examples"
SCHEMAS = PACKAGE / "schemas"
ASYNCAPI = PACKAGE.parent / "asyncapi.yaml"

# envelope.v1.json `$defs` name -> the vocabulary list its enum must equal.
VOCABULARY_ENUMS = {
    "issue_category": vocabulary.ISSUE_CATEGORIES,
    "channel": vocabulary.CHANNELS,
    "consulted_by": vocabulary.CONSULTED_BY,
    "urgency": vocabulary.URGENCY,
    "referral_reason": vocabulary.REFERRAL_REASONS,
    "relation": vocabulary.RELATIONS,
}
ORIGIN_SERVICES = [*vocabulary.BUSINESS_LINES, "directory", "audit", "gateway"]


def examples(kind: str) -> list:
    return [
        pytest.param(contract, path, id=f"{contract.channel}/{path.stem}")
        for contract in known_contracts()
        for path in sorted((EXAMPLES / contract.channel / kind).glob("*.json"))
    ]


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def json_schema_validator(contract) -> jsonschema.Draft202012Validator:
    schema = load_json_schema(contract.type, contract.version)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def strings_in(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [text for item in value for text in strings_in(item)]
    return []


def personal_part(event: dict):
    """The payload's marked personal part (payload.personal), or None."""
    payload = event.get("payload")
    return payload.get("personal") if isinstance(payload, dict) else None


def walk(node, path=()):
    """Every (path, mapping) in a JSON document."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, (*path, index))


def asyncapi() -> dict:
    return yaml.safe_load(ASYNCAPI.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("contract", "path"), examples("valid"))
def test_valid_examples_are_accepted_by_marshmallow_and_json_schema(contract, path):
    event = read_json(path)
    json_schema_validator(contract).validate(event)
    validate_envelope(event)


@pytest.mark.parametrize(("contract", "path"), examples("invalid"))
def test_invalid_examples_are_refused_by_marshmallow_and_json_schema(contract, path):
    event = read_json(path)
    assert not json_schema_validator(contract).is_valid(event)
    with pytest.raises(ContractViolation):
        validate_envelope(event)


@pytest.mark.parametrize("contract", known_contracts(), ids=lambda contract: contract.channel)
def test_each_event_has_two_valid_examples_one_with_unknown_fields_and_five_invalid(contract):
    valid = [read_json(path) for path in (EXAMPLES / contract.channel / "valid").glob("*.json")]
    invalid = list((EXAMPLES / contract.channel / "invalid").glob("*.json"))
    assert len(valid) >= 2 and len(invalid) >= 5
    assert any(validate_envelope(event) != event for event in valid)


@pytest.mark.parametrize(("contract", "path"), examples("invalid"))
def test_a_violation_never_quotes_the_personal_part(contract, path):
    personal = personal_part(read_json(path))
    # Codes (e.g. relation "child") are vocabulary, not personal details: skip them.
    secrets = [text for text in strings_in(personal) if text and text not in vocabulary.RELATIONS]
    with pytest.raises(ContractViolation) as caught:
        validate_envelope(read_json(path))
    told = " ".join([str(caught.value), caught.value.reason, repr(caught.value.errors)])
    assert [secret for secret in secrets if secret in told] == []


def test_enough_invalid_examples_carry_a_personal_part_that_could_leak():
    paths = [param.values[1] for param in examples("invalid")]
    assert sum(bool(personal_part(read_json(path))) for path in paths) >= 5


def test_unknown_fields_are_dropped_at_every_level():
    path = EXAMPLES / "consultation.household_referred.v1/valid/referral_with_null_personal_note.json"
    event = read_json(path)
    event["x_trace"] = "a"
    event["origin"]["x_build"] = "b"
    event["payload"]["x_score"] = 3
    event["payload"]["personal"]["persons"][0]["x_gender"] = "c"
    loaded = validate_envelope(event)
    assert loaded == read_json(path)


@pytest.mark.parametrize(("contract", "path"), examples("valid"))
def test_a_loaded_event_keeps_ids_and_times_as_strings_and_serialises_back(contract, path):
    loaded = validate_envelope(read_json(path))
    assert json.loads(json.dumps(loaded)) == loaded
    assert isinstance(loaded["event_id"], str) and isinstance(loaded["occurred_at"], str)
    assert validate_envelope(loaded) == loaded


def test_an_unknown_type_or_version_is_refused_by_name():
    event = read_json(next((EXAMPLES / "consultation.household_referred.v1/valid").glob("*.json")))
    event.update(type="consultation.foo", version=3)
    with pytest.raises(ContractViolation) as caught:
        validate_envelope(event)
    assert caught.value.reason == "unknown contract consultation.foo v3"
    with pytest.raises(ContractViolation):
        contract_for("consultation.foo", 3)


@pytest.mark.parametrize("event", [None, "text", [1, 2], 7])
def test_an_event_that_is_not_an_object_is_refused(event):
    with pytest.raises(ContractViolation):
        validate_envelope(event)


def test_a_contract_knows_its_channel_routing_key_and_json_schema():
    contract = contract_for("consultation.household_referred", 1)
    assert contract.channel == "consultation.household_referred.v1"
    assert contract.routing_key("komae-csw") == "ev.komae-csw.consultation.household_referred.v1"
    assert contract.json_schema_path == SCHEMAS / "consultation.household_referred.v1.json"


@pytest.mark.parametrize("contract", known_contracts(), ids=lambda contract: contract.channel)
def test_each_json_schema_is_valid_and_fixes_its_type_and_version(contract):
    schema = read_json(contract.json_schema_path)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"https://kasane.example/contracts/{contract.channel}.json"
    assert schema["properties"]["type"] == {"const": contract.type}
    assert schema["properties"]["version"] == {"const": contract.version}


@pytest.mark.parametrize("contract", known_contracts(), ids=lambda contract: contract.channel)
def test_an_event_about_no_household_must_say_household_id_null_in_both_schemas(contract):
    household_id = read_json(contract.json_schema_path)["properties"].get("household_id")
    assert (household_id is None) == contract.about_household
    if contract.about_household:
        return
    assert household_id["type"] == "null"
    validator = json_schema_validator(contract)
    for path in (EXAMPLES / contract.channel / "valid").glob("*.json"):
        event = read_json(path)
        assert event["household_id"] is None, path.name
        event["household_id"] = "6f1c2a9e-3b7d-4e51-9a0c-2d8e4f6b1a73"
        assert not validator.is_valid(event)
        with pytest.raises(ContractViolation) as caught:
            validate_envelope(event)
        assert list(caught.value.errors) == ["household_id"]


def test_json_schema_enums_are_exactly_the_vocabulary_codes():
    defs = read_json(SCHEMAS / "envelope.v1.json")["$defs"]
    for name, codes in VOCABULARY_ENUMS.items():
        assert defs[name]["enum"] == list(codes), name
    assert defs["origin"]["properties"]["service"]["enum"] == ORIGIN_SERVICES
    expected = {("$defs", name) for name in VOCABULARY_ENUMS}
    expected.add(("$defs", "origin", "properties", "service"))
    for path in SCHEMAS.glob("*.json"):
        enums = {where for where, node in walk(read_json(path)) if "enum" in node}
        assert enums <= expected, path.name


def test_no_json_schema_forbids_unknown_fields():
    for path in SCHEMAS.glob("*.json"):
        for _, node in walk(read_json(path)):
            assert node.get("additionalProperties", True) is not False, path.name
            assert node.get("unevaluatedProperties", True) is not False, path.name


def test_asyncapi_document_is_asyncapi_3_on_the_kasane_bus():
    document = asyncapi()
    assert document["asyncapi"] == "3.0.0"
    assert document["info"]["title"] == "kasane integration events"
    server = document["servers"]["kasane-bus"]
    assert (server["protocol"], server["host"]) == ("amqp", "localhost:5672")


def test_registry_and_asyncapi_name_the_same_channels():
    channels = asyncapi()["channels"]
    assert set(channels) == {contract.channel for contract in known_contracts()}
    for contract in known_contracts():
        assert channels[contract.channel]["address"] == contract.routing_key("{instance}")


def test_each_asyncapi_message_payload_is_its_contract_json_schema():
    messages = asyncapi()["components"]["messages"]
    for contract in known_contracts():
        reference = messages[contract.channel]["payload"]["schema"]["$ref"]
        assert (ASYNCAPI.parent / reference).resolve() == contract.json_schema_path.resolve()


def test_each_channel_is_sent_by_its_origin_service_and_received_by_some_other():
    operations = asyncapi()["operations"]
    for contract in known_contracts():
        on_channel = [
            (operation["action"], name.split(".")[0])  # operations are named <service>.<action>.…
            for name, operation in operations.items()
            if operation["channel"]["$ref"] == f"#/channels/{contract.channel}"
        ]
        assert ("send", contract.type.split(".")[0]) in on_channel
        assert any(action == "receive" for action, _ in on_channel)


def test_checkpoints_are_sent_by_every_service_and_received_by_the_audit_ledger():
    operations = asyncapi()["operations"]
    channel = contract_for("audit.checkpoint_signed", 1).channel
    on_channel = {
        (operation["action"], name.split(".")[0])
        for name, operation in operations.items()
        if operation["channel"]["$ref"] == f"#/channels/{channel}"
    }
    assert {service for action, service in on_channel if action == "send"} == set(ORIGIN_SERVICES)
    assert {service for action, service in on_channel if action == "receive"} == {"audit"}


def test_every_internal_reference_in_asyncapi_resolves():
    document = asyncapi()
    unresolved = []
    for _, node in walk(document):
        reference = node.get("$ref", "")
        if reference.startswith("#/"):
            target = document
            for key in reference[2:].split("/"):
                target = target.get(key, {}) if isinstance(target, dict) else {}
            if not target:
                unresolved.append(reference)
    assert unresolved == []


def test_every_subscription_of_every_service_is_a_receive_operation_of_the_asyncapi_document():
    """The document says who consumes what: it must not drift from the services' SUBSCRIPTIONS."""
    import yaml

    from kasane.bus.topology import EVERY_EVENT
    from kasane.services import SERVICE_CLASSES, subscriptions

    operations = yaml.safe_load((Path(__file__).resolve().parents[2] / "contracts" / "asyncapi.yaml")
                                .read_text(encoding="utf-8"))["operations"]
    received = {(name.split(".", 1)[0], op["channel"]["$ref"].rsplit("/", 1)[1])
                for name, op in operations.items() if op["action"] == "receive"}
    missing = [(service, f"{s[0]}.v{s[1]}") for service in SERVICE_CLASSES for s in subscriptions(service)
               if tuple(s) != EVERY_EVENT and (service, f"{s[0]}.v{s[1]}") not in received]
    assert missing == []


def test_the_asyncapi_document_names_each_channel_operation_and_message_once():
    """YAML keeps the last of two equal keys silently: an operation named like another (the same
    event type from two origins) would hide it."""
    class Strict(yaml.SafeLoader):
        pass

    repeated = []

    def mapping(loader, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=deep)
            if key in seen:
                repeated.append((key, key_node.start_mark.line + 1))
            seen.add(key)
        return yaml.SafeLoader.construct_mapping(loader, node, deep)

    Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    yaml.load((Path(__file__).resolve().parents[2] / "contracts" / "asyncapi.yaml").read_text(encoding="utf-8"),
              Loader=Strict)
    assert repeated == []
