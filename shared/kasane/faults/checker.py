"""検証器 — the checker: what must hold of a whole campaign, proven over what was read afterwards.

Pure functions over `Observations` (kasane.faults.observe) and the driver's history, so that each
property can be shown to fail on a planted violation without any server (tests/unit/test_fault_checker.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kasane.bus.topology import routing_key

from kasane.faults.sharing import consent_scope, meeting_membership, participation_sharing
from kasane.faults.violations import (  # noqa: F401 — the kinds, as the checker's callers name them
    COMMAND_WITHOUT_EFFECT, CORRUPTED, DUPLICATE_EFFECT, EFFECT_WITHOUT_INBOX, LOST, OUTSIDE_MEETING,
    PERSONAL_BROADCAST, SLOW_CATCH_UP, UNEXPECTED_DEAD_LETTER, UNRECORDED, WITHOUT_CONSENT, WRONG_RECIPIENT,
    Violation)


@dataclass
class StoredEvent:
    notification_id: int
    topic: str
    causation_id: str | None
    transaction: int  # PostgreSQL's xmin: events stored together share it


@dataclass
class InboxRow:
    origin: str
    position: int
    event_id: str
    transaction: int


@dataclass
class InstanceView:
    instance: str
    bindings: list = field(default_factory=list)  # the inbox's binding keys (empty: consumes nothing)
    events: list = field(default_factory=list)    # [StoredEvent]
    inbox: list = field(default_factory=list)     # [InboxRow]
    dead_letters: list = field(default_factory=list)  # [{"reason": …, "poison": id or None}]
    chain_faults: list = field(default_factory=list)  # texts from kasane.audit.verify
    # The store's own record of publication: what its relay makes of each committed event
    # (kasane.audit.verify.storytellers), by position; ids, type and addressee only.
    published: dict = field(default_factory=dict)


@dataclass
class Observations:
    instances: dict  # instance -> InstanceView
    ledger: dict     # origin instance -> {position: envelope} (the audit ledger's copy)
    ledger_instance: str | None = None
    organisations: dict = field(default_factory=dict)  # instance -> the organisation running it

    def publications(self) -> dict:
        """Every integration event, as each store's own log tells it and as the ledger kept it
        (the ledger's copy where both have it): an event lost before the ledger is still here."""
        told = {origin: dict(view.published) for origin, view in self.instances.items() if view.published}
        for origin, envelopes in self.ledger.items():
            told.setdefault(origin, {}).update(envelopes)
        return told


def topic_matches(binding: str, key: str) -> bool:
    """RabbitMQ's topic matching: `*` is one word, `#` zero or more."""
    def match(b: list, k: list) -> bool:
        if not b:
            return not k
        if b[0] == "#":
            return any(match(b[1:], k[i:]) for i in range(len(k) + 1))
        return bool(k) and (b[0] in ("*", k[0])) and match(b[1:], k[1:])
    return match(binding.split("."), key.split("."))


def key_of(envelope: dict) -> str:
    recipient = (envelope.get("recipient") or {}).get("instance")
    return routing_key(envelope["origin"]["instance"], envelope["type"], envelope["version"], recipient)


def bound_for(view: InstanceView, envelope: dict) -> bool:
    return any(topic_matches(b, key_of(envelope)) for b in view.bindings)


def check(observations: Observations, history: list | None = None,
          catch_up: dict | None = None, catch_up_bound: float = 120.0) -> list[Violation]:
    """Every property, in order; an empty list is a campaign that held."""
    found = unrecorded(observations)
    for view in observations.instances.values():
        found += deliveries(view, observations)
        found += effects(view, observations)
        found += [Violation(CORRUPTED, view.instance, text) for text in view.chain_faults]
        found += dead_letters(view)
    found += personal_broadcasts(observations)
    found += consent_scope(observations.ledger, observations.organisations)
    found += meeting_membership(observations.ledger, observations.organisations)
    found += participation_sharing(observations.ledger)
    found += acknowledged_commands(observations, history or [])
    found += [Violation(SLOW_CATCH_UP, instance, f"caught up {seconds:.1f} s after the last fault "
                        f"(bound {catch_up_bound:.0f} s)")
              for instance, seconds in sorted((catch_up or {}).items()) if seconds > catch_up_bound]
    return found


def deliveries(view: InstanceView, observations: Observations) -> list[Violation]:
    """Each event the instance is bound for was processed there; nothing else was."""
    if view.instance == observations.ledger_instance or not view.bindings:
        return []
    taken, told = {(row.origin, row.position) for row in view.inbox}, observations.publications()
    found = [Violation(LOST, view.instance, f"{origin}#{position} ({envelope['type']}) never processed")
             for origin, envelopes in sorted(told.items())
             for position, envelope in sorted(envelopes.items())
             if bound_for(view, envelope) and (origin, position) not in taken]
    for row in view.inbox:
        envelope = told.get(row.origin, {}).get(row.position)
        if envelope is not None and not bound_for(view, envelope):
            found.append(Violation(WRONG_RECIPIENT, view.instance,
                                   f"{row.origin}#{row.position} ({envelope['type']}) processed here, "
                                   f"meant for {(envelope.get('recipient') or {}).get('instance', 'its subscribers')}"))
    return found


def unrecorded(observations: Observations) -> list[Violation]:
    """Each event a store's own log says its relay publishes reached the audit ledger."""
    if observations.ledger_instance is None:
        return []
    return [Violation(UNRECORDED, origin, f"{origin}#{position} ({envelope['type']}) committed and "
                      "published by its store's relay, absent from the audit ledger")
            for origin, view in sorted(observations.instances.items())
            for position, envelope in sorted(view.published.items())
            if position not in observations.ledger.get(origin, {})]


def effects(view: InstanceView, observations: Observations) -> list[Violation]:
    """Effects of an incoming event sit in one transaction, the same as its inbox entry."""
    known = {envelope["event_id"]: (origin, position)
             for origin, envelopes in observations.publications().items() for position, envelope in envelopes.items()}
    inbox = {row.event_id: row for row in view.inbox}
    found = []
    for cause, transactions in sorted(transactions_by_cause(view.events).items()):
        if cause not in known:
            continue  # a command's effects: checked against the history
        origin, position = known[cause]
        if len(transactions) > 1:
            found.append(Violation(DUPLICATE_EFFECT, view.instance,
                                   f"{origin}#{position} took effect in {len(transactions)} transactions"))
        if cause not in inbox:
            found.append(Violation(EFFECT_WITHOUT_INBOX, view.instance,
                                   f"{origin}#{position} has effects here but no inbox entry"))
    return found


def transactions_by_cause(events: list) -> dict:
    by_cause: dict = {}
    for event in events:
        if event.causation_id:
            by_cause.setdefault(event.causation_id, set()).add(event.transaction)
    return by_cause


def dead_letters(view: InstanceView) -> list[Violation]:
    return [Violation(UNEXPECTED_DEAD_LETTER, view.instance, f"dead letter: {letter.get('reason')}")
            for letter in view.dead_letters if not letter.get("poison")]


def personal_broadcasts(observations: Observations) -> list[Violation]:
    return [Violation(PERSONAL_BROADCAST, origin, f"{origin}#{position} ({envelope['type']}) carries "
                      "`personal` addressed to no instance")
            for origin, envelopes in sorted(observations.ledger.items())
            for position, envelope in sorted(envelopes.items())
            if "personal" in envelope.get("payload", {}) and not envelope.get("recipient")]


def acknowledged_commands(observations: Observations, history: list) -> list[Violation]:
    """A command answered with success took effect exactly once (one transaction) at its instance;
    one whose answer never came took effect at most once."""
    found = []
    for entry in history:
        if entry.get("kind") != "command" or entry.get("answer") in ("refused",):
            continue
        view = observations.instances.get(entry["instance"])
        if view is None:
            continue
        transactions = transactions_by_cause(view.events).get(entry["command_id"], set())
        if entry["answer"] == "ok" and not transactions and entry.get("stores", True):
            found.append(Violation(COMMAND_WITHOUT_EFFECT, entry["instance"],
                                   f"command {entry['command_id']} ({entry['method']}) acknowledged, nothing stored"))
        if len(transactions) > 1:
            found.append(Violation(DUPLICATE_EFFECT, entry["instance"],
                                   f"command {entry['command_id']} ({entry['method']}) stored in "
                                   f"{len(transactions)} transactions"))
    return found
