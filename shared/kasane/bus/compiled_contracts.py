"""契約の高速検査 — the contract check on the hot path: the event's JSON Schema, compiled once.

marshmallow stays the contract's definition (`kasane_contracts.validate_envelope`); it costs
about 0.25 ms per event, which made the check a fifth of the relay's and the consumer's CPU.
Each contract's JSON Schema (the same contract, published in contracts/) is compiled once with
jsonschema-rs (about 5 µs per event), and what the marshmallow schema keeps is read off it once,
so an accepted event comes out as marshmallow would load it (unknown fields dropped at every
level — a `personal` field no contract names never travels).

marshmallow still decides whenever the fast path cannot: an event the JSON Schema refuses (so
the refusal names the fields exactly as before), an unknown type, and a contract with a rule
across fields (`@validates_schema`) that only marshmallow states (a rule its JSON Schema states
too is marked `@stated_in_json_schema`: 本人同意's "an organisation or a purpose"). tests/contracts/
test_compiled_contracts.py proves both accept and refuse the same examples.
"""
from __future__ import annotations

from functools import cache

import jsonschema_rs
from marshmallow import Schema, fields

from kasane_contracts import load_json_schema, validate_envelope
from kasane_contracts.fields import STATED_IN_JSON_SCHEMA
from kasane_contracts.registry import Contract, find_contract
from kasane_contracts.validation import _schema_of

_KEEP = None  # a leaf: the value is kept as it is


def validate_fast(data: object) -> dict:
    """The event as `validate_envelope` loads it, checked by the compiled JSON Schema when
    its contract allows; raises ContractViolation as `validate_envelope` does."""
    if isinstance(data, dict):
        compiled = _compiled(find_contract(data.get("type"), data.get("version")))
        if compiled is not None and compiled[0].is_valid(data):
            return _prune(data, compiled[1])
    return validate_envelope(data)


@cache
def _compiled(contract: Contract | None):
    """(validator, shape) for a contract the fast path can check on its own, else None."""
    if contract is None:
        return None
    schema = _schema_of(contract)
    if _has_schema_rules(schema):
        return None
    validator = jsonschema_rs.validator_for(load_json_schema(contract.type, contract.version),
                                            validate_formats=True)
    return validator, _shape(schema)


def _nested_schemas(schema: Schema):
    for field in schema.load_fields.values():
        inner = field.inner if isinstance(field, fields.List) else field
        if isinstance(inner, fields.Nested):
            yield inner.schema


def _has_schema_rules(schema: Schema) -> bool:
    """Whether this schema or one nested in it has hooks (rules across fields, transforms) that
    its JSON Schema does not state as well (`kasane_contracts.fields.stated_in_json_schema`)."""
    own = any(not getattr(getattr(schema, name), STATED_IN_JSON_SCHEMA, False)
              for hooks in schema._hooks.values() for name, *_ in hooks)
    return own or any(_has_schema_rules(s) for s in _nested_schemas(schema))


def _shape(schema: Schema) -> dict:
    """What marshmallow keeps of an object: {key: shape of its value}."""
    return {field.data_key or name: _field_shape(field) for name, field in schema.load_fields.items()}


def _field_shape(field: fields.Field):
    if isinstance(field, fields.Nested):
        shape = _shape(field.schema)
        return [shape] if field.many else shape
    if isinstance(field, fields.List):
        inner = _field_shape(field.inner)
        return _KEEP if inner is _KEEP else [inner]
    return _KEEP


def _prune(value, shape):
    if shape is _KEEP or value is None:
        return value
    if isinstance(shape, list):
        return [_prune(item, shape[0]) for item in value]
    return {key: _prune(value[key], inner) for key, inner in shape.items() if key in value}
