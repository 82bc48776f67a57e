"""生活支援コーディネーター — 第1層 (city-wide) and 第2層 (one or more daily-life areas), their
areas and the activities (places) they support (DOMAIN.md §2; seeds 000 §5 and 002/003 list
coordinators per area). The coordinator is staff: the name is kept in `personal` all the same.
"""
from __future__ import annotations

from datetime import date

from eventsourcing.domain import Aggregate, event

from kasane_contracts.vocabulary import COORDINATOR_LAYERS

from community.domain.rules import CoordinatorRuleViolation, check_codes


class Coordinator(Aggregate):
    @event("Appointed")
    def __init__(self, layer: str, organisation: str, areas: list, appointed_on: date,
                 personal: dict):
        check_codes("layer", [layer], COORDINATOR_LAYERS, CoordinatorRuleViolation)
        check_layer(layer, areas)
        self.layer, self.organisation, self.areas = layer, organisation, list(areas)
        self.appointed_on = appointed_on
        self.place_ids: list[str] = []
        self.active = True

    def assign_place(self, *, place_id: str, place_area: str) -> None:
        """担当する活動 — a 第2層 coordinator supports places in their own areas only."""
        if not self.active:
            raise CoordinatorRuleViolation("a coordinator whose appointment ended takes no activities")
        if self.layer == "second" and place_area not in self.areas:
            raise CoordinatorRuleViolation("a 第2層 coordinator supports places in their own areas only")
        if place_id in self.place_ids:
            raise CoordinatorRuleViolation("a place is assigned to a coordinator once")
        self._place_assigned(place_id=place_id)

    @event("PlaceAssigned")
    def _place_assigned(self, place_id: str) -> None:
        self.place_ids.append(place_id)

    def end(self, *, ended_on: date) -> None:
        if not self.active:
            raise CoordinatorRuleViolation("a coordinator's appointment ends once")
        self._ended(ended_on=ended_on)

    @event("Ended")
    def _ended(self, ended_on: date) -> None:
        self.active = False


def check_layer(layer: str, areas: list) -> None:
    if layer == "first" and areas:
        raise CoordinatorRuleViolation("a 第1層 coordinator works city-wide and names no area")
    if layer == "second" and not areas:
        raise CoordinatorRuleViolation("a 第2層 coordinator names the daily-life areas (日常生活圏域) they cover")
