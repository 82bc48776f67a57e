"""世帯の支援経過の再生 — the auditors' replay of one household, from events alone.

Folds the ledger's copy of every integration event about the household, in the order they
happened, into the state of consultation, case, plan, meetings and consent as it was known at
`as_of` (events recorded by their origin at or before that moment). Event types the fold does
not know yet still appear in the timeline.
"""
from __future__ import annotations

from datetime import datetime, timezone

from kasane.vocabulary import BUSINESS_LINES, ISSUE_CATEGORIES, REFERRAL_REASONS, label

EVENT_LABELS = {
    "consultation.consultation_received": "相談受付",
    "consultation.household_referred": "多機関協働へつなぎ",
    "consultation.consent_recorded": "本人同意の記録",
    "consultation.consent_withdrawn": "本人同意の撤回",
    "consultation.connected_to_agency": "他機関へつなぎ",
    "consultation.households_merged": "世帯の統合",
    "collaboration.case_opened": "ケース開始（多機関協働）",
    "collaboration.referral_joined_case": "つなぎをケースに統合",
    "collaboration.household_handed_back": "つなぎ戻し",
}


def parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


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
        "label": EVENT_LABELS.get(e["type"], e["type"]),
        "service": e["origin"]["service"],
        "service_label": label(BUSINESS_LINES, e["origin"]["service"]),
        "organisation": e["origin"]["organisation"], "instance": e["origin"]["instance"],
        "position": e["position"], "event_id": e["event_id"],
        "caseworker_id": payload.get("caseworker_id"),
    }


def _no_fold(state: dict, e: dict) -> None:
    """Not (yet) part of the state; the timeline still shows it."""


def _consultation_received(state, e):
    p = e["payload"]
    state["consultations"][p["consultation_id"]] = {
        "agency": p["agency"]["name"], "received_at": p["received_at"], "status": "受付",
        "issue_categories": [label(ISSUE_CATEGORIES, c) for c in p.get("issue_categories", [])],
        "organisation": e["origin"]["organisation"],
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
    "consultation.consent_recorded": _consent_recorded,
    "consultation.consent_withdrawn": _consent_withdrawn,
}
