"""What 参加支援 takes in (integration.INTEGRATION's handlers, each (app, envelope, uow)): a plan
role addressed here becomes a participation request; a consent withdrawn stops sharing what came
under it. Each reads one contract's payload (already validated by the consumer).
"""
from __future__ import annotations

from uuid import UUID

from kasane.clock import parse_time
from kasane.store.unit_of_work import UnitOfWork

from participation.domain.consent import WithdrawnConsents
from participation.domain.support import ParticipationSupport

PARTICIPATION = "participation"


def take_consent_withdrawn(app, envelope: dict, uow: UnitOfWork) -> None:
    """consultation.consent_withdrawn v1 or outreach.consent_withdrawn v1 — what came under
    that consent is shared no more."""
    household_id = envelope["household_id"]
    withdrawn = uow.find_or_add(WithdrawnConsents.create_id(household_id),
                                lambda: WithdrawnConsents(household_id=household_id))
    withdrawn.withdraw(envelope["payload"]["consent_id"], envelope["payload"]["withdrawn_at"])


def take_role_request(app, envelope: dict, uow: UnitOfWork) -> None:
    """collaboration.role_requested v1 addressed here — a plan role becomes a request."""
    p = envelope["payload"]
    if p["service"] != PARTICIPATION:
        return  # an outreach role is not ours to take; nothing to record
    if uow.find(ParticipationSupport.create_id(p["request_id"])) is not None:
        return
    uow.add(ParticipationSupport.receive(
        household_id=UUID(envelope["household_id"]), source="collaboration_role",
        source_request_id=p["request_id"], received_at=parse_time(p["requested_at"]),
        request={"request_id": p["request_id"], "case_id": p["case_id"], "plan_id": p["plan_id"],
                 "role_id": p["role_id"], "task": p["task"], "agency": p["agency"],
                 "starts_on": p["starts_on"], "consent_ids": p["consent_ids"],
                 "origin_instance": envelope["origin"]["instance"],
                 "origin_organisation": envelope["origin"]["organisation"]},
        personal=p.get("personal")))


def support_of(uow: UnitOfWork, plan_id: str) -> ParticipationSupport | None:
    """The support whose plan a judgement names (its plan id is the support's), or None."""
    found = uow.find(UUID(plan_id))
    return found if isinstance(found, ParticipationSupport) else None
