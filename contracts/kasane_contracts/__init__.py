"""kasane's integration-event contracts (連携イベントの契約), shared by publishers and consumers.

Each event type and version has a marshmallow schema (used here, on publish and on consume),
a JSON Schema (schemas/, for anyone else) and examples (examples/) that both must agree on;
../asyncapi.yaml maps them onto the `kasane.events` exchange.
"""
from .errors import ContractViolation
from .registry import Contract, contract_for, known_contracts, load_json_schema
from .validation import validate_envelope

__all__ = [
    "Contract",
    "ContractViolation",
    "contract_for",
    "known_contracts",
    "load_json_schema",
    "validate_envelope",
]
