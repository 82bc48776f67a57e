"""What the outreach service tells the others, and which events it listens to.

Published: consent obtained (broadcast, pseudonymous: consultation and collaboration learn that
the person consented, to whom and for what) and a consenting person connected to a
consultation agency (`outreach.person_connected`, addressed to that agency's instance, with
the person's details); a plan made for a role request, its revisions and its closure
(`outreach.plan_reported`, addressed to the requesting collaboration instance, ids and dates
only). Nothing else leaves: contacts, stages, plans and area work stay here,
and so does every personal detail of a person who has not consented (DOMAIN.md §4).

Consumed: role requests of a 多機関協働 plan in force addressed to this instance
(`collaboration.role_requested`, with the personal part the household's consent allowed).

Issue 8, continued: a consent's withdrawal is published (`outreach.consent_withdrawn`, broadcast,
pseudonymous) so that whoever learnt the consent stops sharing under it; a person handed over
to a consultation desk or to 多機関協働 (`outreach.person_handed_over`, addressed) carries their
details only under the person's consent or a 支援会議 decision in force naming the receiver as
a member (domain/rules.py `sharing_basis`). Consumed too: 支援会議 decisions addressed to this
instance as a member (`collaboration.support_meeting_decided`) and a desk's request to reach a
person (`consultation.outreach_requested`), each becoming a lead or a note on the case.

Issue 19: where the city's profile has outreach plans judged by a 重層的支援会議 (001 §1(5)イ(イ)①),
each plan revision is proposed (`outreach.plan_proposed`, addressed to the judging 多機関協働
instance; goals only under consent) and the judgement comes back (`collaboration.plan_judged`,
addressed here): only an approved revision is in force.

Consumed too: 多機関協働からのつなぎ戻し (`collaboration.household_handed_back`, addressed here
because this instance handed the person over and so is the referral's origin): recorded on the
case it names, which opens again as a follow-up. Nothing is published in answer.
"""
from __future__ import annotations

from functools import partial

from kasane.bus.envelope import Outgoing, utc_iso
from kasane.integration import Consumes, Integration, Publishes
from kasane.plan_judgement import plan_proposed, take_plan_judged

from outreach.domain.case import OutreachCase
from outreach.domain.plan import OutreachPlan
from outreach.incoming import (plan_of, take_hand_back, take_outreach_request, take_role_request,
                              take_support_meeting_decision)


def consent_obtained(e) -> Outgoing:
    return Outgoing(
        type="outreach.consent_obtained", version=1, household_id=e.household_id,
        payload={"outreach_case_id": str(e.originator_id), "consent_id": e.consent_id,
                 "person_id": e.person_id, "given_by": e.given_by,
                 "organisations": e.organisations, "purposes": e.purposes, "method": e.method,
                 "given_at": utc_iso(e.given_at), "worker_id": e.worker_id})


def person_connected(e) -> Outgoing:
    consent = e.consent
    return Outgoing(
        type="outreach.person_connected", version=1, household_id=e.household_id,
        payload={"outreach_case_id": str(e.originator_id), "worker_id": e.worker_id,
                 "to_agency": e.to["agency"], "issue_categories": e.issue_categories,
                 "urgency": e.urgency,
                 "consent": {"given_by": consent["given_by"], "method": consent["method"],
                             "given_at": utc_iso(consent["given_at"])},
                 "connected_at": utc_iso(e.connected_at)},
        personal=e.personal, recipient=e.to["instance"])


def plan_reported(e) -> Outgoing | None:
    """プランの報告 — only a plan answering a 多機関協働 role request is reported, to the
    instance that asked; ids and dates only (goals and approach stay here)."""
    if not e.report_to:
        return None
    change, revision, on = {
        OutreachPlan.Made: lambda: ("made", 1, e.made_on),
        OutreachPlan.Revised: lambda: ("revised", e.revision, e.revised_on),
        OutreachPlan.Closed: lambda: ("closed", e.revision, e.closed_on),
    }[type(e)]()
    review_dates = [] if change == "closed" else [d.isoformat() for d in e.review_dates]
    return Outgoing(
        type="outreach.plan_reported", version=1, household_id=e.household_id,
        payload={"plan_id": str(e.originator_id), "outreach_case_id": str(e.case_id),
                 "request_id": e.report_to["request_id"],
                 "collaboration_case_id": e.report_to["collaboration_case_id"],
                 "change": change, "revision": revision, "changed_on": on.isoformat(),
                 "review_dates": review_dates, "worker_id": e.worker_id},
        recipient=e.report_to["origin_instance"])


def consent_withdrawn(e) -> Outgoing:
    return Outgoing(
        type="outreach.consent_withdrawn", version=1, household_id=e.household_id,
        payload={"outreach_case_id": str(e.originator_id), "consent_id": e.consent_id,
                 "person_id": e.person_id, "withdrawn_at": utc_iso(e.withdrawn_at),
                 "worker_id": e.worker_id})


def person_handed_over(e) -> Outgoing:
    basis = {"kind": e.basis["kind"]}
    if e.basis["kind"] == "consent":
        consent = e.basis["consent"]
        basis["consent"] = {"given_by": consent["given_by"], "method": consent["method"],
                            "given_at": utc_iso(consent["given_at"])}
    else:
        meeting = e.basis["support_meeting"]
        basis["support_meeting"] = {"meeting_id": meeting["meeting_id"],
                                    "held_on": meeting["held_on"].isoformat(),
                                    "sharing_until": meeting["sharing_until"].isoformat()}
    payload = {"handover_id": e.handover_id, "outreach_case_id": str(e.originator_id),
               "from_agency": e.from_agency, "to_service": e.to_service,
               "to_organisation": e.to["organisation"], "issue_categories": e.issue_categories,
               "reasons": e.reasons, "urgency": e.urgency, "basis": basis,
               "handed_over_at": utc_iso(e.handed_over_at), "worker_id": e.worker_id}
    if e.to.get("agency"):
        payload["to_agency"] = e.to["agency"]
    return Outgoing(type="outreach.person_handed_over", version=1, household_id=e.household_id,
                    payload=payload, personal=e.personal, recipient=e.to["instance"])


INTEGRATION = Integration(
    consumes=(  # each addressed: only what names this instance
        Consumes("collaboration.role_requested", 1, take_role_request, addressed=True),
        # only to a member's instance
        Consumes("collaboration.support_meeting_decided", 1, take_support_meeting_decision, addressed=True),
        Consumes("consultation.outreach_requested", 1, take_outreach_request, addressed=True),
        # つなぎ戻し of a case handed over here
        Consumes("collaboration.household_handed_back", 1, take_hand_back, addressed=True),
        # a 重層的支援会議's judgement of a plan proposed here
        Consumes("collaboration.plan_judged", 1,
                 partial(take_plan_judged, service="outreach", plan_of=plan_of), addressed=True),
    ),
    publishes=(
        Publishes(OutreachCase.ConsentObtained, consent_obtained),
        Publishes(OutreachCase.Connected, person_connected),
        Publishes(OutreachCase.ConsentWithdrawn, consent_withdrawn),
        Publishes(OutreachCase.HandedOver, person_handed_over),
        Publishes((OutreachPlan.Made, OutreachPlan.Revised, OutreachPlan.Closed), plan_reported),
        Publishes(OutreachPlan.Proposed, partial(plan_proposed, "outreach")),
    ))

#: What tests and tools read directly, derived from the table.
SUBSCRIPTIONS, handlers, translators = (INTEGRATION.subscriptions(), INTEGRATION.handlers,
                                        INTEGRATION.translators)
