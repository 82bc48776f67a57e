"""What 多機関協働 takes in (integration.INTEGRATION's handlers, each (app, envelope, uow)): each
reads one contract's payload (already validated by the consumer) into the domain's terms.

Referrals from a desk and hand-overs from outreach open a case (or join the household's open
one); consents and withdrawals are learnt per household; reports from 参加支援 and アウトリーチ等
are noted on the case whose role request they answer; 地域課題シート are kept.
"""
from __future__ import annotations

from datetime import date
from functools import partial
from uuid import UUID

from kasane.area_issues import take_area_issue
from kasane.clock import now, parse_time
from kasane.store.unit_of_work import UnitOfWork, prefetching

from collaboration.domain.area_issues import AreaIssues
from collaboration.domain.households import HouseholdCases, take_referral
from collaboration.domain.consent import HouseholdConsent
from collaboration.domain.proposals import PlanProposal
from collaboration.domain.reports import answered_request, check_host_problem
from collaboration.identity import notice_same_persons

take_collaboration_area_issue = partial(take_area_issue, kind=AreaIssues)


def _cases_of(envelope: dict) -> list:
    return [HouseholdCases.create_id(UUID(envelope["household_id"]))] if envelope["household_id"] else []


def _consent_of(envelope: dict) -> list:
    return [HouseholdConsent.create_id(UUID(envelope["household_id"]))] if envelope["household_id"] else []


@prefetching(_cases_of)
def take_household_referred(app, envelope: dict, uow: UnitOfWork) -> None:
    """consultation.household_referred v1 — a consultation agency referred a household; a new
    case whose persons likely are persons of another household's open case is noticed
    (同一人物の確認, identity.py) for staff to join or keep apart."""
    case, opened = _take_referral(uow, envelope, referral_from(envelope))
    if opened:
        notice_same_persons(app, uow, case, envelope["payload"].get("personal"))


@prefetching(_cases_of)
def take_person_handed_over(app, envelope: dict, uow: UnitOfWork) -> None:
    """outreach.person_handed_over v1, addressed here — a person reached by outreach comes to
    多機関協働: a case is opened for the household (or the hand-over joins its open case), as
    a consultation referral is, so that caseworkers see it in the open cases."""
    if envelope["payload"]["to_service"] != "collaboration" or not envelope["household_id"]:
        return  # a hand-over meant for a desk is not this instance's to take
    _take_referral(uow, envelope, hand_over_referral(envelope))


def _take_referral(uow: UnitOfWork, envelope: dict, referral: dict) -> tuple:
    """The household's open case takes the referral, or a new case opens with it (opened True)."""
    household_id = UUID(envelope["household_id"])
    index = uow.find(HouseholdCases.create_id(household_id))
    open_case = uow.get(index.open_case_id) if index and index.open_case_id else None
    index, case = take_referral(index, open_case, household_id, referral, now(),
                                personal=envelope["payload"].get("personal"))
    uow.add(index)
    uow.add(case)
    return case, case is not open_case


def referral_from(envelope: dict) -> dict:
    payload = envelope["payload"]
    return {
        "referral_id": payload["referral_id"],
        "consultation_id": payload["consultation_id"],
        "referring_agency": payload["referring_agency"],
        "origin_instance": envelope["origin"]["instance"],
        "origin_organisation": envelope["origin"]["organisation"],
        "reasons": payload["reasons"],
        "issue_categories": payload["issue_categories"],
        "urgency": payload["urgency"],
        "referred_at": payload["referred_at"],
    }


def hand_over_referral(envelope: dict) -> dict:
    """A hand-over from outreach, read as a referral: the outreach case stands where a
    consultation stands in a desk's referral (its id is the referring record's id)."""
    p = envelope["payload"]
    return {
        "referral_id": p["handover_id"], "consultation_id": p["outreach_case_id"],
        "referring_agency": p["from_agency"], "origin_instance": envelope["origin"]["instance"],
        "origin_organisation": envelope["origin"]["organisation"], "reasons": p["reasons"],
        "issue_categories": p["issue_categories"], "urgency": p["urgency"],
        "referred_at": p["handed_over_at"], "source": "outreach", "basis": p["basis"]["kind"],
    }


@prefetching(_consent_of)
def take_consent_recorded(app, envelope: dict, uow: UnitOfWork) -> None:
    """consultation.consent_recorded v1 or outreach.consent_obtained v1 (the same fields) —
    remember it for this household: a consent outreach obtained is obeyed like a desk's."""
    if not envelope["household_id"]:
        return  # a person outreach knows of no household yet: a later hand-over states its basis
    p = envelope["payload"]
    _consent_in(uow, UUID(envelope["household_id"])).learn_recorded(
        consent_id=p["consent_id"], person_id=p["person_id"], organisations=p["organisations"],
        purposes=p["purposes"], given_at=parse_time(p["given_at"]),
        recorded_by=envelope["origin"]["organisation"], given_by=p["given_by"])


@prefetching(_consent_of)
def take_consent_withdrawn(app, envelope: dict, uow: UnitOfWork) -> None:
    """consultation.consent_withdrawn v1 or outreach.consent_withdrawn v1 — from now on nothing
    is shared under it: no 重層的支援会議 on it, no role request or hand-back carrying the
    person's details under it."""
    if not envelope["household_id"]:
        return  # no household: nothing here was learnt under it
    p = envelope["payload"]
    _consent_in(uow, UUID(envelope["household_id"])).learn_withdrawn(
        consent_id=p["consent_id"], person_id=p["person_id"], withdrawn_at=parse_time(p["withdrawn_at"]))


def _consent_in(uow: UnitOfWork, household_id: UUID) -> HouseholdConsent:
    return uow.find_or_add(HouseholdConsent.create_id(household_id),
                           lambda: HouseholdConsent(household_id=household_id))


def take_host_problem(app, envelope: dict, uow: UnitOfWork) -> None:
    """受入先からの課題報告 (participation.host_problem_reported v1, addressed here as the
    owner of the plan) — a monitoring note on the case; what the host said stays personal."""
    p = envelope["payload"]
    case, plan, request = _reported_case(uow, envelope, p["case_id"], p["request_id"])
    check_host_problem(plan, request, plan_id=p["plan_id"], role_id=p["role_id"])
    case.note_host_problem(report=host_problem_report(envelope), personal=p.get("personal"))


def host_problem_report(envelope: dict) -> dict:
    p = envelope["payload"]
    return {"report_id": p["report_id"], "match_id": p["match_id"],
            "request_id": p["request_id"], "plan_id": p["plan_id"], "role_id": p["role_id"],
            "host": dict(p["host"]), "kind": p["kind"],
            "reported_on": date.fromisoformat(p["reported_on"]),
            "reported_at": parse_time(p["reported_at"]), "caseworker_id": p["caseworker_id"],
            **_from(envelope)}


def take_outreach_plan(app, envelope: dict, uow: UnitOfWork) -> None:
    """アウトリーチ等事業プランの報告 (outreach.plan_reported v1, addressed here) — the outreach
    plan answering one of the case's role requests was made, revised or closed."""
    p = envelope["payload"]
    case, _, _ = _reported_case(uow, envelope, p["collaboration_case_id"], p["request_id"])
    case.note_outreach_plan(report={
        "plan_id": p["plan_id"], "outreach_case_id": p["outreach_case_id"],
        "request_id": p["request_id"], "change": p["change"], "revision": p["revision"],
        "changed_on": date.fromisoformat(p["changed_on"]),
        "review_dates": [date.fromisoformat(d) for d in p["review_dates"]],
        "worker_id": p["worker_id"], **_from(envelope)})


def _reported_case(uow: UnitOfWork, envelope: dict, case_id: str, request_id: str) -> tuple:
    case = uow.find(UUID(case_id))
    plan, request = answered_request(case, uow.get, household_id=envelope["household_id"],
                                     request_id=request_id, from_instance=envelope["origin"]["instance"])
    return case, plan, request


def _from(envelope: dict) -> dict:
    return {"from_instance": envelope["origin"]["instance"],
            "from_organisation": envelope["origin"]["organisation"]}


def take_plan_proposed(app, envelope: dict, uow: UnitOfWork) -> None:
    """outreach.plan_proposed v1 or participation.plan_proposed v1, addressed here — a plan kept
    until a 重層的支援会議 judges it; one answering a role request must answer one of this
    instance's cases' requests, from the instance it was sent to (else refused)."""
    p, origin = envelope["payload"], envelope["origin"]
    if not envelope["household_id"] or uow.find(PlanProposal.create_id(origin["instance"], p)) is not None:
        return
    if p["request_id"]:
        _reported_case(uow, envelope, p["collaboration_case_id"], p["request_id"])
    proposal = {k: p[k] for k in ("plan_id", "revision", "case_id", "request_id", "collaboration_case_id",
                                  "worker_id")}
    proposal.update(proposed_on=date.fromisoformat(p["proposed_on"]),
                    review_dates=[date.fromisoformat(d) for d in p["review_dates"]])
    uow.add(PlanProposal(service=origin["service"], household_id=UUID(envelope["household_id"]),
                         proposal=proposal, from_instance=origin["instance"],
                         from_organisation=origin["organisation"], personal=p.get("personal") or {}))
