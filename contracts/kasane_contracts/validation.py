"""契約の検査 — checking an integration event against its contract, on publish and on consume."""
from functools import cache

from marshmallow import Schema, ValidationError

from .envelope import EnvelopeSchema, event_schema
from .errors import ContractViolation
from .registry import Contract, find_contract, unknown_contract

_ENVELOPE = EnvelopeSchema()


def validate_envelope(data: object) -> dict:
    """The event, loaded: envelope and payload checked, unknown fields dropped at every level.

    Raises ContractViolation, which names the fields that failed and never their values.
    """
    if not isinstance(data, dict):
        raise ContractViolation("event is not a JSON object", {"_schema": ["Not an object."]})
    contract = find_contract(data.get("type"), data.get("version"))
    if contract is None:
        _load(_ENVELOPE, data, "invalid envelope")
        raise unknown_contract(data.get("type"), data.get("version"))
    return _load(_schema_of(contract), data, f"invalid {contract.channel}")


@cache
def _schema_of(contract: Contract) -> Schema:
    return event_schema(
        contract.type,
        contract.version,
        contract.payload_schema,
        about_household=contract.about_household,
    )()


def _load(schema: Schema, data: dict, reason: str) -> dict:
    try:
        return schema.load(data)
    except ValidationError as error:  # its .data holds the submitted values: do not chain it
        raise ContractViolation(reason, field_errors(error.messages)) from None


def field_errors(messages: object, path: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages flattened: {"payload.personal.persons.0.birth_date": [...]}.

    Errors about a whole object (marshmallow's "_schema") go under the object's own path.
    """
    if isinstance(messages, dict):
        parts = [(_child(path, key), value) for key, value in messages.items()]
    elif isinstance(messages, list):
        parts = [(path, item) for item in messages]
    else:
        return {path or "_schema": [str(messages)]}
    found: dict[str, list[str]] = {}
    for where, inner in parts:
        for field_path, texts in field_errors(inner, where).items():
            found.setdefault(field_path, []).extend(texts)
    return found


def _child(path: str, key: object) -> str:
    if key == "_schema":
        return path
    return f"{path}.{key}" if path else str(key)
