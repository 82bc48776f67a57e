"""プロファイルの反映 — which events applying a profile records: new entries are registered,
changed ones revised, entries gone from the profile retired (never deleted). An unchanged
profile records nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Outcome:
    """What applying records did, per entry id."""

    registered: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    reinstated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {name: sorted(ids) for name, ids in vars(self).items()}


def reconcile(entry_class, city: str, known: dict, records: dict) -> tuple[list, Outcome]:
    """Bring the entries of one kind (Organisation or Agency) in line with the profile's records.

    `known` maps every id the city ever listed to its aggregate; `records` maps the profile's ids
    to their records. Returns the aggregates that have new events, and what happened.
    """
    outcome, touched = Outcome(), []
    for entry_id, record in records.items():
        entry = known.get(entry_id)
        if entry is None:
            touched.append(entry_class(city=city, entry_id=entry_id, record=record))
            outcome.registered.append(entry_id)
            continue
        what = entry.revise(record)
        if what:
            touched.append(entry)
            getattr(outcome, what).append(entry_id)
    for entry_id, entry in known.items():
        if entry_id not in records and entry.retire():
            touched.append(entry)
            outcome.retired.append(entry_id)
    return touched, outcome
