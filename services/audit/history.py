"""世帯の支援経過の再生 — the auditors' replay of one household, from events alone.

Folds the ledger's copy of every integration event about the household, in the order they
happened, into the state of consultation, case, plan, meetings and consent as it was known at
`as_of` (events recorded by their origin at or before that moment). Event types the fold does
not know yet still appear in the timeline.
"""
from __future__ import annotations

from datetime import datetime

from kasane.clock import parse_time
from kasane_contracts.vocabulary import BUSINESS_LINES, ISSUE_CATEGORIES, REFERRAL_REASONS, label
from kasane_contracts.vocabulary import (OUTREACH_HANDOVER_BASES, OUTREACH_HANDOVER_TARGETS,
                               OUTREACH_PLAN_CHANGES, PLAN_ENDINGS, SUPPORT_MEETING_ROLES)
from kasane_contracts.vocabulary import (GOAL_ATTAINMENT, MEETING_DECISIONS, MEETING_KINDS, ROLE_SERVICES,
                               ROLE_TASKS, SUSPENSION_REASONS)

from audit.labels import CONCEALED_LABEL, EVENT_LABELS

__all__ = ["EVENT_LABELS", "replay", "timeline_row"]


def replay(household_id: str, entries: list[dict], as_of: datetime | None = None) -> dict:
    known = [e for e in entries if as_of is None or parse_time(e["occurred_at"]) <= as_of]
    known.sort(key=lambda e: (parse_time(e["occurred_at"]), e["origin"]["instance"], e["position"]))
    state = {"consultations": {}, "cases": {}, "plans": {}, "meetings": [], "consent": {}}
    for envelope in known:
        FOLDS.get(envelope["type"], _no_fold)(state, envelope)
    return {
        "household_id": household_id,
        "as_of": as_of.isoformat() if as_of else None,
        "events": [timeline_row(e) for e in known],
        "state": state,
    }


def timeline_row(e: dict) -> dict:
    payload = e["payload"]
    return {
        "occurred_at": e["occurred_at"], "type": e["type"], "version": e["version"],
        "label": (CONCEALED_LABEL if payload.get("concealed") else EVENT_LABELS.get(e["type"], e["type"]))
                 + ("（データ移行）" if payload.get("imported") else ""),
        "service": e["origin"]["service"],
        "service_label": label(BUSINESS_LINES, e["origin"]["service"]),
        "organisation": e["origin"]["organisation"], "instance": e["origin"]["instance"],
        "position": e["position"], "event_id": e["event_id"],
        "caseworker_id": caseworker_of(payload),
    }


# 担当者 — who recorded it, under whichever name the event's contract gives the field
CASEWORKER_FIELDS = ("caseworker_id", "recorded_by", "worker_id", "liaison_id")


def caseworker_of(payload: dict) -> str | None:
    return next((payload[k] for k in CASEWORKER_FIELDS if isinstance(payload.get(k), str)), None)


def _no_fold(state: dict, e: dict) -> None:
    """Not (yet) part of the state; the timeline still shows it."""


def _consultation_received(state, e):
    p = e["payload"]
    state["consultations"][p["consultation_id"]] = {
        "agency": p["agency"]["name"], "received_at": p["received_at"], "status": "受付",
        "issue_categories": [label(ISSUE_CATEGORIES, c) for c in p.get("issue_categories", [])],
        "organisation": e["origin"]["organisation"],
        **({"imported": p["imported"]} if p.get("imported") else {}),  # データ移行: file and row
    }


def _household_referred(state, e):
    p = e["payload"]
    consultation = state["consultations"].setdefault(p["consultation_id"], {"agency": p["referring_agency"]["name"]})
    consultation["status"] = "多機関協働へつなぎ済"
    consultation["referral_reasons"] = [label(REFERRAL_REASONS, r) for r in p["reasons"]]


def _case_opened(state, e):
    p = e["payload"]
    state["cases"][p["case_id"]] = {"status": "支援中", "opened_at": p["opened_at"],
                                    "referring_agencies": [p["referring_agency"]["name"]]}


def _referral_joined(state, e):
    p = e["payload"]
    case = state["cases"].setdefault(p["case_id"], {"status": "支援中", "referring_agencies": []})
    case["referring_agencies"].append(p["referring_agency"]["name"])


def _case_joined(state, e):
    p = e["payload"]
    case = state["cases"].setdefault(p["case_id"], {"referring_agencies": []})
    case.update(status="統合", joined_at=p["joined_at"], into_case_id=p["into_case_id"],
                into_household_id=p["into_household_id"])


def _consent_recorded(state, e):
    p = e["payload"]
    key = p.get("consent_id") or p.get("person_id") or e["event_id"]
    state["consent"][key] = {"status": "同意あり", "recorded_at": e["occurred_at"],
                             **{k: v for k, v in p.items() if k not in ("personal",)}}


def _consent_withdrawn(state, e):
    p = e["payload"]
    key = p.get("consent_id") or p.get("person_id") or e["event_id"]
    entry = state["consent"].setdefault(key, {})
    entry.update({"status": "撤回", "withdrawn_at": e["occurred_at"]})


FOLDS = {
    "consultation.consultation_received": _consultation_received,
    "consultation.household_referred": _household_referred,
    "collaboration.case_opened": _case_opened,
    "collaboration.referral_joined_case": _referral_joined,
    "collaboration.case_joined": _case_joined,
    "consultation.consent_recorded": _consent_recorded,
    "consultation.consent_withdrawn": _consent_withdrawn,
}


# -- 多機関協働 (issue 5): plans, meetings' decisions, endings -----------------------------------

def _case(state, case_id: str) -> dict:
    return state["cases"].setdefault(case_id, {"status": "支援中", "referring_agencies": []})


def _meeting(state, e, decision: str) -> None:
    p = e["payload"]
    state["meetings"].append({"kind": MEETING_KINDS["multi_layered"], "meeting_id": p["meeting_id"],
                              "held_on": p.get("approved_on") or p.get("decided_on"),
                              "case_id": p["case_id"], "decision": MEETING_DECISIONS[decision]})


def _referral_returned(state, e):
    p = e["payload"]
    if p["case_ends"]:
        _case(state, p["case_id"])["status"] = "差し戻し"
    # The referring desk takes the consultation back (consultation consumes this event).
    consultation = state["consultations"].get(p.get("consultation_id"))
    if consultation is not None:
        consultation["status"] = "対応中（多機関協働から差し戻し）"


def _plan_approved(state, e):
    p = e["payload"]
    for plan in state["plans"].values():
        if plan["case_id"] == p["case_id"] and plan["status"] == "実施中":
            plan["status"] = "再プランにより終了"
    state["plans"][p["plan_id"]] = {
        "case_id": p["case_id"], "version": p["version"], "approved_on": p["approved_on"],
        "status": "実施中", "monitoring_dates": p["monitoring_dates"], "requests": [],
        "roles": [{"agency": r["agency"]["name"], "service": label(ROLE_SERVICES, r["service"]),
                   "task": label(ROLE_TASKS, r["task"]), "starts_on": r["starts_on"]} for r in p["roles"]]}
    _case(state, p["case_id"])["status"] = "支援中（モニタリング）"
    _meeting(state, e, "plan_appropriate" if p["version"] == 1 else "replan_agreed")


def _role_requested(state, e):
    p = e["payload"]
    plan = state["plans"].setdefault(p["plan_id"], {"case_id": p["case_id"], "status": "実施中", "requests": []})
    plan.setdefault("requests", []).append({
        "agency": p["agency"]["name"], "service": label(ROLE_SERVICES, p["service"]),
        "to_instance": (e.get("recipient") or {}).get("instance"),
        "with_personal_details": bool(p.get("personal"))})


def _case_closed(state, e):
    p = e["payload"]
    _case(state, p["case_id"]).update(status="終結", closed_at=p["closed_at"],
                                      goals_met=label(GOAL_ATTAINMENT, p["goals_met"]),
                                      follow_up_needed=p["follow_up_needed"])
    _meeting(state, e, "closure")


def _case_suspended(state, e):
    p = e["payload"]
    _case(state, p["case_id"]).update(status="中断", suspended_at=p["suspended_at"],
                                      reason=label(SUSPENSION_REASONS, p["reason"]))
    _meeting(state, e, "suspension")


def _household_handed_back(state, e):
    """つなぎ戻し — to whoever carries on: a desk, or the outreach instance that handed the person
    over (the payload's consultation_id then names that outreach case, shown taken up again).
    Ids, codes and dates only: the hand-back's personal part never enters the state."""
    p = e["payload"]
    _case(state, p["case_id"]).update(handed_back_to=p["to_agency"]["name"],
                                      handed_back_at=p["handed_back_at"],
                                      handed_back_to_instance=(e.get("recipient") or {}).get("instance"))
    outreach_case = state.get("outreach", {}).get(p.get("consultation_id"))
    if outreach_case is not None:
        outreach_case.update(status="多機関協働からのつなぎ戻し（関わり継続）",
                             handed_back_at=p["handed_back_at"],
                             ending=label(PLAN_ENDINGS, p["ending"]),
                             hand_back_with_personal_details=bool(p.get("personal")))


FOLDS.update({
    "collaboration.referral_returned": _referral_returned,
    "collaboration.plan_approved": _plan_approved,
    "collaboration.role_requested": _role_requested,
    "collaboration.case_closed": _case_closed,
    "collaboration.case_suspended": _case_suspended,
    "collaboration.household_handed_back": _household_handed_back,
})


# 支援会議の決定, アウトリーチの依頼, 同意の撤回 and 引き継ぎ (issue 8). The folds keep codes, ids,
# organisations and dates only — never a `personal` part — and say whether personal details
# travelled, so that the replay shows no person's details to a reader outside consent.

def _outreach_case(state, case_id: str) -> dict:
    return state.setdefault("outreach", {}).setdefault(case_id, {"status": "関わり中"})


def _support_meeting_decided(state, e):
    p = e["payload"]
    if p.get("concealed"):  # audit.secrecy: the reader learns only that it took place
        state["meetings"].append({"kind": MEETING_KINDS["support"], "meeting_id": p["meeting_id"],
                                  "held_on": p["held_on"], "decision": CONCEALED_LABEL})
        return
    decision = next((m for m in state["meetings"] if m.get("decision_id") == p["decision_id"]), None)
    if decision is None:
        decision = {"kind": MEETING_KINDS["support"], "meeting_id": p["meeting_id"],
                    "decision_id": p["decision_id"], "held_on": p["held_on"],
                    "decision": "情報共有の決定" if p["sharing_allowed"] else "役割の決定",
                    "members": list(p["members"]), "sharing_allowed": p["sharing_allowed"],
                    "sharing_until": p["sharing_until"], "sent_to": []}
        state["meetings"].append(decision)
    decision["sent_to"].append({
        "organisation": p["recipient_organisation"],
        "instance": (e.get("recipient") or {}).get("instance"),
        "role": label(SUPPORT_MEETING_ROLES, p["role"]) if p["role"] else None,
        "with_personal_details": bool(p.get("personal"))})


def _outreach_requested(state, e):
    p = e["payload"]
    consultation = state["consultations"].setdefault(p["consultation_id"], {"agency": p["agency"]["name"]})
    consultation.setdefault("outreach_requests", []).append({
        "to_instance": (e.get("recipient") or {}).get("instance"), "requested_at": p["requested_at"],
        "noticed": [label(ISSUE_CATEGORIES, c) for c in p["noticed"]], "area": p["area"],
        "with_personal_details": bool(p.get("personal"))})


def _outreach_consent_obtained(state, e):
    _consent_recorded(state, e)
    _outreach_case(state, e["payload"]["outreach_case_id"])["status"] = "同意取得"


def _person_connected(state, e):
    p = e["payload"]
    _outreach_case(state, p["outreach_case_id"]).update(
        status="つなぎ済", connected_at=p["connected_at"],
        to=(p.get("to_agency") or {}).get("name"), to_service=label(BUSINESS_LINES, "consultation"),
        basis=OUTREACH_HANDOVER_BASES["consent"], with_personal_details=bool(p.get("personal")))


def _person_handed_over(state, e):
    p = e["payload"]
    _outreach_case(state, p["outreach_case_id"]).update(
        status="つなぎ済", connected_at=p["handed_over_at"],
        to=(p.get("to_agency") or {}).get("name") or p["to_organisation"],
        to_service=label(OUTREACH_HANDOVER_TARGETS, p["to_service"]),
        basis=label(OUTREACH_HANDOVER_BASES, p["basis"]["kind"]),
        with_personal_details=bool(p.get("personal")))


def _outreach_plan_reported(state, e):
    p = e["payload"]
    _outreach_case(state, p["outreach_case_id"])["plan"] = {
        "plan_id": p["plan_id"], "change": label(OUTREACH_PLAN_CHANGES, p["change"]),
        "revision": p["revision"], "changed_on": p["changed_on"],
        "collaboration_case_id": p["collaboration_case_id"]}


FOLDS.update({
    "collaboration.support_meeting_decided": _support_meeting_decided,
    "consultation.outreach_requested": _outreach_requested,
    "outreach.consent_obtained": _outreach_consent_obtained,
    "outreach.consent_withdrawn": _consent_withdrawn,  # the same fields as consultation's
    "outreach.person_connected": _person_connected,
    "outreach.person_handed_over": _person_handed_over,
    "outreach.plan_reported": _outreach_plan_reported,
})
