"""重層的支援会議 and 支援会議 (法106条の6) — the collaboration application's meeting use cases
(mixed into CollaborationApplication)."""
from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from kasane.clock import now
from kasane.jsonable import jsonable
from kasane.store.conflicts import retry_on_conflict
from kasane.store.trace import Trace

from collaboration.domain.assessment import Assessment
from collaboration.domain.case import Case
from collaboration.domain.case_rules import check_goal_evaluations, check_meeting_body
from collaboration.domain.households import HouseholdCases
from collaboration.domain.consent import HouseholdConsent, has_collaboration_consent
from collaboration.domain.meeting import MultiLayeredMeeting, check_meeting, check_meeting_agenda
from collaboration.domain.plan import SupportPlan
from collaboration.domain.proposals import PlanProposal
from collaboration.domain.support_meeting import (SupportMeeting, check_roles_of_members,
                                                  check_support_meeting, refuse_non_member)
from collaboration.sharing import role_request_sharing

APPROVING = ("plan_appropriate", "replan_agreed")


class Meetings:
    # -- 重層的支援会議 -------------------------------------------------------------------------

    @retry_on_conflict
    def hold_multi_layered_meeting(self, trace: Trace, *, held_on: date, caseworker_id: str,
                                   attendees: list, agenda: list = (), shortages: list = (),
                                   notes: str | None = None, system_items: list = (),
                                   body_id: str | None = None, plan_judgements: list = ()) -> dict:
        """重層的支援会議の記録 — decisions per case, proposed 参加支援・アウトリーチ等事業プラン
        judged (`plan_judgements`), social resource shortages and system-level items (体制検討),
        all or nothing; `body_id`: the city's own body that met as one."""
        check_meeting(attendees, agenda, shortages, system_items, plan_judgements)
        body = self.directory.meeting_body("body_id", body_id, "multi_layered") if body_id else None
        cases = [self._case_for_meeting(item, "multi_layered") for item in agenda]
        proposals = [self._proposal_for_meeting(j["proposal_id"]) for j in plan_judgements]
        meeting = MultiLayeredMeeting(
            held_on=held_on, attendees=attendees, recorded_by=caseworker_id,
            system_items=list(system_items), body=body,
            agenda=[{"case_id": c.id, "household_id": c.household_id, "decision": i["decision"]}
                    for c, i in zip(cases, agenda)],
            plan_judgements=[{"proposal_id": str(p.id), "judgement": j["judgement"]}
                             for p, j in zip(proposals, plan_judgements)],
            personal={"notes": notes, "comments": {str(c.id): i.get("comment") for c, i in zip(cases, agenda)}})
        changed: list = [meeting, *proposals]
        for case, item in zip(cases, agenda):
            changed += self._decide(meeting, case, item)
        judge_plans(meeting, proposals, plan_judgements)
        for shortage in shortages:
            meeting.record_shortage(shortage_id=str(uuid4()), **shortage)
        self.save_traced(*changed, trace=trace)
        return {"meeting_id": str(meeting.id), "kind": "multi_layered", "body": body,
                "decisions": [{"case_id": str(c.id), "status": c.status} for c in cases],
                "plan_judgements": [{"proposal_id": str(p.id), **p.judgement} for p in proposals],
                "shortage_ids": [s["shortage_id"] for s in meeting.shortages]}

    def _proposal_for_meeting(self, proposal_id: UUID) -> PlanProposal:
        """A proposed plan a 重層的支援会議 may judge: its household consented (本人同意)."""
        proposal: PlanProposal = self.repository.get(proposal_id)
        consent = self.find(HouseholdConsent.create_id(proposal.household_id))
        check_meeting_body("multi_layered", has_collaboration_consent(consent, self.organisation))
        return proposal

    def _case_for_meeting(self, item: dict, body: str) -> Case:
        """The case on the agenda, if this meeting (`body`) carries it now and may so decide."""
        case: Case = self.repository.get(item["case_id"])
        consent = self.find(HouseholdConsent.create_id(case.household_id))
        check_meeting_body(body, has_collaboration_consent(consent, self.organisation))
        if item["decision"] != "resumption":  # a suspended case is ended: Case.resume checks it
            case.check_decision(item["decision"])
        return case

    def _decide(self, meeting, case: Case, item: dict, body: str = "multi_layered") -> list:
        decision, held_on = item["decision"], meeting.held_on
        evaluation, notes = self._evaluation(case, item)
        decided = {"meeting_id": meeting.id, "held_on": held_on, "decision": decision,
                   "evaluation": evaluation, "body": body,
                   "personal": {**{k: item.get(k) for k in ("evaluation", "follow_up_method",
                                                            "comment")}, **notes}}
        if decision == "resumption":
            return self._resume(case, decided)
        if decision not in ("plan_revise", *APPROVING):
            case.record_decision(**decided)
            return [case]
        plan: SupportPlan = self.repository.get(case.draft_plan_id)
        if decision == "plan_revise":
            plan.request_revision(meeting_id=meeting.id, held_on=held_on)
            case.record_decision(**decided)
            return [case, plan]
        if body == "support_meeting":
            check_roles_of_members(meeting, plan.content["roles"])
        previous = self.find(case.plan_in_force_id) if case.plan_in_force_id else None
        plan.approve(meeting_id=meeting.id, held_on=held_on)
        case.record_decision(**decided, monitoring_dates=plan.content["monitoring_dates"])
        if previous is not None:
            previous.supersede(by_plan_id=plan.id, on=held_on)
        self._request_roles(case, plan)
        return [case, plan, previous]

    def _resume(self, case: Case, decided: dict) -> list:
        """再開 — the case is taken up again and is the household's open case once more."""
        case.resume(meeting_id=decided["meeting_id"], held_on=decided["held_on"],
                    body=decided["body"], personal=decided["personal"])
        index: HouseholdCases = self.repository.get(HouseholdCases.create_id(case.household_id))
        index.case_resumed(case.id)
        return [case, index]

    def _evaluation(self, case: Case, item: dict) -> tuple[dict, dict]:
        """The decision's evaluation (codes) and its notes (personal); a closure's evaluation of
        each goal is checked against the plan in force."""
        evaluation = {k: item[k] for k in ("goals_met", "follow_up_needed", "reason") if k in item}
        goals = item.get("goal_evaluations")
        if goals is None or item["decision"] != "closure":
            return evaluation, {}
        check_goal_evaluations(self.repository.get(case.plan_in_force_id).content, goals)
        evaluation["goals"] = [{"goal": str(g["goal"]), "attainment": g["attainment"]} for g in goals]
        return evaluation, {"goal_notes": {str(g["goal"]): g.get("note") for g in goals}}

    def _request_roles(self, case: Case, plan: SupportPlan) -> None:
        """役割の依頼 — each role whose agency runs an instance is told to that instance."""
        consent = self.find(HouseholdConsent.create_id(case.household_id))
        assessment = self.find(Assessment.create_id(case.id))
        for role in plan.requested_roles():
            disclosure, personal = role_request_sharing(consent, case, plan, role, assessment)
            plan.request_role(role, request_id=str(uuid4()), requested_at=now(),
                              disclosure=disclosure.as_dict(), personal=personal)

    # -- 支援会議 (法106条の6) --------------------------------------------------------------------

    @retry_on_conflict
    def hold_support_meeting(self, trace: Trace, *, held_on: date, caseworker_id: str,
                             members: list, household_ids: list = (), subjects: list = (),
                             information_shared: str | None = None,
                             watching_policy: str | None = None, urgent_actions: list = (),
                             decisions: list = (), agenda: list = (), body_id: str | None = None) -> dict:
        """支援会議の記録 — its decisions per household and, for cases without consent, its
        decisions on the case (plan, review, 終結/中断: seed 004 §6(2)), all or nothing;
        `body_id`: the city's own body that met as 支援会議 (ふくし総合支援会議 …)."""
        check_support_meeting(members, information_shared)
        body = self.directory.meeting_body("body_id", body_id, "support") if body_id else None
        check_meeting_agenda(agenda)
        cases = [self._case_for_meeting(item, "support_meeting") for item in agenda]
        meeting = SupportMeeting(
            held_on=held_on, members=members, recorded_by=caseworker_id,
            household_ids=list(dict.fromkeys([*map(str, household_ids),
                                              *(str(c.household_id) for c in cases)])),
            agenda=[{"case_id": str(c.id), "decision": i["decision"]} for c, i in zip(cases, agenda)],
            urgent=bool(urgent_actions), body=body,
            personal={"subjects": list(subjects), "information_shared": information_shared,
                      "watching_policy": watching_policy, "urgent_actions": list(urgent_actions)})
        changed = [meeting]
        for case, item in zip(cases, agenda):
            changed += self._decide(meeting, case, item, body="support_meeting")
        decide_households(meeting, decisions)
        self.save_traced(*changed, trace=trace)
        return {"meeting_id": str(meeting.id), "kind": "support", "body": body,
                "decisions": [{"decision_id": d["decision_id"], "household_id": d["household_id"],
                               "sent_to": [r["instance"] for r in d["recipients"]]}
                              for d in meeting.decisions],
                "case_decisions": [{"case_id": str(c.id), "status": c.status} for c in cases]}

    def support_meeting(self, trace: Trace, *, meeting_id: UUID, reader: dict) -> dict:
        """支援会議の記録の閲覧 — for its member persons only (the reader of the authenticated
        context); every attempt is recorded."""
        meeting: SupportMeeting = self.repository.get(meeting_id)
        granted = meeting.read_by(reader=reader, read_at=now())
        self.save_traced(meeting, trace=trace)
        if not granted:
            refuse_non_member()
        return jsonable({"meeting_id": meeting.id, "kind": "support", "held_on": meeting.held_on,
                         "body": getattr(meeting, "body", None), "members": meeting.members, "household_ids": meeting.household_ids,
                         "agenda": meeting.agenda,
                         **meeting.personal, "decisions": meeting.decisions})


def judge_plans(meeting: MultiLayeredMeeting, proposals: list, judgements: list) -> None:
    """プランの適切性の協議 — each proposed plan judged as the meeting decided (001 §1(5)イ(イ)①)."""
    for proposal, item in zip(proposals, judgements):
        proposal.judge(meeting_id=meeting.id, judged_on=meeting.held_on, judgement=item["judgement"],
                       reasons=item.get("reasons") or [], recorded_by=meeting.recorded_by,
                       comment=item.get("comment"))


def decide_households(meeting: SupportMeeting, decisions: list) -> None:
    """支援会議の決定 per household (roles, 情報共有の決定), each sent to its member instances."""
    for decision in decisions:  # all or nothing: one save below
        meeting.decide(decision_id=str(uuid4()), household_id=str(decision["household_id"]),
                       roles=decision.get("roles") or [],
                       sharing_allowed=decision["sharing_allowed"],
                       sharing_until=decision.get("sharing_until"),
                       recipients=decision["recipients"],
                       pass_on=with_person_ids(decision.get("pass_on")))


def with_person_ids(pass_on: dict | None) -> dict | None:
    """Each person passed on gets an id (the contract's persons are known by id)."""
    if not pass_on:
        return None
    persons = [{**p, "person_id": str(p.get("person_id") or uuid4())} for p in pass_on.get("persons") or []]
    return {**pass_on, "persons": persons}
