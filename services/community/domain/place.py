"""居場所・拠点 — a place or activity in a daily-life area (日常生活圏域): 通いの場, サロン,
子育て支援拠点, 地域活動支援センター, 居場所, 多世代交流拠点 (DOMAIN.md §2, seeds 002/003 places per
area, 004 §5(2) 交流できる居場所の来所者数 and 地域福祉活動数).

A place keeps its operator, schedule, target group, capacity and status, and the visitors
counted per day or session. Visitor counts are numbers only: who came is never recorded here.
"""
from __future__ import annotations

from datetime import date

from eventsourcing.domain import Aggregate, event

from kasane_contracts.vocabulary import PLACE_KINDS, PLACE_STATUSES

from community.domain.rules import PlaceRuleViolation, check_codes


class Place(Aggregate):
    """One place or activity (場・活動) as the community instance registered it."""

    @event("Registered")
    def __init__(self, kind: str, name: str, area: str, operator: str, schedule: str | None,
                 target: str | None, capacity: int | None, registered_on: date):
        check_codes("kind", [kind], PLACE_KINDS, PlaceRuleViolation)
        if capacity is not None and capacity < 1:
            raise PlaceRuleViolation("a place's capacity (定員) is at least 1, or left open")
        self.kind, self.name, self.area, self.operator = kind, name, area, operator
        self.schedule, self.target, self.capacity = schedule, target, capacity
        self.registered_on = registered_on
        self.status = "open"
        self.activities_held = 0
        self.visits: dict[str, int] = {}  # "YYYY-MM-DD/session" -> visitors

    def record_visitors(self, *, counted_on: date, visitors: int, session: str | None,
                        recorded_by: str) -> None:
        """来所者数 — visitors of one day or session; recounting a session corrects it."""
        if self.status == "closed":
            raise PlaceRuleViolation("visitors are counted only at a place that is not closed (廃止)")
        if visitors < 0:
            raise PlaceRuleViolation("a visitor count (来所者数) is zero or more")
        if self.capacity is not None and visitors > self.capacity * 10:
            # A count ten times the capacity is a typing error, not a busy day.
            raise PlaceRuleViolation("a visitor count is at most ten times the place's capacity")
        # The place's kind and area travel with the count: visitors are counted per kind of
        # place (通いの場, 居場所 …, seed 004 §5(2)) and per area.
        self._visitors_counted(counted_on=counted_on, session=session or "day", visitors=visitors,
                               previous=self.visits.get(_key(counted_on, session or "day"), 0),
                               recorded_by=recorded_by, place_kind=self.kind, area=self.area)

    @event("VisitorsCounted")
    def _visitors_counted(self, counted_on: date, session: str, visitors: int, previous: int,
                          recorded_by: str, place_kind: str | None = None,
                          area: str | None = None) -> None:
        self.visits[_key(counted_on, session)] = visitors

    def record_activity(self, *, group: str, held_on: date, recorded_by: str) -> None:
        """地域福祉活動 — a group (団体) held an activity at the place (004 §5(2): 20団体・延240回)."""
        if self.status != "open":
            raise PlaceRuleViolation("activities are recorded at an open place (開設中)")
        self._activity_held(group=group, held_on=held_on, recorded_by=recorded_by)

    @event("ActivityHeld")
    def _activity_held(self, group: str, held_on: date, recorded_by: str) -> None:
        self.activities_held += 1

    def change_status(self, *, status: str, changed_on: date) -> None:
        """開設・休止・廃止 — a closed place stays closed (register a new one instead)."""
        check_codes("status", [status], PLACE_STATUSES, PlaceRuleViolation)
        if self.status == "closed":
            raise PlaceRuleViolation("a closed place (廃止) is not reopened; register it again")
        if status == self.status:
            raise PlaceRuleViolation("a status change names a status other than the current one")
        self._status_changed(status=status, changed_on=changed_on)

    @event("StatusChanged")
    def _status_changed(self, status: str, changed_on: date) -> None:
        self.status = status

    @property
    def visitors_total(self) -> int:
        return sum(self.visits.values())


def _key(day: date, session: str) -> str:
    return f"{day.isoformat()}/{session}"
