"""受入先 — a host in the resource menu (社会参加に向けた支援メニュー, seed 002 §III(1)ア):
a residents' organisation offering volunteer experience, a company offering 職場見学・職場体験・
就労体験, or a place from community building (004 §5(4)).

Each host says what it offers, its conditions (days, transport access), its area, how many
persons it can take at once (capacity) and the organisation to contact. A host that was newly
developed (開拓) records the day and who developed it: 004 §5(4) counts new community hosts
and new company hosts per fiscal year. The host's contact person is personal; the rest is
about an organisation. Capacity is held here so that two matches racing for the last place
collide on this aggregate's version.
"""
from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from kasane_contracts.vocabulary import HOST_KINDS, PARTICIPATION_OFFERS, WEEKDAYS

from participation.domain.rules import HostRuleViolation, MatchRuleViolation, check_codes


class Host(Aggregate):
    """受入先 (one entry of the resource menu)."""

    @classmethod
    def register(cls, *, name: str, kind: str, offers: list, area: str | None, capacity: int,
                 contact_organisation: str, conditions: dict, developed: dict | None,
                 registered_on: date, registered_by: str, contact_person: str | None = None,
                 development_target_id: str | None = None) -> "Host":
        check_codes("kind", [kind], HOST_KINDS, HostRuleViolation)
        check_codes("offers", offers, PARTICIPATION_OFFERS, HostRuleViolation)
        check_codes("conditions.days", conditions.get("days") or [], WEEKDAYS, HostRuleViolation)
        if not offers:
            raise HostRuleViolation("a host offers at least one kind of participation")
        if capacity < 1:
            raise HostRuleViolation("a host takes at least one person at a time (capacity ≥ 1)")
        if developed is not None and not (developed.get("developed_on") and developed.get("developed_by")):
            raise HostRuleViolation("a newly developed host (開拓) records the day and who developed it")
        if developed is not None and developed["developed_on"] > registered_on:
            raise HostRuleViolation("a host is developed on or before the day it is registered")
        return cls(name=name, kind=kind, offers=list(dict.fromkeys(offers)), area=area,
                   capacity=capacity, contact_organisation=contact_organisation,
                   conditions=dict(conditions), developed=developed, registered_on=registered_on,
                   registered_by=registered_by, development_target_id=development_target_id,
                   personal={"contact_person": contact_person})

    @event("Registered")
    def __init__(self, name: str, kind: str, offers: list, area: str | None, capacity: int,
                 contact_organisation: str, conditions: dict, developed: dict | None,
                 registered_on: date, registered_by: str, development_target_id: str | None,
                 personal: dict):
        self.name, self.kind, self.offers, self.area = name, kind, offers, area
        self.capacity, self.contact_organisation, self.conditions = capacity, contact_organisation, conditions
        self.developed, self.registered_on = developed, registered_on
        self.development_target_id = development_target_id
        self.contact_person = personal.get("contact_person")
        self.placed: list[str] = []  # match ids running at this host
        self.active = True

    def place(self, match_id: UUID, offer: str) -> None:
        """受入 — take one more person, within what the host offers and its capacity."""
        if not self.active:
            raise MatchRuleViolation("the host has left the resource menu")
        if offer not in self.offers:
            raise MatchRuleViolation("the host does not offer this kind of participation")
        if len(self.placed) >= self.capacity:
            raise MatchRuleViolation("the host is at capacity (受入人数の上限)")
        self._placed(match_id=str(match_id))

    @event("Placed")
    def _placed(self, match_id: str) -> None:
        self.placed.append(match_id)

    def release(self, match_id: UUID) -> None:
        if str(match_id) in self.placed:
            self._released(match_id=str(match_id))

    @event("Released")
    def _released(self, match_id: str) -> None:
        self.placed.remove(match_id)

    @property
    def free_places(self) -> int:
        return self.capacity - len(self.placed)

    @property
    def newly_developed(self) -> bool:
        return self.developed is not None
