"""What the collaboration service tells the others, and which events it listens to.

Published: cases opened and joined, referrals returned (to the referring instance), plans in
force (pseudonymous: codes, organisations and dates, no personal text), role requests
(addressed to the outreach or participation instance named in the role), social resource
shortages (about no household), closures, suspensions and the hand-back (addressed to the
consultation instance that carries on). Role requests and hand-backs carry only the personal
part the household's consent allowed when they were recorded (sharing.py). Of a 支援会議 only
its decision per household leaves, addressed to each member instance it names, with what the
meeting decided to pass on; its records and discussion stay in this instance (art. 106-6).

Consumed: referrals and consent from consultation; 受入先からの課題報告 from participation and
アウトリーチ等事業プランの報告 from outreach, both addressed to this instance as the owner of the
plan whose role they answer; 地域課題シート from community building (broadcast, no household).

Issue 19: 参加支援事業プラン and アウトリーチ等事業プラン proposed for a 重層的支援会議's judgement
(`outreach.plan_proposed`, `participation.plan_proposed`, addressed here) are kept until a meeting
judges them; the judgement goes back to the proposing instance (`collaboration.plan_judged`,
addressed; the meeting's comment in `personal`).
"""
from __future__ import annotations

from uuid import UUID

from kasane.bus.envelope import Outgoing, utc_iso
from kasane.integration import Consumes, Integration, Publishes

from collaboration.domain.case import Case
from collaboration.domain.meeting import MultiLayeredMeeting
from collaboration.domain.plan import SupportPlan
from collaboration.domain.proposals import PlanProposal
from collaboration.domain.support_meeting import SupportMeeting
from collaboration.incoming import (take_collaboration_area_issue, take_consent_recorded,
                                    take_consent_withdrawn, take_host_problem,
                                    take_household_referred, take_outreach_plan,
                                    take_person_handed_over, take_plan_proposed)


def _referral_payload(case_id, referral: dict) -> dict:
    return {
        "case_id": str(case_id), "referral_id": referral["referral_id"],
        "consultation_id": referral["consultation_id"],
        "referring_agency": referral["referring_agency"],
        "origin_instance": referral["origin_instance"], "reasons": referral["reasons"],
    }


def case_opened(e) -> Outgoing:
    payload = {**_referral_payload(e.originator_id, e.referral), "opened_at": utc_iso(e.opened_at)}
    return Outgoing(type="collaboration.case_opened", version=1, household_id=e.household_id,
                    payload=payload)


def referral_joined(e) -> Outgoing:
    payload = {**_referral_payload(e.originator_id, e.referral), "joined_at": utc_iso(e.joined_at)}
    return Outgoing(type="collaboration.referral_joined_case", version=1,
                    household_id=e.household_id, payload=payload)


def case_joined(e) -> Outgoing:
    """統合 (identity.py): ids only, about the household whose case ended."""
    return Outgoing(type="collaboration.case_joined", version=1, household_id=e.household_id,
                    payload={"case_id": str(e.originator_id), "into_case_id": str(e.case_id),
                             "into_household_id": str(e.into_household_id),
                             "joined_at": utc_iso(e.joined_at), "caseworker_id": e.caseworker_id})


def referral_returned(e) -> Outgoing:
    r = e.referral
    return Outgoing(
        type="collaboration.referral_returned", version=1, household_id=e.household_id,
        payload={"case_id": str(e.originator_id), "referral_id": r["referral_id"],
                 "consultation_id": r["consultation_id"], "referring_agency": r["referring_agency"],
                 "reason": e.reason, "case_ends": e.case_ends,
                 "returned_at": utc_iso(e.returned_at), "caseworker_id": e.caseworker_id},
        recipient=r["origin_instance"])


def _role(role: dict) -> dict:
    return {"role_id": role["role_id"], "service": role["service"], "task": role["task"],
            "organisation": role["organisation"], "agency": role["agency"],
            "starts_on": role["starts_on"].isoformat()}


def plan_approved(e) -> Outgoing:
    return Outgoing(
        type="collaboration.plan_approved", version=1, household_id=e.household_id,
        payload={"plan_id": str(e.originator_id), "case_id": str(e.case_id), "version": e.version,
                 "meeting_id": str(e.meeting_id), "approved_on": e.held_on.isoformat(),
                 "goal_person_ids": e.goal_person_ids, "household_goal": e.household_goal,
                 "roles": [_role(r) for r in e.roles],
                 "monitoring_dates": [d.isoformat() for d in e.monitoring_dates]})


def role_requested(e) -> Outgoing:
    return Outgoing(
        type="collaboration.role_requested", version=1, household_id=e.household_id,
        payload={"request_id": e.request_id, "case_id": str(e.case_id),
                 "plan_id": str(e.originator_id), **_role(e.role),
                 "requested_at": utc_iso(e.requested_at),
                 "consent_ids": e.disclosure["consent_ids"]},
        personal=e.personal, recipient=e.role["instance"])


def shortage_found(e) -> Outgoing:
    # About no household: community building learns what is missing, never for whom.
    return Outgoing(
        type="collaboration.social_resource_shortage_found", version=1, household_id=None,
        payload={"shortage_id": e.shortage_id, "meeting_id": str(e.originator_id),
                 "resource_kind": e.resource_kind, "area": e.area, "description": e.description,
                 "found_on": e.found_on.isoformat()})


def _ending(e) -> dict:
    d = e.decision
    return {"case_id": str(e.originator_id), "meeting_id": str(d["meeting_id"]),
            "decided_on": d["held_on"].isoformat(), "caseworker_id": e.caseworker_id}


def case_closed(e) -> Outgoing:
    d = e.decision
    return Outgoing(type="collaboration.case_closed", version=1, household_id=e.household_id,
                    payload={**_ending(e), "closed_at": utc_iso(e.ended_at),
                             "goals_met": d["goals_met"], "follow_up_needed": d["follow_up_needed"]})


def case_suspended(e) -> Outgoing:
    return Outgoing(type="collaboration.case_suspended", version=1, household_id=e.household_id,
                    payload={**_ending(e), "suspended_at": utc_iso(e.ended_at),
                             "reason": e.decision["reason"]})


def household_handed_back(e) -> Outgoing:
    return Outgoing(
        type="collaboration.household_handed_back", version=1, household_id=e.household_id,
        payload={"hand_back_id": e.hand_back_id, "case_id": str(e.originator_id),
                 "consultation_id": e.consultation_id, "to_agency": e.to_agency,
                 "ending": e.ending, "issue_categories": e.issue_categories,
                 "handed_back_at": utc_iso(e.handed_back_at)},
        personal=e.personal or None, recipient=e.to_instance)


def support_meeting_decided(e) -> Outgoing:
    """支援会議の決定 — to one member instance: the decision and what was passed on to it."""
    return Outgoing(
        type="collaboration.support_meeting_decided", version=1,
        household_id=UUID(e.household_id),
        payload={"meeting_id": str(e.originator_id), "decision_id": e.decision_id,
                 "held_on": e.held_on.isoformat(), "members": e.members,
                 "recipient_organisation": e.recipient_organisation, "role": e.role,
                 "sharing_allowed": e.sharing_allowed,
                 "sharing_until": e.sharing_until.isoformat() if e.sharing_until else None,
                 "recorded_by": e.recorded_by},
        personal=e.personal, recipient=e.recipient_instance)


def plan_judged(e) -> Outgoing:
    """会議の判断 — back to the instance that proposed the plan."""
    return Outgoing(
        type="collaboration.plan_judged", version=1, household_id=e.household_id,
        payload={"proposal_id": str(e.originator_id), "service": e.service,
                 "plan_id": e.plan["plan_id"], "revision": e.plan["revision"],
                 "meeting_id": str(e.meeting_id), "judged_on": e.judged_on.isoformat(),
                 "judgement": e.judgement, "reasons": e.reasons, "recorded_by": e.recorded_by},
        personal=e.personal, recipient=e.from_instance)


INTEGRATION = Integration(
    consumes=(
        Consumes("consultation.household_referred", 1, take_household_referred),
        # … and addressed here, with the personal part consent allows
        Consumes("consultation.household_referred", 1, take_household_referred, addressed=True),
        Consumes("consultation.consent_recorded", 1, take_consent_recorded),
        Consumes("consultation.consent_withdrawn", 1, take_consent_withdrawn),
        # to the plan's owner, this instance
        Consumes("participation.host_problem_reported", 1, take_host_problem, addressed=True),
        # to the instance that sent the role request
        Consumes("outreach.plan_reported", 1, take_outreach_plan, addressed=True),
        # broadcast, about no household
        Consumes("community.area_issue_recorded", 1, take_collaboration_area_issue),
        # broadcast, pseudonymous: obeyed like consultation's; its withdrawal stops sharing at once
        Consumes("outreach.consent_obtained", 1, take_consent_recorded),
        Consumes("outreach.consent_withdrawn", 1, take_consent_withdrawn),
        # a person reached by outreach comes here
        Consumes("outreach.person_handed_over", 1, take_person_handed_over, addressed=True),
        # plans proposed for a 重層的支援会議's judgement (001 §1(5)イ(イ)①)
        Consumes("outreach.plan_proposed", 1, take_plan_proposed, addressed=True),
        Consumes("participation.plan_proposed", 1, take_plan_proposed, addressed=True),
    ),
    publishes=(
        Publishes(Case.Opened, case_opened), Publishes(Case.ReferralJoined, referral_joined),
        Publishes(Case.JoinedInto, case_joined),
        Publishes(Case.ReferralReturned, referral_returned),
        Publishes(SupportPlan.Approved, plan_approved),
        Publishes(SupportPlan.RoleRequested, role_requested),
        Publishes(MultiLayeredMeeting.ShortageFound, shortage_found),
        Publishes(Case.Closed, case_closed), Publishes(Case.Suspended, case_suspended),
        Publishes(Case.HandedBack, household_handed_back),
        Publishes(SupportMeeting.DecisionSent, support_meeting_decided),
        Publishes(PlanProposal.Judged, plan_judged),
    ))

#: What tests and tools read directly, derived from the table.
SUBSCRIPTIONS, handlers, translators = (INTEGRATION.subscriptions(), INTEGRATION.handlers,
                                        INTEGRATION.translators)
