"""Errors the kernel raises, each with a message fit to show a user.

Messages name what is wrong and how to fix it; they never contain personal details.
"""
from __future__ import annotations


class KasaneError(Exception):
    """Base of kasane's own errors."""


class InfrastructureUnavailable(KasaneError):
    """PostgreSQL or RabbitMQ cannot be reached: one sentence, with the command that fixes it."""


class InvalidCommand(KasaneError):
    """A command failed validation; `errors` maps field names to reasons, never to values."""

    def __init__(self, errors: dict):
        super().__init__(errors)  # args stay (errors,) so RPC callers rebuild the same error
        self.errors = errors

    def __str__(self) -> str:
        details = "; ".join(f"{field}: {reasons}" for field, reasons in sorted(self.errors.items()))
        return f"invalid command ({details})"


class DomainRuleViolation(KasaneError):
    """A command broke a rule of the domain; the message states the rule broken and never quotes a
    personal detail (DOMAIN.md §10): it reaches RPC callers and logs."""

    @classmethod
    def check_codes(cls, field: str, values, vocabulary: dict,
                    error: type[DomainRuleViolation] | None = None) -> None:
        """check_codes refusing with this error (a business line's own) unless told another."""
        check_codes(field, values, vocabulary, error or cls)


class NotFound(KasaneError):
    """What a command or query names does not exist in this instance."""


class Unidentified(KasaneError):
    """A call that reads or writes a person's details names no person in its authenticated
    context (a gateway's signed-in staff member, or city IT's named operator)."""


def check_codes(field: str, values, vocabulary: dict,
                error: type[DomainRuleViolation] = DomainRuleViolation) -> None:
    """Refuse codes outside a vocabulary list, naming the field and how many (never the values)."""
    unknown = [v for v in values if v not in vocabulary]
    if unknown:
        raise error(f"{field}: {len(unknown)} code(s) not in the vocabulary")
