"""Correlation and causation of what an instance records (追跡情報).

Every stored event carries, beside its domain attributes, the `_meta` the relay puts on the
integration event: which command or which incoming event caused it (causation) and which
conversation it belongs to (correlation). It lives outside the aggregates' attributes so that
the domain stays plain Python.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from uuid import uuid4

META_ATTRIBUTE = "_meta"


@dataclass(frozen=True)
class Trace:
    correlation_id: str
    causation_id: str
    actor: dict = field(default_factory=dict)

    @classmethod
    def for_command(cls, command_id: str | None = None, correlation_id: str | None = None,
                    actor: dict | None = None) -> "Trace":
        """A command from a person (an RPC call): it starts a conversation unless one is given."""
        command_id = command_id or str(uuid4())
        return cls(correlation_id=correlation_id or command_id, causation_id=command_id,
                   actor=actor or {})

    @classmethod
    def caused_by(cls, envelope: dict) -> "Trace":
        """Processing an integration event continues its conversation."""
        return cls(correlation_id=envelope["correlation_id"], causation_id=envelope["event_id"],
                   actor={"instance": envelope["origin"]["instance"]})

    def as_meta(self) -> dict:
        return {"correlation_id": self.correlation_id, "causation_id": self.causation_id,
                "actor": dict(self.actor)}


def stamp(domain_event, trace: Trace) -> None:
    """Attach the trace to a (frozen) domain event before it is stored."""
    object.__setattr__(domain_event, META_ATTRIBUTE, trace.as_meta())


def meta_of(domain_event) -> dict:
    return getattr(domain_event, META_ATTRIBUTE, None) or {}
