"""支援プランの役割 — a role a 多機関協働 plan in force gives this desk (役割分担, 000 §4, 002
§4(3)): every agency named in a plan is told its role, a consultation desk's too. Kept once per
request (its id follows from the request id); the persons and notes come only as far as each
person's own consent allowed (collaboration.role_requested v1's personal part)."""
from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from kasane.keyed import KeyedAggregate

NAMESPACE = uuid5(NAMESPACE_URL, "https://kasane.example/consultation/plan-roles")


class PlanRole(KeyedAggregate):
    """役割の依頼 received from the 多機関協働 instance whose plan names this desk."""

    KEY, NAMESPACE = "request_id", NAMESPACE

    @event("Received")
    def __init__(self, request_id: str, household_id: UUID, case_id: str, plan_id: str,
                 role: dict, origin: dict, received_at: datetime, personal: dict | None):
        self.request_id, self.household_id = request_id, household_id
        self.case_id, self.plan_id, self.role = case_id, plan_id, role
        self.origin, self.received_at, self.personal = origin, received_at, personal
