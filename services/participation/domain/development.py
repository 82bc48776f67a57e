"""開拓 — what participation develops: missing social resources (社会資源の不足) found at a
重層的支援会議 arrive as development targets (002 §III 社会資源の開発, 003 ch.4(3)), and the
職場見学・職場体験会 the service holds with hosts (004 §5(4): 開催 12回).
"""
from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from kasane.keyed import KeyedAggregate

from participation.domain.rules import HostRuleViolation

TARGET_NAMESPACE = uuid5(NAMESPACE_URL, "https://kasane.example/participation/development-targets")


class DevelopmentTarget(KeyedAggregate):
    """開拓目標 — one missing social resource to develop; about no household."""

    KEY, NAMESPACE = "shortage_id", TARGET_NAMESPACE

    @event("Noted")
    def __init__(self, shortage_id: str, meeting_id: str, origin_instance: str,
                 resource_kind: str, area: str | None, description: str | None, found_on: date):
        self.shortage_id, self.meeting_id, self.origin_instance = shortage_id, meeting_id, origin_instance
        self.resource_kind, self.area, self.description = resource_kind, area, description
        self.found_on = found_on
        self.met_by: list[str] = []

    def met_by_host(self, host_id: UUID) -> None:
        """A host developed for this target (開拓の成果)."""
        if str(host_id) not in self.met_by:
            self._met(host_id=str(host_id))

    @event("Met")
    def _met(self, host_id: str) -> None:
        self.met_by.append(host_id)


class ExperienceDay(Aggregate):
    """職場見学・職場体験会 — one event held with host companies (counted per fiscal year)."""

    @event("Held")
    def __init__(self, held_on: date, host_ids: list, kind: str, participants: int, recorded_by: str):
        if not host_ids:
            raise HostRuleViolation("a 職場見学・職場体験会 is held with at least one host")
        if participants < 0:
            raise HostRuleViolation("the number of participants is not negative")
        self.held_on, self.host_ids, self.kind = held_on, host_ids, kind
        self.participants, self.recorded_by = participants, recorded_by
