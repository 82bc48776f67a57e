"""One business line's application driven in memory as its running instance drives it.

- `run`: a command through its marshmallow schema, as the RPC entrypoint calls the use case;
- `deliver`: an integration event to the handler the service's integration table names for its
  type and version, in one unit of work whose trace is caused by the envelope, as the inbox
  consumer hands it over;
- `stored`: how many events the instance's log holds;
- `published`: what the relay would publish from that log, enveloped and validated against the
  contracts; `outgoing`: the same before the envelope (its personal part and recipient apart).

Domain tests of every business line use this one driver; their own steps (a referral, a lead,
a role request) build on it.
"""
from __future__ import annotations

import importlib
from itertools import count
from uuid import uuid4

from kasane.bus.envelope import Origin, envelope_for
from kasane.runtime.commands import load_command
from kasane.store.trace import Trace
from kasane.store.unit_of_work import UnitOfWork
from kasane_contracts import validate_envelope


class Driver:
    def __init__(self, app, origin: Origin):
        self.app, self.origin = app, origin
        integration = importlib.import_module(f"{origin.service}.integration")
        self._handlers, self._translators = integration.handlers(app), integration.translators()
        self._positions = count(1)

    def run(self, use_case: str, schema, command: dict) -> dict:
        data, trace = load_command(schema, command)
        return getattr(self.app, use_case)(trace, **data)

    def deliver(self, event_type: str, household_id: str | None, payload: dict, origin: dict,
                **envelope) -> dict:
        """A new incoming event from `origin` (service, organisation, instance); returns it."""
        envelope = self.envelope(event_type, household_id, payload, origin, **envelope)
        self.receive(envelope)
        return envelope

    def envelope(self, event_type: str, household_id: str | None, payload: dict, origin: dict,
                 **envelope) -> dict:
        """A new incoming event from `origin`, not yet delivered (see receive_batch)."""
        return {"event_id": str(uuid4()), "type": event_type, "version": 1,
                "household_id": household_id, "correlation_id": str(uuid4()), "origin": origin,
                "position": next(self._positions), "payload": payload, **envelope}

    def receive(self, envelope: dict) -> None:
        """An envelope exactly as given (a redelivery, a forged field), as the consumer hands it over."""
        self.receive_batch([envelope])

    def receive_batch(self, envelopes: list[dict]) -> None:
        """Envelopes taken in as one batch, as the consumer does: one unit of work, each handler
        seeing what the earlier ones changed, everything saved at once at the end."""
        uow, events = UnitOfWork(self.app), []
        for envelope in envelopes:
            self._handlers[(envelope["type"], envelope["version"])](envelope, uow)
            events += uow.take_events(Trace.caused_by(envelope))
        self.app.save_events(events)

    def notifications(self) -> list:
        return self.app.recorder.select_notifications(start=1, limit=10_000)

    def stored(self) -> int:
        return len(self.notifications())

    def _relayed(self, type_: str | None):
        for n in self.notifications():
            event = self.app.mapper.to_domain_event(n)
            outgoing = self._translators.translate(n.topic, event)
            if outgoing is None or type_ not in (None, outgoing.type):
                continue
            envelope = envelope_for(outgoing, event, self.origin, n.id)
            assert validate_envelope(envelope) == envelope
            yield outgoing, envelope

    def published(self, type_: str | None = None) -> list[dict]:
        """The envelopes the relay would publish, in order (of `type_` only, if given)."""
        return [envelope for _, envelope in self._relayed(type_)]

    def outgoing(self, type_: str | None = None) -> list:
        """What the translators made of the log (type, payload, personal, recipient), in order."""
        return [outgoing for outgoing, _ in self._relayed(type_)]
