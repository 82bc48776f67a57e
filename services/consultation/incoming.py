"""受付待ちの受け入れ — integration events addressed to this instance become leads awaiting
intake: a connection from another agency, a つなぎ戻し from 多機関協働, a つなぐシート from
community building, a person reached by outreach who has consented. 地域課題シート (broadcast,
about no household) are kept as the instance's area issues.

Each builder reads one contract's payload (already validated by the consumer) into a lead.
"""
from __future__ import annotations

import logging
from uuid import UUID

from kasane.clock import now, parse_time
from kasane.store.unit_of_work import UnitOfWork

from consultation.domain.consultation import Consultation
from consultation.domain.plan_role import PlanRole
from consultation.domain.lead import Lead
from consultation.domain.rules import ReturnRuleViolation

log = logging.getLogger(__name__)


def lead_taken(build):
    """The handler of an event that brings a lead, which `build` reads from its payload."""
    def handle(app, envelope: dict, uow: UnitOfWork) -> None:
        take_lead(app, envelope, uow, build)
    return handle


def take_handover(app, envelope: dict, uow: UnitOfWork) -> None:
    """outreach.person_handed_over v1 — a lead, unless the hand-over is meant for 多機関協働."""
    if envelope["payload"]["to_service"] == "consultation":
        take_lead(app, envelope, uow, handover_lead)


def take_lead(app, envelope: dict, uow: UnitOfWork, build) -> None:
    """Store the lead the envelope brings (once: its id follows from the event id)."""
    if uow.find(Lead.create_id(envelope["event_id"])) is not None:
        return
    uow.add(Lead.arrive(event_id=envelope["event_id"],
                        household_id=UUID(envelope["household_id"]) if envelope["household_id"] else None,
                        origin=envelope["origin"], arrived_at=now(),
                        **build(app, envelope["payload"])))


def take_return(app, envelope: dict, uow: UnitOfWork) -> None:
    """collaboration.referral_returned v1 — 差し戻し: the referred consultation is 対応中 again.

    A redelivered copy changes nothing. A return this instance cannot apply (an unknown
    consultation, one not referred or referred anew) is logged by ids only and ignored: raising
    would dead-letter it, and retrying cannot cure it.
    """
    payload = envelope["payload"]
    consultation = _consultation(uow, payload["consultation_id"])
    if consultation is None:
        log.warning("consultation instance %s ignored return %s (event %s from %s): "
                    "no such consultation here", app.instance, payload["referral_id"],
                    envelope["event_id"], envelope["origin"]["instance"])
        return
    if consultation.was_returned(payload["referral_id"]):
        return
    try:
        consultation.return_from_collaboration(
            referral_id=payload["referral_id"], case_id=payload["case_id"],
            reason=payload["reason"], returned_at=parse_time(payload["returned_at"]),
            returned_by=payload["caseworker_id"], from_instance=envelope["origin"]["instance"])
    except ReturnRuleViolation as violation:
        log.warning("consultation instance %s ignored return %s of consultation %s (event %s): %s",
                    app.instance, payload["referral_id"], payload["consultation_id"],
                    envelope["event_id"], violation)


def take_joined_referral(app, envelope: dict, uow: UnitOfWork) -> None:
    """collaboration.referral_joined_case v1 — the answer to a referral that joined a case. When
    this desk referred it and the case goes by another household id (多機関協働's staff joined it
    as the same person's, collaboration/identity.py), the desk's household keeps that id.
    Anyone else's joined referral, or one of this desk's own household, changes nothing here."""
    payload = envelope["payload"]
    if payload["origin_instance"] != app.instance:
        return
    consultation = _consultation(uow, payload["consultation_id"])
    if consultation is None or str(consultation.household_id) == envelope["household_id"]:
        return
    household = uow.get(consultation.household_id)
    household.note_joined_in_collaboration(
        household_id=envelope["household_id"], case_id=payload["case_id"],
        consultation_id=payload["consultation_id"], joined_at=parse_time(payload["joined_at"]))
    uow.add(household)


def _consultation(uow: UnitOfWork, consultation_id: str) -> Consultation | None:
    try:
        found = uow.find(UUID(consultation_id))
    except ValueError:
        return None
    return found if isinstance(found, Consultation) else None


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
                issue_categories=payload["issue_categories"],
                urgency=_urgency_of(app, payload.get("consultation_id")), consent=None,
                personal=_personal(personal, personal.get("plan_summary")))


def _urgency_of(app, consultation_id: str | None) -> str:
    """The urgency of the consultation a hand-back names, when it is one of this instance's:
    the household comes back as urgent as it left (normal when the desk never held it)."""
    consultation = app.find_consultation(consultation_id) if consultation_id else None
    return consultation.urgency if consultation is not None else "normal"


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


def handover_lead(app, payload: dict) -> dict:
    """outreach.person_handed_over v1 — a person reached by outreach, handed to this desk under
    their consent or under a 支援会議 decision naming this organisation as a member (issue 8)."""
    personal = payload.get("personal") or {}
    basis = payload["basis"]
    return dict(kind="outreach", agency=app.lead_agency(payload.get("to_agency")),
                reference={"outreach_case_id": payload["outreach_case_id"],
                           "handover_id": payload["handover_id"], "worker_id": payload["worker_id"],
                           "basis": basis["kind"],
                           **({"support_meeting": basis["support_meeting"]}
                              if basis["kind"] == "support_meeting" else {})},
                issue_categories=payload["issue_categories"], urgency=payload["urgency"],
                consent=basis.get("consent"), personal=_personal(personal, personal.get("summary")))


def _personal(personal: dict, summary: str | None, note: str | None = None) -> dict:
    lead = {"persons": list(personal.get("persons") or []), "summary": summary}
    if note:
        lead["note"] = note
    return lead


def take_plan_role(app, envelope: dict, uow: UnitOfWork) -> None:
    """collaboration.role_requested v1, addressed here — a plan in force gives this desk a role
    (e.g. 介護サービスの調整): kept for the household, shown beside its referred consultation."""
    p = envelope["payload"]
    if uow.find(PlanRole.create_id(p["request_id"])) is not None:
        return
    uow.add(PlanRole(request_id=p["request_id"], household_id=UUID(envelope["household_id"]),
                     case_id=p["case_id"], plan_id=p["plan_id"], origin=envelope["origin"],
                     role={k: p[k] for k in ("role_id", "service", "task", "organisation",
                                             "agency", "starts_on")},
                     received_at=now(), personal=p.get("personal")))
