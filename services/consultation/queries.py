"""How a consultation reads when queried: codes with their 日本語 labels, times as ISO text."""
from __future__ import annotations

from kasane_contracts.vocabulary import (AREA_ISSUE_RAISERS, CHANNELS, CONSULTATION_STATUSES, CONSULTED_BY, ISSUE_CATEGORIES,
                               REFERRAL_RETURN_REASONS, URGENCY, label)

from consultation.domain.consultation import Consultation


def consultation_view(c: Consultation) -> dict:
    """相談記録 — the consultation as this instance knows it (no personal details)."""
    return {
        "consultation_id": str(c.id), "household_id": str(c.household_id),
        "agency": c.agency, "received_at": c.received_at.isoformat(), "channel": c.channel,
        "consulted_by": c.consulted_by, "issue_categories": c.issue_categories,
        "urgency": c.urgency, "caseworker_id": c.caseworker_id, "status": c.status,
        "person_ids": list(c.person_ids), "source": c.source,
        "next_contact_on": c.next_contact_on.isoformat() if c.next_contact_on else None,
        "referrals": [{**r, "referral_id": str(r["referral_id"]),
                       "referred_at": r["referred_at"].isoformat()} for r in c.referrals],
        "returns": [{**r, "returned_at": r["returned_at"].isoformat(),
                     "reason_label": label(REFERRAL_RETURN_REASONS, r["reason"])} for r in c.returns],
        "connections": [{**k, "connected_at": k["connected_at"].isoformat()} for k in c.connections],
        "contacts": [{**k, "contacted_at": k["contacted_at"].isoformat()} for k in c.contacts],
        "labels": {
            "status": CONSULTATION_STATUSES[c.status], "channel": label(CHANNELS, c.channel),
            "consulted_by": label(CONSULTED_BY, c.consulted_by),
            "urgency": label(URGENCY, c.urgency),
            "issue_categories": [label(ISSUE_CATEGORIES, k) for k in c.issue_categories],
        },
    }


def area_issue_view(issue: dict) -> dict:
    """地域課題 — an area issue with its categories and who raised it in 日本語."""
    return {**issue, "label": "地域課題", "recorded_on": issue["recorded_on"].isoformat(),
            "issue_category_labels": [label(ISSUE_CATEGORIES, c) for c in issue["issue_categories"]],
            "raised_by_label": label(AREA_ISSUE_RAISERS, issue["raised_by"])}
