"""社会資源の開発目標 — a missing social resource a 重層的支援会議 found (社会資源の不足,
collaboration.social_resource_shortage_found v1; seeds 002 §4(3), 003 ch.4(3)) becomes a target
community building develops, with its progress (004_80d15c30c045b89b.txt §5(2): 地域と企業等との
マッチング, 交流できる居場所). About no household: nothing personal is ever held here.
"""
from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from kasane_contracts.vocabulary import DEVELOPMENT_STATUSES

from community.domain.rules import TargetRuleViolation, check_codes

_ENDED = ("developed", "dropped")


class DevelopmentTarget(Aggregate):
    """One resource to develop, identified by the shortage it came from (so it is made once)."""

    @staticmethod
    def create_id(shortage_id: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"kasane:community:development-target:{shortage_id}")

    @event("Set")
    def __init__(self, shortage_id: str, meeting_id: str, origin_instance: str,
                 resource_kind: str, area: str | None, description: str | None, found_on: date):
        self.shortage_id, self.meeting_id = shortage_id, meeting_id
        self.origin_instance, self.resource_kind = origin_instance, resource_kind
        self.area, self.description, self.found_on = area, description, found_on
        self.status = "not_started"
        self.progress: list[dict] = []

    def record_progress(self, *, status: str, on: date, note: str | None, recorded_by: str,
                        place_id: str | None = None) -> None:
        """進捗 — a step in developing the resource; `place_id` names the place it became."""
        check_codes("status", [status], DEVELOPMENT_STATUSES, TargetRuleViolation)
        if self.status in _ENDED:
            raise TargetRuleViolation("a developed or dropped target records no further progress")
        if status == "not_started":
            raise TargetRuleViolation("progress moves a target on from 未着手")
        if on < self.found_on:
            raise TargetRuleViolation("progress is recorded on or after the day the shortage was found")
        self._progressed(status=status, on=on, note=note, recorded_by=recorded_by, place_id=place_id)

    @event("Progressed")
    def _progressed(self, status: str, on: date, note: str | None, recorded_by: str,
                    place_id: str | None) -> None:
        self.status = status
        self.progress.append({"status": status, "on": on, "note": note, "place_id": place_id})
