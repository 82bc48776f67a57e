"""The collaboration application (多機関協働事業): one method per use case — referrals in,
assessment, plan, the two meetings, monitoring, closure or suspension with the hand-back, and
the queries. Commands that may race with the inbox consumer (which joins referrals to cases
and learns consent) retry on a version conflict.
"""
from __future__ import annotations

from datetime import date, datetime
from uuid import UUID, uuid4


from kasane import clock
from kasane.clock import now, parse_time
from kasane.jsonable import jsonable
from kasane.store.business_line import BusinessLineApplication
from kasane.store.conflicts import retry_on_conflict
from kasane.store.trace import Trace
from kasane.store.unit_of_work import UnitOfWork, prefetching

from collaboration.domain.area_issues import AreaIssues
from collaboration.domain.assessment import Assessment
from collaboration.domain.case import Case, HouseholdCases, take_referral
from collaboration.domain.consent import HouseholdConsent
from collaboration.domain.meeting import MultiLayeredMeeting, check_meeting
from collaboration.domain.plan import SupportPlan, plan_content
from collaboration.domain.rules import ConsentRequired, ReportRuleViolation
from collaboration.domain.support_meeting import (SupportMeeting, check_support_meeting,
                                                  refuse_non_member)
from collaboration.sharing import hand_back_sharing, role_request_sharing
from collaboration.views.caseload import Caseload, caseload_row, overdue_first
from collaboration.views.counts import FiscalYearCounts
from collaboration.views.report import report_tally
from collaboration.views.records import area_issue_view, case_view, full_record

APPROVING = ("plan_appropriate", "replan_agreed")


class CollaborationApplication(BusinessLineApplication):
    def __init__(self, env: dict | None = None, **where):
        super().__init__(env, **where)
        self.caseload = Caseload()
        self.follow(FiscalYearCounts(), report_tally(), self.caseload)


    # -- incoming integration events ----------------------------------------------------------

    @prefetching(lambda envelope: [HouseholdCases.create_id(UUID(envelope["household_id"]))])
    def on_household_referred(self, envelope: dict, uow: UnitOfWork) -> None:
        """A consultation agency referred a household (consultation.household_referred v1)."""
        self._take_referral(uow, envelope, referral_from(envelope))

    @prefetching(lambda envelope: [HouseholdConsent.create_id(UUID(envelope["household_id"]))])
    def on_consent_recorded(self, envelope: dict, uow: UnitOfWork) -> None:
        """consultation.consent_recorded v1 or outreach.consent_obtained v1 (the same fields) —
        remember it for this household: a consent outreach obtained is obeyed like a desk's."""
        p = envelope["payload"]
        consent = self._consent_in(uow, UUID(envelope["household_id"]))
        consent.learn_recorded(consent_id=p["consent_id"], person_id=p["person_id"],
                               organisations=p["organisations"], purposes=p["purposes"],
                               given_at=parse_time(p["given_at"]),
                               recorded_by=envelope["origin"]["organisation"])

    @prefetching(lambda envelope: [HouseholdConsent.create_id(UUID(envelope["household_id"]))])
    def on_consent_withdrawn(self, envelope: dict, uow: UnitOfWork) -> None:
        """consultation.consent_withdrawn v1 or outreach.consent_withdrawn v1 — from now on nothing
        is shared under it: no 重層的支援会議 on it, no role request or hand-back carrying the
        person's details under it."""
        p = envelope["payload"]
        consent = self._consent_in(uow, UUID(envelope["household_id"]))
        consent.learn_withdrawn(consent_id=p["consent_id"], person_id=p["person_id"],
                                withdrawn_at=parse_time(p["withdrawn_at"]))

    @prefetching(lambda envelope: [HouseholdCases.create_id(UUID(envelope["household_id"]))]
                 if envelope["household_id"] else [])
    def on_person_handed_over(self, envelope: dict, uow: UnitOfWork) -> None:
        """outreach.person_handed_over v1, addressed here — a person reached by outreach comes to
        多機関協働: a case is opened for the household (or the hand-over joins its open case), as
        a consultation referral is, so that caseworkers see it in the open cases."""
        if envelope["payload"]["to_service"] != "collaboration" or not envelope["household_id"]:
            return  # a hand-over meant for a desk is not this instance's to take
        self._take_referral(uow, envelope, hand_over_referral(envelope))

    @staticmethod
    def _take_referral(uow: UnitOfWork, envelope: dict, referral: dict) -> None:
        """The household's open case takes the referral, or a new case opens with it."""
        household_id = UUID(envelope["household_id"])
        index = uow.find(HouseholdCases.create_id(household_id))
        open_case = uow.get(index.open_case_id) if index and index.open_case_id else None
        index, case = take_referral(index, open_case, household_id, referral, now(),
                                    personal=envelope["payload"].get("personal"))
        uow.add(index)
        uow.add(case)

    def on_host_problem_reported(self, envelope: dict, uow: UnitOfWork) -> None:
        """受入先からの課題報告 (participation.host_problem_reported v1, addressed here as the
        owner of the plan) — a monitoring note on the case; what the host said stays personal."""
        p = envelope["payload"]
        case, plan, request = self._reported_case(uow, envelope, p["case_id"], p["request_id"])
        if str(plan.id) != p["plan_id"] or request["role_id"] != p["role_id"]:
            raise ReportRuleViolation("the report names another plan or role than its role request")
        report = {"report_id": p["report_id"], "match_id": p["match_id"],
                  "request_id": p["request_id"], "plan_id": p["plan_id"], "role_id": p["role_id"],
                  "host": dict(p["host"]), "kind": p["kind"],
                  "reported_on": date.fromisoformat(p["reported_on"]),
                  "reported_at": parse_time(p["reported_at"]), "caseworker_id": p["caseworker_id"],
                  "from_instance": envelope["origin"]["instance"],
                  "from_organisation": envelope["origin"]["organisation"]}
        case.note_host_problem(report=report, personal=p.get("personal"))

    def on_outreach_plan_reported(self, envelope: dict, uow: UnitOfWork) -> None:
        """アウトリーチ等事業プランの報告 (outreach.plan_reported v1, addressed here) — the outreach
        plan answering one of the case's role requests was made, revised or closed."""
        p = envelope["payload"]
        case, _, _ = self._reported_case(uow, envelope, p["collaboration_case_id"], p["request_id"])
        case.note_outreach_plan(report={
            "plan_id": p["plan_id"], "outreach_case_id": p["outreach_case_id"],
            "request_id": p["request_id"], "change": p["change"], "revision": p["revision"],
            "changed_on": date.fromisoformat(p["changed_on"]),
            "review_dates": [date.fromisoformat(d) for d in p["review_dates"]],
            "worker_id": p["worker_id"], "from_instance": envelope["origin"]["instance"],
            "from_organisation": envelope["origin"]["organisation"]})

    def on_area_issue_recorded(self, envelope: dict, uow: UnitOfWork) -> None:
        """地域課題シート (community.area_issue_recorded v1, broadcast) — kept as an area issue."""
        p = envelope["payload"]
        issues = uow.find(AreaIssues.create_id())
        if issues is None:
            issues = AreaIssues()
            uow.add(issues)
        issues.record(sheet_id=p["sheet_id"], area=p["area"], committee=p["committee"],
                      issue_categories=p["issue_categories"], description=p["description"],
                      raised_by=p["raised_by"], recorded_on=date.fromisoformat(p["recorded_on"]),
                      from_instance=envelope["origin"]["instance"])

    def _reported_case(self, uow: UnitOfWork, envelope: dict, case_id: str,
                       request_id: str) -> tuple[Case, SupportPlan, dict]:
        """The case a report names, the plan and the role request it answers — all this instance's."""
        case = uow.find(UUID(case_id))
        if not isinstance(case, Case):
            raise ReportRuleViolation("the report names no case of this instance")
        if str(case.household_id) != envelope["household_id"]:
            raise ReportRuleViolation("the report names a case of another household")
        for plan_id in case.plan_ids:
            plan: SupportPlan = uow.get(plan_id)
            for request in plan.requests:
                if request["request_id"] == request_id:
                    role = next(r for r in plan.content["roles"] if r["role_id"] == request["role_id"])
                    if role.get("instance") != envelope["origin"]["instance"]:
                        raise ReportRuleViolation("the report comes from another instance than the "
                                                  "one the role request was sent to")
                    return case, plan, request
        raise ReportRuleViolation("the report answers no role request of the case's plans")

    def _consent_in(self, uow: UnitOfWork, household_id: UUID) -> HouseholdConsent:
        consent = uow.find(HouseholdConsent.create_id(household_id))
        if consent is None:
            consent = HouseholdConsent(household_id=household_id)
            uow.add(consent)
        return consent

    # -- つなぎの差し戻し・アセスメント・プラン ------------------------------------------------

    @retry_on_conflict
    def return_referral(self, trace: Trace, *, case_id: UUID, referral_id: UUID, reason: str,
                        caseworker_id: str, note: str | None = None,
                        returned_at: datetime | None = None) -> dict:
        case: Case = self.repository.get(case_id)
        case.return_referral(referral_id=str(referral_id), reason=reason,
                             returned_at=returned_at or now(), caseworker_id=caseworker_id, note=note)
        index = self._ended_in_index(case)
        self.save_traced(case, index, trace=trace)
        return {"case_id": str(case_id), "referral_id": str(referral_id), "status": case.status}

    @retry_on_conflict
    def record_assessment(self, trace: Trace, *, case_id: UUID, assessed_on: date, assessor: dict,
                          persons: list, household: dict) -> dict:
        case: Case = self.repository.get(case_id)
        case.check_open("record an assessment")
        assessment = self.find(Assessment.create_id(case_id)) or Assessment(
            case_id=case_id, household_id=case.household_id)
        assessment.revise(assessed_on=assessed_on, assessor=assessor, persons=persons,
                          household=household)
        self.save_traced(assessment, trace=trace)
        return {"case_id": str(case_id), "revision": assessment.current["revision"]}

    @retry_on_conflict
    def draft_plan(self, trace: Trace, *, case_id: UUID, drafted_on: date, caseworker_id: str,
                   **plan) -> dict:
        self._require_known_agencies(plan)
        case: Case = self.repository.get(case_id)
        content, personal = plan_content(drafted_on=drafted_on, **with_role_ids(plan))
        version = len(case.plan_ids) + 1
        draft = SupportPlan(case_id=case.id, household_id=case.household_id, version=version,
                            content=content, drafted_on=drafted_on, drafted_by=caseworker_id,
                            personal=personal)
        case.plan_drafted(draft.id, version, drafted_on)
        self.save_traced(case, draft, trace=trace)
        return {"plan_id": str(draft.id), "case_id": str(case_id), "version": version,
                "status": draft.status}

    @retry_on_conflict
    def revise_plan(self, trace: Trace, *, plan_id: UUID, revised_on: date, caseworker_id: str,
                    **plan) -> dict:
        self._require_known_agencies(plan)
        draft: SupportPlan = self.repository.get(plan_id)
        content, personal = plan_content(drafted_on=revised_on, **with_role_ids(plan))
        draft.revise(content=content, personal=personal, revised_on=revised_on,
                     revised_by=caseworker_id)
        self.save_traced(draft, trace=trace)
        return {"plan_id": str(plan_id), "revision": draft.revision, "status": draft.status}

    def _require_known_agencies(self, plan: dict) -> None:
        """A plan's roles name agencies of the city's directory, once this instance's copy holds
        the city (名簿の写し; with no directory yet, any agency is accepted)."""
        self.directory.require_known(agencies={
            f"roles.{i}.agency.agency_id": role["agency"]["agency_id"]
            for i, role in enumerate(plan.get("roles") or ())})

    # -- 重層的支援会議 -------------------------------------------------------------------------

    @retry_on_conflict
    def hold_multi_layered_meeting(self, trace: Trace, *, held_on: date, caseworker_id: str,
                                   attendees: list, agenda: list = (), shortages: list = (),
                                   notes: str | None = None) -> dict:
        """重層的支援会議の記録 — decisions per case and social resource shortages, all or nothing."""
        check_meeting(attendees, agenda, shortages)
        cases = [self._case_for_meeting(item) for item in agenda]
        meeting = MultiLayeredMeeting(
            held_on=held_on, attendees=attendees, recorded_by=caseworker_id,
            agenda=[{"case_id": c.id, "household_id": c.household_id, "decision": i["decision"]}
                    for c, i in zip(cases, agenda)],
            personal={"notes": notes, "comments": {str(c.id): i.get("comment") for c, i in zip(cases, agenda)}})
        changed = [meeting]
        for case, item in zip(cases, agenda):
            changed += self._decide(meeting, case, item)
        for shortage in shortages:
            meeting.record_shortage(shortage_id=str(uuid4()), **shortage)
        self.save_traced(*changed, trace=trace)
        return {"meeting_id": str(meeting.id), "kind": "multi_layered",
                "decisions": [{"case_id": str(c.id), "status": c.status} for c in cases],
                "shortage_ids": [s["shortage_id"] for s in meeting.shortages]}

    def _case_for_meeting(self, item: dict) -> Case:
        case: Case = self.repository.get(item["case_id"])
        consent = self.find(HouseholdConsent.create_id(case.household_id))
        if consent is None or not consent.allows_collaboration(self.organisation):
            raise ConsentRequired(
                "a 重層的支援会議 discusses only households that consented to sharing in 多機関協働 "
                "(本人同意, unwithdrawn); without consent, discuss the household at a 支援会議")
        case.check_decision(item["decision"])
        return case

    def _decide(self, meeting: MultiLayeredMeeting, case: Case, item: dict) -> list:
        decision, held_on = item["decision"], meeting.held_on
        evaluation = {k: item[k] for k in ("goals_met", "follow_up_needed", "reason") if k in item}
        personal = {k: item.get(k) for k in ("evaluation", "follow_up_method", "comment")}
        if decision not in ("plan_revise", *APPROVING):
            case.record_decision(meeting_id=meeting.id, held_on=held_on, decision=decision,
                                 evaluation=evaluation, personal=personal)
            return [case]
        plan: SupportPlan = self.repository.get(case.draft_plan_id)
        if decision == "plan_revise":
            plan.request_revision(meeting_id=meeting.id, held_on=held_on)
            case.record_decision(meeting_id=meeting.id, held_on=held_on, decision=decision,
                                 evaluation=evaluation, personal=personal)
            return [case, plan]
        previous = self.find(case.plan_in_force_id) if case.plan_in_force_id else None
        plan.approve(meeting_id=meeting.id, held_on=held_on)
        case.record_decision(meeting_id=meeting.id, held_on=held_on, decision=decision,
                             evaluation=evaluation, personal=personal,
                             monitoring_dates=plan.content["monitoring_dates"])
        if previous is not None:
            previous.supersede(by_plan_id=plan.id, on=held_on)
        self._request_roles(case, plan)
        return [case, plan, previous]

    def _request_roles(self, case: Case, plan: SupportPlan) -> None:
        """役割の依頼 — each outreach or participation role goes to its instance as a request."""
        consent = self.find(HouseholdConsent.create_id(case.household_id))
        assessment = self.find(Assessment.create_id(case.id))
        for role in plan.requested_roles():
            disclosure, personal = role_request_sharing(consent, case, plan, role, assessment)
            plan.request_role(role, request_id=str(uuid4()), requested_at=now(),
                              disclosure=disclosure.as_dict(), personal=personal)

    # -- モニタリング・終結・中断 ----------------------------------------------------------------

    @retry_on_conflict
    def record_monitoring(self, trace: Trace, *, case_id: UUID, **monitoring) -> dict:
        case: Case = self.repository.get(case_id)
        case.record_monitoring(**monitoring)
        self.save_traced(case, trace=trace)
        return {"case_id": str(case_id), "status": case.status,
                "next_monitoring_on": jsonable(case.next_monitoring_on)}

    def close_case(self, trace: Trace, **command) -> dict:
        """終結 — as the meeting judged; the household is handed back (つなぎ戻し)."""
        return self._end(trace, "closure", **command)

    def suspend_case(self, trace: Trace, **command) -> dict:
        """中断 — as the meeting decided (contact lost); the household is handed back."""
        return self._end(trace, "suspension", **command)

    @retry_on_conflict
    def _end(self, trace: Trace, decision: str, *, case_id: UUID, caseworker_id: str,
             summary: str | None = None, hand_back_to: dict | None = None,
             ended_at: datetime | None = None) -> dict:
        if hand_back_to:
            self.directory.require_known(
                agencies={"hand_back_to.agency.agency_id": hand_back_to["agency"]["agency_id"]})
        case: Case = self.repository.get(case_id)
        target = hand_back_target(hand_back_to) if hand_back_to else case.default_hand_back()
        consent = self.find(HouseholdConsent.create_id(case.household_id))
        disclosure, shared = hand_back_sharing(consent, case, target["to_organisation"], summary,
                                               self.find(Assessment.create_id(case.id)))
        hand_back_id = str(uuid4())
        case.end(decision, ended_at=ended_at or now(), caseworker_id=caseworker_id,
                 personal={"summary": summary},
                 hand_back={"hand_back_id": hand_back_id, **target,
                            "disclosure": disclosure.as_dict(), "personal": shared})
        self.save_traced(case, self._ended_in_index(case), trace=trace)
        return {"case_id": str(case_id), "status": case.status, "hand_back_id": hand_back_id,
                "handed_back_to": target["to_instance"],
                "shared_person_ids": list(disclosure.person_ids)}

    # -- 支援会議 (法106条の6) --------------------------------------------------------------------

    def hold_support_meeting(self, trace: Trace, *, held_on: date, caseworker_id: str,
                             members: list, household_ids: list = (), subjects: list = (),
                             information_shared: str | None = None,
                             watching_policy: str | None = None, urgent_actions: list = (),
                             decisions: list = ()) -> dict:
        check_support_meeting(members, information_shared)
        meeting = SupportMeeting(
            held_on=held_on, members=members, household_ids=[str(h) for h in household_ids],
            urgent=bool(urgent_actions), recorded_by=caseworker_id,
            personal={"subjects": list(subjects), "information_shared": information_shared,
                      "watching_policy": watching_policy, "urgent_actions": list(urgent_actions)})
        for decision in decisions:  # all or nothing: one save below
            meeting.decide(decision_id=str(uuid4()), household_id=str(decision["household_id"]),
                           roles=decision.get("roles") or [],
                           sharing_allowed=decision["sharing_allowed"],
                           sharing_until=decision.get("sharing_until"),
                           recipients=decision["recipients"],
                           pass_on=with_person_ids(decision.get("pass_on")))
        self.save_traced(meeting, trace=trace)
        return {"meeting_id": str(meeting.id), "kind": "support",
                "decisions": [{"decision_id": d["decision_id"], "household_id": d["household_id"],
                               "sent_to": [r["instance"] for r in d["recipients"]]}
                              for d in meeting.decisions]}

    def support_meeting(self, trace: Trace, *, meeting_id: UUID, reader: dict) -> dict:
        """支援会議の記録の閲覧 — for its member persons only (the reader of the authenticated
        context); every attempt is recorded."""
        meeting: SupportMeeting = self.repository.get(meeting_id)
        granted = meeting.read_by(reader=reader, read_at=now())
        self.save_traced(meeting, trace=trace)
        if not granted:
            refuse_non_member()
        return jsonable({"meeting_id": meeting.id, "kind": "support", "held_on": meeting.held_on,
                         "members": meeting.members, "household_ids": meeting.household_ids,
                         **meeting.personal, "decisions": meeting.decisions})

    # -- 照会 ---------------------------------------------------------------------------------

    def case(self, case_id: UUID) -> dict:
        """ケース — one case with the agencies that referred it."""
        return case_view(self.repository.get(case_id))

    def case_record(self, case_id: UUID) -> dict:
        """ケース記録 — the case with its assessments and plans, every revision kept."""
        case: Case = self.repository.get(case_id)
        plans = [self.repository.get(plan_id) for plan_id in case.plan_ids]
        return full_record(case, self.find(Assessment.create_id(case_id)), plans)

    def area_issues(self, area: str | None = None) -> dict:
        """地域課題 — the area issues learnt from 地域づくり, of one area or of all."""
        issues: AreaIssues | None = self.find(AreaIssues.create_id())
        return {"area": area,
                "issues": [area_issue_view(i) for i in (issues.of(area) if issues else [])]}

    def household_consent(self, household_id: UUID) -> dict:
        """同意状況 — the consents this instance learnt for the household (ids, organisations,
        purposes; nothing personal) and whether a 重層的支援会議 may discuss it now."""
        consent: HouseholdConsent | None = self.find(HouseholdConsent.create_id(household_id))
        rows = [] if consent is None else [
            {"consent_id": c["consent_id"], "person_id": c["person_id"],
             "organisations": c["organisations"], "purposes": c["purposes"],
             "recorded_by": c["recorded_by"], "in_force": c["consent_id"] not in consent.withdrawn}
            for c in consent.consents.values()]
        return {"household_id": str(household_id), "consents": rows,
                "allows_collaboration": bool(consent and consent.allows_collaboration(self.organisation))}

    def open_case_of(self, household_id: UUID) -> dict | None:
        index = self.find(HouseholdCases.create_id(household_id))
        if index is None or index.open_case_id is None:
            return None
        return self.case(index.open_case_id)

    def open_cases(self, today: date | None = None) -> dict:
        """支援ケース一覧 — open cases with their next monitoring date, overdue first."""
        today = today or clock.today()
        self.views.catch_up()
        rows = [caseload_row(self.repository.get(case_id), today)
                for case_id in self.caseload.open_case_ids()]
        return {"today": today.isoformat(), "cases": overdue_first(rows)}

    # -- helpers ------------------------------------------------------------------------------

    def _ended_in_index(self, case: Case) -> HouseholdCases | None:
        if case.is_open:
            return None
        index: HouseholdCases = self.repository.get(HouseholdCases.create_id(case.household_id))
        index.case_ended(case.id)
        return index


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


def with_person_ids(pass_on: dict | None) -> dict | None:
    """Each person passed on gets an id (the contract's persons are known by id)."""
    if not pass_on:
        return None
    persons = [{**p, "person_id": str(p.get("person_id") or uuid4())} for p in pass_on.get("persons") or []]
    return {**pass_on, "persons": persons}


def with_role_ids(plan: dict) -> dict:
    roles = [{**role, "role_id": str(uuid4())} for role in plan.get("roles") or []]
    return {**plan, "roles": roles}


def hand_back_target(to: dict) -> dict:
    return {"to_agency": to["agency"], "to_instance": to["instance"],
            "to_organisation": to["organisation"],
            "consultation_id": str(to["consultation_id"]) if to.get("consultation_id") else None}

