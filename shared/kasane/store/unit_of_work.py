"""作業単位 — a unit of work: the aggregates one batch of work loads and changes, saved at once.

Handlers of incoming events get aggregates through it, so two messages of one batch that touch
the same household see each other's changes, and everything they cause is stored in one
transaction together with the inbox entries.
"""
from __future__ import annotations

from typing import Callable, Sequence, cast

from eventsourcing.application import AggregateNotFoundError

from kasane.store.application import KasaneApplication, collect_stamped
from kasane.store.recorder import KasaneRecorder, events_by_originator
from kasane.store.statements import run_statements
from kasane.store.trace import Trace


VIEWS_CAUGHT_UP = "views caught up"  # kept once a batch (see the inbox consumer's _commit)


class UnitOfWork:
    def __init__(self, app: KasaneApplication):
        self.app = app
        self._aggregates: dict = {}
        self._never_created: set = set()  # known absent, from a prefetch
        self._kept: dict = {}

    def prefetch(self, aggregate_ids, along: Sequence[tuple] = ()) -> list[list]:
        """Read these aggregates (those not yet loaded) in one round trip, so that the handlers
        of a batch do not wait on the database once per message. The statements `along`
        ((statement, params) pairs: a consumer's inbox state) go in the same round trip (a
        PostgreSQL store only); their rows are returned, in order."""
        wanted = [i for i in dict.fromkeys(aggregate_ids)
                  if i not in self._aggregates and i not in self._never_created]
        events_of = getattr(self.app.recorder, "events_of_statement", None)
        if events_of is None:  # an in-memory store reads fast enough one by one; it has no inbox
            if along:
                raise TypeError("statements sent along a prefetch need a PostgreSQL store")
            return []
        if not wanted and not along:
            return []
        statements = [*along, *([events_of(wanted)] if wanted else [])]
        rows = run_statements(cast(KasaneRecorder, self.app.recorder).datastore, statements)
        self._take(wanted, events_by_originator(rows[-1]) if wanted else {})
        return rows[:len(along)]

    def _take(self, wanted: list, stored: dict) -> None:
        for aggregate_id in wanted:
            if aggregate_id not in stored:
                self._never_created.add(aggregate_id)
                continue
            self._aggregates[aggregate_id] = _projected(self.app.mapper.to_domain_event(s)
                                                        for s in stored[aggregate_id])

    def find(self, aggregate_id):
        """The aggregate with this id, or None when it was never created."""
        if aggregate_id in self._aggregates:
            return self._aggregates[aggregate_id]
        if aggregate_id in self._never_created:
            return None
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

    def find_or_add(self, aggregate_id, create: Callable):
        """The aggregate with this id, or else the one `create()` makes (of that id), added."""
        found = self.find(aggregate_id)
        if found is None:
            found = create()
            self.add(found)
        return found

    def add(self, aggregate) -> None:
        self._aggregates[aggregate.id] = aggregate

    def kept(self, key: str, make: Callable):
        """What `make()` gives, made once per unit of work (a consumer's batch): work each message
        of the batch would otherwise redo, e.g. catching the views up (a round trip each)."""
        if key not in self._kept:
            self._kept[key] = make()
        return self._kept[key]

    def held(self, kind: type) -> list:
        """The aggregates of `kind` this unit of work holds, loaded or made by its handlers (what
        an earlier message of the batch changed, not yet in the log)."""
        return [a for a in self._aggregates.values() if isinstance(a, kind)]

    def take_events(self, trace: Trace) -> list:
        """The events the aggregates have pending, stamped with the trace; pending is emptied."""
        return collect_stamped(self._aggregates.values(), trace)


def prefetching(ids_of: Callable[[dict], list]):
    """Mark a handler with the aggregates it will read for an envelope: the consumer reads
    those of a whole batch in one round trip before running the handlers."""
    def mark(handler):
        handler.prefetch = ids_of
        return handler
    return mark


def prefetch_of(handler, envelope: dict) -> list:
    ids_of = getattr(handler, "prefetch", None)
    return list(ids_of(envelope)) if ids_of else []


def _projected(domain_events):
    """eventsourcing's `project_aggregate` without its `assert isinstance(…, CanMutateProtocol)`
    per event, a runtime Protocol check (2 % of the desk's CPU under RPC load, issue 24): these
    events come from this application's own mapper."""
    aggregate = None
    for domain_event in domain_events:
        aggregate = domain_event.mutate(aggregate)
    return aggregate
