"""What outreach takes in (integration.INTEGRATION's handlers, each (app, envelope, uow)): a
role request of a 多機関協働 plan, a 支援会議 decision, a desk's request to reach a person — each
a lead (a new case) or a note on the case this instance holds — and a つなぎ戻し from 多機関協働.
Each reads one contract's payload (already validated by the consumer) into the domain's terms.
`new_lead` also serves the take_lead command (a lead recorded here).
"""
from __future__ import annotations

import logging
from datetime import date
from uuid import UUID, uuid5

from kasane.clock import japan_date, now, parse_time
from kasane.store.unit_of_work import UnitOfWork

from outreach.domain.case import OutreachCase
from outreach.domain.households import HouseholdCases
from outreach.domain.plan import OutreachPlan
from outreach.domain.rules import HandBackRuleViolation

log = logging.getLogger(__name__)


def take_role_request(app, envelope: dict, uow: UnitOfWork) -> None:
    """collaboration.role_requested v1, addressed here — the plan's outreach role becomes a
    lead. The persons and notes come only as far as the household's consent allowed."""
    p = envelope["payload"]
    if p["service"] != "outreach":
        return  # a participation role sent here by mistake is not outreach's to take
    personal = p.get("personal") or {}
    new_lead(
        uow, f"role-request/{p['request_id']}", household_id=UUID(envelope["household_id"]),
        source="collaboration_role",
        lead={"request_id": p["request_id"], "collaboration_case_id": p["case_id"],
              "plan_id": p["plan_id"], "role_id": p["role_id"], "task": p["task"],
              "starts_on": p["starts_on"], "agency": p["agency"],
              **_origin(envelope)},
        **_requested(envelope, p),
        personal={"persons": list(personal.get("persons") or []),
                  "description": personal.get("summary"),
                  "goals": personal.get("goals"), "household_goal": personal.get("household_goal")})


def take_support_meeting_decision(app, envelope: dict, uow: UnitOfWork) -> None:
    """collaboration.support_meeting_decided v1, addressed here — a 支援会議 of which this
    organisation is a member decided about a household: recorded on the case this instance
    holds for it, or a new lead (source 支援会議) with what the meeting passed on."""
    p = envelope["payload"]
    household_id = UUID(envelope["household_id"])
    decision = {"meeting_id": p["meeting_id"], "decision_id": p["decision_id"],
                "held_on": date.fromisoformat(p["held_on"]), "members": list(p["members"]),
                "role": p["role"], "sharing_allowed": p["sharing_allowed"],
                "sharing_until": date.fromisoformat(p["sharing_until"]) if p["sharing_until"] else None,
                "from_instance": envelope["origin"]["instance"],
                "from_organisation": envelope["origin"]["organisation"]}
    case = _open_case_of(uow, household_id)
    if case is None:
        lead_key = f"support-meeting/{p['decision_id']}"
        passed_on = p.get("personal") or {}
        case = new_lead(
            uow, lead_key, household_id=household_id, source="support_meeting",
            lead={k: decision[k] for k in ("meeting_id", "decision_id", "role",
                                           "from_instance", "from_organisation")},
            noticed_on=decision["held_on"], taken_at=now(),
            worker_id=f"meeting:{envelope['origin']['instance']}",
            personal={"persons": persons_or_unknown(passed_on.get("persons"), lead_key),
                      "address": passed_on.get("address"),
                      "description": passed_on.get("description"), "noticed": None})
        if case is None:
            return  # the lead this decision opened is already here
    case.record_support_meeting_decision(decision=decision)


def take_outreach_request(app, envelope: dict, uow: UnitOfWork) -> None:
    """consultation.outreach_requested v1, addressed here — a desk asks this instance to
    reach a person: a lead (source 相談支援機関), with the persons only as far as the
    household's consent covered this organisation."""
    p = envelope["payload"]
    lead_key = f"outreach-request/{p['request_id']}"
    personal = p.get("personal") or {}
    new_lead(
        uow, lead_key,
        household_id=UUID(envelope["household_id"]) if envelope["household_id"] else None,
        source="consultation_agency",
        lead={"request_id": p["request_id"], "consultation_id": p["consultation_id"],
              "agency": p["agency"], "noticed": p["noticed"], "area": p["area"],
              "urgency": p["urgency"], "consent_ids": p["consent_ids"],
              **_origin(envelope)},
        **_requested(envelope, p),
        personal={"persons": persons_or_unknown(personal.get("persons"), lead_key),
                  "address": None, "description": personal.get("summary"), "noticed": None})


def take_hand_back(app, envelope: dict, uow: UnitOfWork) -> None:
    """collaboration.household_handed_back v1, addressed here — 多機関協働からのつなぎ戻し: the
    case this instance handed over (the payload's consultation_id is the outreach case id,
    as collaboration took the hand-over as a referral) records it and opens again as a
    follow-up. A hand-back naming no case of this instance, or one that does not fit the
    case, is logged by ids only and ignored: raising would dead-letter it, and retrying
    cannot cure a wrong address."""
    p = envelope["payload"]
    case = _case_named(uow, p.get("consultation_id"))
    if case is None:
        log.warning("outreach instance %s ignored hand-back %s of collaboration case %s "
                    "(event %s from %s): it names no outreach case of this instance",
                    app.instance, p["hand_back_id"], p["case_id"], envelope["event_id"],
                    envelope["origin"]["instance"])
        return
    try:
        case.receive_hand_back(
            hand_back_id=p["hand_back_id"], household_id=UUID(envelope["household_id"]),
            collaboration_case_id=p["case_id"], ending=p["ending"],
            issue_categories=p["issue_categories"], handed_back_at=parse_time(p["handed_back_at"]),
            from_instance=envelope["origin"]["instance"],
            from_organisation=envelope["origin"]["organisation"], to_agency=p["to_agency"],
            personal=p.get("personal"))
    except HandBackRuleViolation as violation:
        log.warning("outreach instance %s ignored hand-back %s of collaboration case %s "
                    "for case %s (event %s): %s", app.instance, p["hand_back_id"], p["case_id"],
                    case.id, envelope["event_id"], violation)


def _origin(envelope: dict) -> dict:
    """Where a request came from, as its lead keeps it (to answer and hand back there)."""
    return {"origin_instance": envelope["origin"]["instance"],
            "origin_organisation": envelope["origin"]["organisation"]}


def _requested(envelope: dict, p: dict) -> dict:
    """When a request was noticed and taken in, and by whom: the requesting instance."""
    return {"noticed_on": japan_date(parse_time(p["requested_at"])), "taken_at": now(),
            "worker_id": f"request:{envelope['origin']['instance']}"}


def _case_named(uow: UnitOfWork, case_id: str | None) -> OutreachCase | None:
    try:
        found = uow.find(UUID(case_id)) if case_id else None
    except ValueError:
        return None
    return found if isinstance(found, OutreachCase) else None


def _open_case_of(uow: UnitOfWork, household_id: UUID) -> OutreachCase | None:
    index = uow.find(HouseholdCases.create_id(household_id))
    for case_id in reversed(index.case_ids if index else []):
        case = uow.get(case_id)
        if not case.ended:
            return case
    return None


def new_lead(uow: UnitOfWork, lead_key: str, **lead) -> OutreachCase | None:
    """A new case for the lead, listed under its household; None when a lead with this key
    (a redelivered message, a command retried) is already here."""
    if uow.find(OutreachCase.create_id(lead_key)) is not None:
        return None
    case = OutreachCase(lead_key=lead_key, **lead)
    uow.add(case)
    if case.household_id is not None:
        uow.find_or_add(HouseholdCases.create_id(case.household_id),
                        lambda: HouseholdCases(household_id=case.household_id)).add(case.id)
    return case


UNKNOWN_PERSON = uuid5(UUID("8d0b3f52-6c1e-4a7d-9b2f-3e4c5d6a7b8c"), "unknown-person")


def persons_or_unknown(persons, lead_key: str) -> list:
    """The persons a message brought, or one person known by nothing yet (a redelivery makes
    the same id, so the case it opens is the same)."""
    persons = [dict(p) for p in persons or []]
    return persons or [{"person_id": str(uuid5(UNKNOWN_PERSON, lead_key)), "name": None,
                        "relation": "unknown"}]


def plan_of(uow: UnitOfWork, plan_id: str) -> OutreachPlan | None:
    """The outreach plan a judgement names, or None when it names none of this instance."""
    found = uow.find(UUID(plan_id))
    return found if isinstance(found, OutreachPlan) else None
