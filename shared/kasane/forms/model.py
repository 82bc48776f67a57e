"""What a form shows of one household as of a date, from the ledger's events alone.

Personal details (氏名, ふりがな, 生年月日 …) travel only in the `personal` part of events addressed
to one organisation (kasane.bus.envelope). A form shows them only from events the reader's
organisation sent or was sent; where the ledger holds them for someone else, the form prints
them as withheld (非開示). A 支援会議's decision is printed only for its member organisations.
"""
from __future__ import annotations

from kasane_contracts.vocabulary import (CHANNELS, CONSULTED_BY, ISSUE_CATEGORIES, REFERRAL_REASONS, RELATIONS,
                               ROLE_SERVICES, label)

from kasane.privacy.sealing import ERASED  # a destroyed key's placeholder

WITHHELD = "（非開示）"
NOT_RECORDED = "（記録なし）"
IDENTITY_ITEMS = ("ID", "氏名", "ふりがな", "性別", "生年月日", "住所", "電話")


def visible_to(envelope: dict, organisation: str) -> bool:
    """May the reader's organisation see this event's personal part?"""
    recipient = envelope.get("recipient") or {}
    return organisation in (envelope["origin"]["organisation"], recipient.get("organisation"))


def household_view(history: dict, organisation: str, names: dict | None = None) -> dict:
    """The household as the forms print it: identity, consent, consultations, plans, endings;
    organisations by their directory names where `names` (kasane.cli.audit) knows them."""
    names = names or {}
    entries = history.get("entries", [])
    personal = [e for e in entries if (e.get("payload") or {}).get("personal")]
    shown = [e for e in personal if visible_to(e, organisation)]
    persons = _persons(shown[-1]["payload"]["personal"]) if shown else []
    return {
        "household_id": history["household_id"], "as_of": history.get("as_of"),
        "withheld": bool(personal) and not shown,
        "persons": persons,
        "identity": _identity(history["household_id"], persons, withheld=bool(personal) and not shown),
        "summary": shown[-1]["payload"]["personal"].get("summary") if shown else None,
        "consent": consent_state(entries),
        "consultations": [_consultation(e) for e in entries if e["type"] == "consultation.consultation_received"],
        "referrals": [_referral(e) for e in entries if e["type"] == "consultation.household_referred"],
        "plans": [_plan(e) for e in entries if e["type"] == "collaboration.plan_approved"],
        "endings": [e for e in entries if e["type"] in ("collaboration.case_closed", "collaboration.case_suspended")],
        "support_meetings": [_support_meeting(e, organisation) for e in entries
                             if e["type"] == "collaboration.support_meeting_decided"],
        "state": history.get("state", {}),
        "events": [{**e, "organisation_name": names.get(e["organisation"])} for e in history.get("events", [])],
    }


def consent_state(entries: list[dict]) -> dict:
    """本人同意 as of the form's date: あり once recorded and not withdrawn since."""
    given, withdrawn, when = False, False, None
    for e in entries:
        if e["type"] in ("consultation.consent_recorded", "outreach.consent_obtained"):
            given, withdrawn, when = True, False, e["occurred_at"]
        elif e["type"] in ("consultation.consent_withdrawn", "outreach.consent_withdrawn"):
            withdrawn, when = True, e["occurred_at"]
    return {"given": given and not withdrawn, "withdrawn": withdrawn, "at": when}


def _persons(part: dict) -> list[dict]:
    return [{**p, "relation_label": label(RELATIONS, p.get("relation"))} for p in part.get("persons", [])]


def _identity(household_id: str, persons: list[dict], withheld: bool) -> dict:
    """ID, 氏名, ふりがな, 性別, 生年月日, 住所, 電話 of the 本人, carried over to every sheet."""
    if withheld:
        return {"ID": household_id, **{k: WITHHELD for k in IDENTITY_ITEMS[1:]}}
    me = next((p for p in persons if p.get("relation") == "self"), persons[0] if persons else {})
    if me.get("erased"):  # the person's key was destroyed (削除請求, 保存年限)
        return {"ID": household_id, **{k: ERASED for k in IDENTITY_ITEMS[1:]}}
    return {"ID": household_id, "氏名": me.get("name") or NOT_RECORDED,
            "ふりがな": me.get("kana") or NOT_RECORDED, "性別": me.get("sex") or NOT_RECORDED,
            "生年月日": me.get("birth_date") or NOT_RECORDED,
            "住所": me.get("address") or me.get("area") or NOT_RECORDED,
            "電話": me.get("phone") or NOT_RECORDED}


def _consultation(e: dict) -> dict:
    p = e["payload"]
    return {"received_at": p["received_at"], "agency": p["agency"]["name"],
            "channel": label(CHANNELS, p.get("channel")), "consulted_by": label(CONSULTED_BY, p.get("consulted_by")),
            "categories": list(p.get("issue_categories", [])), "caseworker": p.get("caseworker_id"),
            "urgency": p.get("urgency")}


def _referral(e: dict) -> dict:
    p = e["payload"]
    return {"referred_at": p["referred_at"], "agency": p["referring_agency"]["name"],
            "reasons": [label(REFERRAL_REASONS, r) for r in p.get("reasons", [])],
            "categories": list(p.get("issue_categories", [])), "urgency": p.get("urgency")}


def _plan(e: dict) -> dict:
    p = e["payload"]
    services = {r["service"] for r in p.get("roles", [])}
    return {"version": p["version"], "approved_on": p["approved_on"],
            "monitoring_dates": p.get("monitoring_dates", []),
            "roles": [{"agency": r["agency"]["name"], "service": label(ROLE_SERVICES, r["service"]),
                       "task": r.get("task"), "starts_on": r.get("starts_on")} for r in p.get("roles", [])],
            "participation": "participation" in services, "outreach": "outreach" in services}


def _support_meeting(e: dict, organisation: str) -> dict:
    p = e["payload"]
    members = {m.get("organisation") for m in p.get("members", []) if isinstance(m, dict)}
    member = organisation in members or visible_to(e, organisation)
    return {"at": e["occurred_at"], "member": member,
            "decision": p.get("decision") if member else WITHHELD}


def category_labels(codes: list[str]) -> list[str]:
    return [label(ISSUE_CATEGORIES, c) for c in codes]
