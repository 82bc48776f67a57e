"""受付待ちの受け入れ — integration events addressed to this instance become leads awaiting
intake: a connection from another agency, a つなぎ戻し from 多機関協働, a つなぐシート from
community building, a person reached by outreach who has consented.

Each builder reads one contract's payload (already validated by the consumer) into a lead.
"""
from __future__ import annotations

from datetime import datetime, timezone
from uuid import UUID

from kasane.store.unit_of_work import UnitOfWork

from consultation.domain.lead import Lead


def take_lead(app, envelope: dict, uow: UnitOfWork, build) -> None:
    """Store the lead the envelope brings (once: its id follows from the event id)."""
    if uow.find(Lead.create_id(envelope["event_id"])) is not None:
        return
    uow.add(Lead.arrive(event_id=envelope["event_id"],
                        household_id=UUID(envelope["household_id"]) if envelope["household_id"] else None,
                        origin=envelope["origin"], arrived_at=datetime.now(timezone.utc),
                        **build(app, envelope["payload"])))


def connection_lead(app, payload: dict) -> dict:
    """consultation.connected_to_agency v1 — another agency connects the person here."""
    personal = payload.get("personal") or {}
    return dict(kind="connection", agency=app.lead_agency(payload["to_agency"]),
                reference={"connection_id": payload["connection_id"],
                           "consultation_id": payload["consultation_id"],
                           "from_agency": payload["from_agency"]},
                issue_categories=payload["issue_categories"], urgency=payload["urgency"],
                consent={"consent_ids": payload["consent_ids"]},
                personal=_personal(personal, personal.get("summary"), personal.get("note")))


def hand_back_lead(app, payload: dict) -> dict:
    """collaboration.household_handed_back v1 — つなぎ戻し with the plan's summary."""
    personal = payload.get("personal") or {}
    return dict(kind="hand_back", agency=app.lead_agency(payload["to_agency"]),
                reference={"hand_back_id": payload["hand_back_id"], "case_id": payload["case_id"],
                           "ending": payload["ending"],
                           "consultation_id": payload.get("consultation_id")},
                issue_categories=payload["issue_categories"], urgency="normal", consent=None,
                personal=_personal(personal, personal.get("plan_summary")))


def tsunagu_sheet_lead(app, payload: dict) -> dict:
    """community.tsunagu_sheet_sent v1 — a つなぐシート written with the person's consent."""
    personal = payload.get("personal") or {}
    return dict(kind="tsunagu_sheet", agency=app.lead_agency(payload.get("to_agency")),
                reference={"sheet_id": payload["sheet_id"], "place": payload["place"],
                           "liaison_id": payload["liaison_id"]},
                issue_categories=payload["issue_categories"], urgency="normal",
                consent=payload["consent"], personal=_personal(personal, personal.get("summary")))


def outreach_lead(app, payload: dict) -> dict:
    """outreach.person_connected v1 — a person reached by outreach who has consented."""
    personal = payload.get("personal") or {}
    return dict(kind="outreach", agency=app.lead_agency(payload.get("to_agency")),
                reference={"outreach_case_id": payload["outreach_case_id"],
                           "worker_id": payload["worker_id"]},
                issue_categories=payload["issue_categories"],
                urgency=payload.get("urgency", "normal"), consent=payload["consent"],
                personal=_personal(personal, personal.get("summary")))


def _personal(personal: dict, summary: str | None, note: str | None = None) -> dict:
    lead = {"persons": list(personal.get("persons") or []), "summary": summary}
    if note:
        lead["note"] = note
    return lead
