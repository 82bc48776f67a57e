"""Parts of commands several business lines take in the same shape, written once (their fields
keep the messages of kasane.runtime.command_fields)."""
from marshmallow import fields

from kasane.runtime.command_fields import INSTANCE, ISO_DATE, Part, code, optional_text, text
from kasane_contracts.vocabulary import CONSENT_GIVEN_BY, CONSENT_METHODS, RELATIONS


class ConsentGivenSchema(Part):
    """本人同意 — who gave it, how, and when."""

    given_by = code(CONSENT_GIVEN_BY, required=True)
    method = code(CONSENT_METHODS, required=True)
    given_at = fields.AwareDateTime(required=True)


class PersonAsKnownSchema(Part):
    """A person as far as known: often only a relation, or nothing but a description."""

    name = optional_text()
    kana = optional_text()
    birth_date = fields.String(load_default=None, allow_none=True, validate=ISO_DATE)
    relation = code(RELATIONS, load_default="unknown")
    area = optional_text()


class InstanceOfSchema(Part):
    """An instance (its id) and the organisation that runs it."""

    instance = fields.String(required=True, validate=INSTANCE)
    organisation = text(required=True)
