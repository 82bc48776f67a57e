"""担当ケース一覧 — an agency's open consultations, the leads awaiting intake there, and the
consultations it referred to 多機関協働 (多機関協働中), which stay in its caseload with the roles
the plan gives the desk until the household is handed back (つなぎ戻し) or returned."""
from __future__ import annotations

from kasane_contracts.vocabulary import (CHANNELS, CONSULTATION_STATUSES, ISSUE_CATEGORIES, LEAD_SOURCES,
                               REFERRAL_RETURN_REASONS, URGENCY, label)

from kasane.privacy.forgetting import forget_personal

from consultation.domain.consultation import OPEN, UNDECIDED, Consultation
from consultation.domain.lead import AWAITING, Lead
from consultation.domain.plan_role import PlanRole

_URGENCY_ORDER = {"emergency": 0, "priority": 1, "normal": 2}
_STATUS_OF = {
    Consultation.ReferredToCollaboration: "referred",
    Consultation.ConnectedToAgency: "connected",
    Consultation.Resolved: "resolved",
    Consultation.WatchContinued: "watching",
    Consultation.ReturnedFromCollaboration: OPEN,
}


class Caseload:
    def __init__(self):
        self.consultations: dict[str, dict] = {}
        self.leads: dict[str, dict] = {}
        self.plan_roles: dict[str, list] = {}  # household id -> roles the plans give this desk

    def apply(self, e) -> None:
        key = str(e.originator_id)
        if isinstance(e, Consultation.Received):
            self.consultations[key] = _received(key, e)
        elif type(e) in _STATUS_OF and key in self.consultations:
            _status_changed(self.consultations[key], e)
        elif isinstance(e, Consultation.ContactRecorded) and key in self.consultations:
            self.consultations[key]["last_contact_at"] = e.contacted_at
        elif isinstance(e, PlanRole.Received):
            self.plan_roles.setdefault(str(e.household_id), []).append(
                {**e.role, "case_id": e.case_id, "plan_id": e.plan_id, "received_at": e.received_at})
        elif isinstance(e, Lead.Arrived):
            _handed_back(self.consultations.get((e.reference or {}).get("consultation_id") or ""), e)
            self.leads[key] = {
                "lead_id": key, "kind": e.kind,
                "household_id": str(e.household_id) if e.household_id else None,
                "agency": e.agency, "origin": e.origin, "reference": e.reference,
                "issue_categories": e.issue_categories, "urgency": e.urgency,
                "arrived_at": e.arrived_at, "consent": e.consent, "personal": e.personal}
        elif isinstance(e, Lead.TakenIn):
            self.leads.pop(key, None)

    def household_of(self, consultation_id: str) -> str | None:
        """The household a consultation was received for (never changed after), if known here."""
        found = self.consultations.get(consultation_id)
        return found["household_id"] if found else None

    def forget(self, subject_id: str, household: bool) -> None:
        """削除請求: a lead awaiting intake shows an erased person (or household) as 廃棄済み."""
        for lead in self.leads.values():
            lead["personal"] = forget_personal(lead["personal"], subject_id, household, lead["household_id"])

    def open_at(self, agency_id: str) -> dict:
        """相談対応中 — undecided consultations at the agency (most urgent, then oldest, first)
        and the leads awaiting intake there or at no agency in particular."""
        consultations = sorted(
            (c for c in self.consultations.values()
             if c["agency"]["agency_id"] == agency_id and c["status"] in UNDECIDED),
            key=lambda c: (_URGENCY_ORDER.get(c["urgency"], 9), c["received_at"]))
        leads = sorted(
            (lead for lead in self.leads.values()
             if lead["agency"] is None or lead["agency"]["agency_id"] == agency_id),
            key=lambda lead: (_URGENCY_ORDER.get(lead["urgency"], 9), lead["arrived_at"]))
        return {"agency_id": agency_id,
                "consultations": [_consultation_row(c) for c in consultations],
                "awaiting_intake": [_lead_row(lead) for lead in leads],
                "in_collaboration": self.in_collaboration(agency_id)}

    def in_collaboration(self, agency_id: str) -> list[dict]:
        """多機関協働中 — referred consultations of the agency not yet handed back, with the
        roles the plan in force gives this desk (none yet: the plan is still being made)."""
        rows = []
        for c in self.consultations.values():
            if c["agency"]["agency_id"] != agency_id or c["status"] != "referred" or c.get("handed_back"):
                continue
            roles = [{**r, "received_at": r["received_at"].isoformat()}
                     for r in self.plan_roles.get(c["household_id"], [])
                     if r["agency"]["agency_id"] == agency_id]
            rows.append({**_consultation_row(c), "status_label": "多機関協働中", "plan_roles": roles,
                         "collaboration_state": "plan_in_force" if roles else "planning"})
        return sorted(rows, key=lambda row: row["received_at"])


def return_note(reason: str) -> str:
    """The 日本語 note a returned consultation carries in the caseload."""
    return f"多機関協働から差し戻されました（理由：{label(REFERRAL_RETURN_REASONS, reason)}）"


def _consultation_row(c: dict) -> dict:
    returned = c.get("returned")
    return {
        **c,
        "returned": {**returned, "returned_at": returned["returned_at"].isoformat(),
                     "reason_label": label(REFERRAL_RETURN_REASONS, returned["reason"])}
        if returned else None,
        "received_at": c["received_at"].isoformat(),
        "last_contact_at": c["last_contact_at"].isoformat(),
        "next_contact_on": c["next_contact_on"].isoformat() if c["next_contact_on"] else None,
        "status_label": CONSULTATION_STATUSES[c["status"]],
        "channel_label": label(CHANNELS, c["channel"]),
        "urgency_label": label(URGENCY, c["urgency"]),
        "issue_category_labels": [label(ISSUE_CATEGORIES, k) for k in c["issue_categories"]],
    }


def _lead_row(lead: dict) -> dict:
    return {
        **lead,
        "arrived_at": lead["arrived_at"].isoformat(),
        "status": AWAITING, "status_label": CONSULTATION_STATUSES[AWAITING],
        "kind_label": LEAD_SOURCES[lead["kind"]],
        "urgency_label": label(URGENCY, lead["urgency"]),
        "issue_category_labels": [label(ISSUE_CATEGORIES, k) for k in lead["issue_categories"]],
    }


def _received(key: str, e) -> dict:
    return {"consultation_id": key, "household_id": str(e.household_id),
            "agency": e.agency, "received_at": e.received_at, "channel": e.channel,
            "issue_categories": e.issue_categories, "urgency": e.urgency,
            "caseworker_id": e.caseworker_id, "status": OPEN, "next_contact_on": None,
            "last_contact_at": e.received_at,
            "source": (getattr(e, "source", None) or {}).get("kind"),
            "returned": None, "note": None}


def _handed_back(entry: dict | None, e) -> None:
    """A つなぎ戻し naming one of this desk's consultations ends its 多機関協働中."""
    if entry is not None and e.kind == "hand_back":
        entry["handed_back"] = True


def _status_changed(entry: dict, e) -> None:
    entry["status"] = _STATUS_OF[type(e)]
    entry["next_contact_on"] = getattr(e, "next_contact_on", None)
    if isinstance(e, Consultation.ReturnedFromCollaboration):
        entry["returned"] = {"referral_id": e.referral_id, "case_id": e.case_id,
                             "reason": e.reason, "returned_at": e.returned_at}
        entry["note"] = return_note(e.reason)
    elif isinstance(e, Consultation.ReferredToCollaboration):
        entry["returned"], entry["note"] = None, None  # referred anew
