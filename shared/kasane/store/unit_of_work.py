"""作業単位 — a unit of work: the aggregates one batch of work loads and changes, saved at once.

Handlers of incoming events get aggregates through it, so two messages of one batch that touch
the same household see each other's changes, and everything they cause is stored in one
transaction together with the inbox entries.
"""
from __future__ import annotations

from eventsourcing.application import AggregateNotFoundError

from kasane.store.application import KasaneApplication, collect_stamped
from kasane.store.trace import Trace


class UnitOfWork:
    def __init__(self, app: KasaneApplication):
        self.app = app
        self._aggregates: dict = {}

    def find(self, aggregate_id):
        """The aggregate with this id, or None when it was never created."""
        if aggregate_id in self._aggregates:
            return self._aggregates[aggregate_id]
        try:
            aggregate = self.app.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        self._aggregates[aggregate_id] = aggregate
        return aggregate

    def get(self, aggregate_id):
        aggregate = self.find(aggregate_id)
        if aggregate is None:
            raise AggregateNotFoundError(aggregate_id)
        return aggregate

    def add(self, aggregate) -> None:
        self._aggregates[aggregate.id] = aggregate

    def take_events(self, trace: Trace) -> list:
        """The events the aggregates have pending, stamped with the trace; pending is emptied."""
        return collect_stamped(self._aggregates.values(), trace)
