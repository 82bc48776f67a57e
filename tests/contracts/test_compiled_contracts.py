"""The compiled contract check (kasane.bus.compiled_contracts) agrees with marshmallow, the
contract's definition: on every example, and on every example with one field removed or
given a value of the wrong kind."""
import copy
import json

import pytest

from kasane.bus.compiled_contracts import _compiled, validate_fast
from kasane_contracts import ContractViolation, contract_for, known_contracts, validate_envelope

from .test_contracts import EXAMPLES, examples, read_json

WRONG_VALUES = (12345, "", None, [], {}, "not-a-uuid", "2025-02-30T00:00:00Z", True)


def outcome(validate, event) -> tuple:
    try:
        return "accepted", validate(copy.deepcopy(event))
    except ContractViolation as refused:
        return "refused", refused.reason, refused.errors


def leaves(node, path=()):
    """Every path into the event (objects and lists included), the root excepted."""
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in children:
        yield (*path, key)
        yield from leaves(value, (*path, key))


def variants(event):
    for path in leaves(event):
        *parents, last = path
        for change in ("delete", *WRONG_VALUES):
            changed = copy.deepcopy(event)
            parent = changed
            for key in parents:
                parent = parent[key]
            if change == "delete":
                del parent[last]
            else:
                parent[last] = change
            yield changed


@pytest.mark.parametrize(("contract", "path"), examples("valid") + examples("invalid"))
def test_the_compiled_check_accepts_and_refuses_every_example_as_marshmallow_does(contract, path):
    event = read_json(path)
    assert outcome(validate_fast, event) == outcome(validate_envelope, event)


@pytest.mark.parametrize(("contract", "path"), examples("valid"))
def test_the_compiled_check_agrees_on_every_example_with_a_field_missing_or_wrong(contract, path):
    for changed in variants(read_json(path)):
        assert outcome(validate_fast, changed) == outcome(validate_envelope, changed), json.dumps(changed)


def test_an_unknown_field_is_dropped_at_every_level_by_the_compiled_check():
    contract = contract_for("consultation.household_referred", 1)
    assert _compiled(contract) is not None  # the bench's event takes the fast path
    event = read_json(next((EXAMPLES / contract.channel / "valid").glob("*.json")))
    event["smuggled"] = "x"
    event["origin"]["smuggled"] = "x"
    event["payload"]["smuggled"] = "x"
    event["payload"]["referring_agency"]["smuggled"] = "x"
    loaded = validate_fast(event)
    assert "smuggled" not in json.dumps(loaded)
    assert loaded == validate_envelope(event)


def test_most_contracts_take_the_compiled_path():
    compiled = [c for c in known_contracts() if _compiled(c) is not None]
    assert len(compiled) >= len(known_contracts()) - 5


@pytest.mark.parametrize("event_type", ["consultation.consent_recorded", "outreach.consent_obtained"])
def test_a_consent_naming_neither_organisation_nor_purpose_is_refused_by_both_checks_alike(event_type):
    contract = contract_for(event_type, 1)
    assert _compiled(contract) is not None  # its rule across fields is stated in its JSON Schema too
    event = read_json(next((EXAMPLES / contract.channel / "valid").glob("*.json")))
    event["payload"]["organisations"], event["payload"]["purposes"] = [], []
    refused = outcome(validate_fast, event)
    assert refused[0] == "refused" and "purposes" in json.dumps(refused[2])
    assert refused == outcome(validate_envelope, event)
