"""What the consultation service tells the others, and which events it takes in.

Nothing personal leaves the instance unless the person's recorded, unwithdrawn consent covers
the receiving organisation or purpose (DOMAIN.md §4): the domain decides what a sharing may
carry (consent.Disclosure) and records it on the event; translators send exactly that.
Consent and its withdrawal are published so that every service can obey them.
"""
from __future__ import annotations

from kasane.bus.envelope import Outgoing, utc_iso
from kasane.area_issues import take_area_issue
from kasane.integration import Consumes, Integration, Publishes

from consultation.domain.consent import HouseholdConsents
from consultation.domain.consultation import Consultation
from consultation.domain.household import Household
from consultation.incoming import (connection_lead, hand_back_lead, lead_taken, take_plan_role,
                                   outreach_lead, take_handover, take_joined_referral, take_return,
                                   tsunagu_sheet_lead)


def _about_household(event_type: str, e, payload: dict, **more) -> Outgoing:
    """An integration event (v1) about the household the domain event names."""
    return Outgoing(type=event_type, version=1, household_id=e.household_id, payload=payload, **more)


def consultation_received(e) -> Outgoing:
    return _about_household("consultation.consultation_received", e, {
        "consultation_id": str(e.originator_id), "agency": e.agency,
        "received_at": utc_iso(e.received_at), "channel": e.channel,
        "consulted_by": e.consulted_by, "issue_categories": e.issue_categories,
        "urgency": e.urgency, "caseworker_id": e.caseworker_id, **_imported(e),
    })


def _imported(e) -> dict:
    """データ移行: an imported intake names its source file (SHA-256) and row."""
    source = getattr(e, "source", None) or {}
    if source.get("kind") != "import":
        return {}
    return {"imported": {"file_sha256": source["file_sha256"], "row": source["row"]}}


def household_referred(e) -> Outgoing:
    # Addressed to the deployment's collaboration instance when known: only then may the
    # consented personal part travel (kasane.bus.envelope).
    return _about_household("consultation.household_referred", e, {
        "referral_id": str(e.referral_id), "consultation_id": str(e.originator_id),
        "referring_agency": e.referring_agency, "reasons": e.reasons,
        "issue_categories": e.issue_categories, "urgency": e.urgency,
        "referred_at": utc_iso(e.referred_at), "caseworker_id": e.caseworker_id,
    }, personal=shared_personal(e), recipient=getattr(e, "to_instance", None))


def connected_to_agency(e) -> Outgoing:
    return _about_household("consultation.connected_to_agency", e, {
        "connection_id": e.connection_id, "consultation_id": str(e.originator_id),
        "from_agency": e.from_agency, "to_agency": e.to_agency,
        "to_organisation": e.to_organisation, "issue_categories": e.issue_categories,
        "urgency": e.urgency, "connected_at": utc_iso(e.connected_at),
        "caseworker_id": e.caseworker_id, "consent_ids": e.disclosure["consent_ids"],
    }, personal=shared_personal(e), recipient=e.to_instance)


def consent_recorded(e) -> Outgoing:
    # The representative's name stays home: the bus learns who consented by person id only.
    return _about_household("consultation.consent_recorded", e, {
        "consent_id": e.consent_id, "person_id": e.person_id, "given_by": e.given_by,
        "organisations": e.organisations, "purposes": e.purposes, "method": e.method,
        "given_at": utc_iso(e.given_at), "agency": e.agency, "caseworker_id": e.caseworker_id,
    })


def consent_withdrawn(e) -> Outgoing:
    return _about_household("consultation.consent_withdrawn", e, {
        "consent_id": e.consent_id, "person_id": e.person_id,
        "withdrawn_at": utc_iso(e.withdrawn_at), "agency": e.agency,
        "caseworker_id": e.caseworker_id,
    })


def households_merged(e) -> Outgoing:
    return _about_household("consultation.households_merged", e, {
        "merged_household_id": str(e.merged_household_id), "person_ids": e.person_ids,
        "merged_at": utc_iso(e.merged_at), "agency": e.agency,
        "caseworker_id": e.caseworker_id,
    })


def outreach_requested(e) -> Outgoing:
    """アウトリーチの依頼 — addressed to the outreach instance; the consented part only."""
    return _about_household("consultation.outreach_requested", e, {
        "request_id": e.request_id, "consultation_id": str(e.originator_id),
        "agency": e.agency, "noticed": e.noticed, "area": e.area, "urgency": e.urgency,
        "requested_at": utc_iso(e.requested_at), "caseworker_id": e.caseworker_id,
        "consent_ids": (e.disclosure or {}).get("consent_ids") or [],
    }, personal=shared_personal(e), recipient=e.to_instance)


def shared_personal(e) -> dict | None:
    """The personal part a sharing may carry: what its disclosure covers, nothing else."""
    disclosure = getattr(e, "disclosure", None)
    if not disclosure or not disclosure.get("person_ids"):
        return None
    allowed = set(disclosure["person_ids"])
    personal = {"persons": [p for p in e.personal.get("persons") or [] if p["person_id"] in allowed]}
    if disclosure.get("texts"):
        personal["summary"] = e.personal.get("summary")
        personal["note"] = e.personal.get("note")
    return personal


# Leads and returns arrive addressed to this instance only (宛先指定); 地域課題シート are
# broadcast to every agency.
INTEGRATION = Integration(
    consumes=(
        Consumes("consultation.connected_to_agency", 1, lead_taken(connection_lead), addressed=True),
        Consumes("collaboration.household_handed_back", 1, lead_taken(hand_back_lead), addressed=True),
        Consumes("community.tsunagu_sheet_sent", 1, lead_taken(tsunagu_sheet_lead), addressed=True),
        Consumes("outreach.person_connected", 1, lead_taken(outreach_lead), addressed=True),
        # 差し戻し of this instance's referral
        Consumes("collaboration.referral_returned", 1, take_return, addressed=True),
        Consumes("community.area_issue_recorded", 1, take_area_issue),  # about no household
        # under consent or a 支援会議 decision
        Consumes("outreach.person_handed_over", 1, take_handover, addressed=True),
        # a 多機関協働 plan in force gives this desk a role
        Consumes("collaboration.role_requested", 1, take_plan_role, addressed=True),
        # the answer to a referral joined to a case (to another desk's household's: 同一人物)
        Consumes("collaboration.referral_joined_case", 1, take_joined_referral),
    ),
    publishes=(
        Publishes(Consultation.Received, consultation_received),
        Publishes(Consultation.ReferredToCollaboration, household_referred),
        Publishes(Consultation.ConnectedToAgency, connected_to_agency),
        Publishes(Consultation.OutreachRequested, outreach_requested),
        Publishes(HouseholdConsents.ConsentRecorded, consent_recorded),
        Publishes(HouseholdConsents.ConsentWithdrawn, consent_withdrawn),
        Publishes(Household.HouseholdsMerged, households_merged),
    ))

#: What tests and tools read directly, derived from the table.
SUBSCRIPTIONS, handlers, translators = (INTEGRATION.subscriptions(), INTEGRATION.handlers,
                                        INTEGRATION.translators)
