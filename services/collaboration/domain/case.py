"""ケース — a household's case in multi-agency collaboration (多機関協働事業), and its life.

DOMAIN.md §5 (seed 001 §1(5)イ(オ), 002 §II): referral accepted → assessment → plan drafted → a
meeting judges it appropriate (a 重層的支援会議, or without consent a 支援会議: case_rules) →
monitoring and reviews → re-plan → 終結 or 中断, each decided by a meeting → つなぎ戻し; a 中断 may
be resumed (再開) by a meeting. A household has at most one open case (issue 5): further
referrals join it; `HouseholdCases` (households.py, id derived from the household id) keeps
which case is open, so two racing referrals collide and the loser retries against the
winner's case. A referral is taken in (受理) on arrival and may be returned (差し戻し) with a
reason before any plan is drafted.
"""
from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from kasane_contracts.vocabulary import HOST_KINDS, HOST_PROBLEM_KINDS, REFERRAL_RETURN_REASONS

from collaboration.domain.case_rules import (ENDINGS, check_decision, check_evaluation,
                                             is_new_outreach_plan_report)
from collaboration.domain.referrals import CaseReferrals
from collaboration.domain.rules import CaseRuleViolation, ReportRuleViolation, check_codes

ENDING_LABELS = {"closure": "終結の判断", "suspension": "中断の決定"}


class Case(CaseReferrals, Aggregate):
    """A case opened from a referral (つなぎ) by a consultation agency."""

    @event("Opened")
    def __init__(self, household_id: UUID, referral: dict, opened_at: datetime,
                 personal: dict | None = None):
        self.household_id = household_id
        self.opened_at = opened_at
        self.status = "open"
        self.referrals = [referral]
        self.returned: dict[str, str] = {}  # referral id -> reason code
        self.persons: dict[str, dict] = {}
        self._learn_persons(personal)
        self.draft_plan_id: UUID | None = None
        self.plan_in_force_id: UUID | None = None
        self.plan_ids: list[UUID] = []
        self.monitoring_dates: list[date] = []
        self.next_monitoring_on: date | None = None
        self.monitorings: list[dict] = []
        self.host_problems: list[dict] = []  # 受入先からの課題報告 (monitoring notes)
        self.outreach_plan_reports: list[dict] = []  # アウトリーチ等事業プランの報告
        self.carried_plans: list[dict] = []  # plans of cases joined into this one (統合)
        self.decisions: list[dict] = []
        self.pending_ending: dict | None = None
        self.ended: dict | None = None

    # -- referrals (つなぎの受理・差し戻し・統合) ---------------------------------------------

    def join_into(self, *, case_id: UUID, household_id: UUID, joined_at: datetime,
                  caseworker_id: str) -> None:
        """統合 — staff found this case's household to be that of `case_id` (same_person.py):
        this case ends, its referral goes on in that case."""
        self.check_open("join it to another case")
        if self.pending_ending is not None:
            raise CaseRuleViolation("a meeting decided to end this case (終結・中断): end it, "
                                    "then refer the household again if need be")
        self._joined_into(household_id=self.household_id, case_id=case_id,
                          into_household_id=household_id, joined_at=joined_at, caseworker_id=caseworker_id)

    @event("JoinedInto")
    def _joined_into(self, household_id: UUID, case_id: UUID, into_household_id: UUID,
                     joined_at: datetime, caseworker_id: str) -> None:
        self.status = "joined"
        self.ended = {"status": "joined", "at": joined_at, "into_case_id": str(case_id),
                      "into_household_id": str(into_household_id)}

    def accept_referral(self, referral: dict, joined_at: datetime, personal: dict | None = None,
                        from_case_id: str | None = None) -> bool:
        """Join a further referral; False (and nothing recorded) if it is already part of the case.
        `from_case_id`: the case it comes from (統合), where it was taken in and counted already."""
        if self.has_referral(referral["referral_id"]):
            return False
        self._referral_joined(household_id=self.household_id, referral=referral, joined_at=joined_at,
                              personal=personal, **({"from_case_id": from_case_id} if from_case_id else {}))
        return True

    @event("ReferralJoined")
    def _referral_joined(self, household_id: UUID, referral: dict, joined_at: datetime,
                         personal: dict | None = None, from_case_id: str | None = None) -> None:
        self.referrals.append(referral)
        self._learn_persons(personal)

    def carry_plan(self, *, from_case_id: UUID, plan: dict, personal: dict, joined_at: datetime) -> None:
        """統合で引き継いだプラン — a plan of the case joined into this one, kept in this case's
        history (its goals and roles for this case's next plan or review); nothing of it is in
        force here."""
        self._plan_carried(household_id=self.household_id, from_case_id=str(from_case_id),
                           plan=plan, joined_at=joined_at, personal=personal)

    @event("PlanCarried")
    def _plan_carried(self, household_id: UUID, from_case_id: str, plan: dict, joined_at: datetime,
                      personal: dict) -> None:
        self.carried_plans.append({**plan, "from_case_id": from_case_id, "joined_at": joined_at,
                                   "personal": personal})

    def return_referral(self, *, referral_id: str, reason: str, returned_at: datetime,
                        caseworker_id: str, note: str | None = None) -> None:
        """差し戻し — give a referral back to its agency with the reason."""
        self.check_open("return a referral")
        if self.plan_ids:
            raise CaseRuleViolation("a referral can be returned only before a plan is drafted for the case")
        check_codes("reason", [reason], REFERRAL_RETURN_REASONS, CaseRuleViolation)
        referral = self.referral(referral_id)
        if referral_id in self.returned:
            raise CaseRuleViolation("this referral was already returned")
        still_active = [r for r in self.active_referrals() if r["referral_id"] != referral_id]
        self._referral_returned(household_id=self.household_id, referral=referral, reason=reason,
                                returned_at=returned_at, caseworker_id=caseworker_id,
                                case_ends=not still_active, personal={"note": note})

    @event("ReferralReturned")
    def _referral_returned(self, household_id: UUID, referral: dict, reason: str,
                           returned_at: datetime, caseworker_id: str, case_ends: bool,
                           personal: dict) -> None:
        self.returned[referral["referral_id"]] = reason
        if case_ends:
            self.status = "returned"
            self.ended = {"ending": "returned", "at": returned_at}

    # -- the plan's life (プラン策定・判断・モニタリング・再プラン) ------------------------------

    def plan_drafted(self, plan_id: UUID, version: int, drafted_on: date) -> None:
        """プラン案 — a (re-)plan was drafted for the case."""
        self.check_open("draft a plan")
        if self.status == "monitoring":
            raise CaseRuleViolation(
                "a plan in force changes only by a re-plan: record a monitoring with a change "
                "of situation (状況変化) first")
        if self.draft_plan_id is not None:
            raise CaseRuleViolation("the case already has a draft plan: revise that draft")
        self._plan_drafted(plan_id=plan_id, version=version, drafted_on=drafted_on)

    @event("PlanDrafted")
    def _plan_drafted(self, plan_id: UUID, version: int, drafted_on: date) -> None:
        self.draft_plan_id = plan_id
        self.plan_ids.append(plan_id)
        if self.status == "open":
            self.status = "planning"

    def check_decision(self, decision: str) -> None:
        """Whether a meeting may take this decision on the case now (001 §1(5)イ(オ))."""
        self.check_open("take a meeting decision on it")
        check_decision(self.status, decision, has_draft=self.draft_plan_id is not None,
                       ending_decided=self.pending_ending is not None)

    def record_decision(self, *, meeting_id: UUID, held_on: date, decision: str,
                        evaluation: dict, monitoring_dates: list | None = None,
                        personal: dict | None = None, body: str = "multi_layered") -> None:
        """会議の判断 — what a 重層的支援会議 (or, without consent, a 支援会議: `body`) decided."""
        self.check_decision(decision)
        check_evaluation(decision, evaluation)
        self._decision_recorded(household_id=self.household_id, meeting_id=meeting_id,
                                held_on=held_on, decision=decision, evaluation=dict(evaluation),
                                plan_id=self.draft_plan_id,
                                monitoring_dates=list(monitoring_dates or []),
                                personal=personal or {}, body=body)

    @event("DecisionRecorded")
    def _decision_recorded(self, household_id: UUID, meeting_id: UUID, held_on: date,
                           decision: str, evaluation: dict, plan_id: UUID | None,
                           monitoring_dates: list, personal: dict,
                           body: str = "multi_layered") -> None:
        self.decisions.append({"meeting_id": meeting_id, "held_on": held_on, "decision": decision,
                               "evaluation": evaluation, "plan_id": plan_id, "body": body})
        if decision in ("plan_appropriate", "replan_agreed"):
            self.plan_in_force_id, self.draft_plan_id = plan_id, None
            self.status = "monitoring"
            self.monitoring_dates = sorted(monitoring_dates)
            self.next_monitoring_on = next((d for d in self.monitoring_dates if d >= held_on),
                                           self.monitoring_dates[-1] if self.monitoring_dates else None)
        elif decision in ENDINGS:
            self.pending_ending = {"decision": decision, "meeting_id": meeting_id,
                                   "held_on": held_on, **evaluation}

    def record_monitoring(self, *, monitored_on: date, situation_changed: bool,
                          next_monitoring_on: date | None, caseworker_id: str,
                          note: str | None = None) -> None:
        """モニタリング — check the plan in force; a change of situation opens a re-plan."""
        self.check_open("record a monitoring")
        if self.status != "monitoring":
            raise CaseRuleViolation("monitoring follows a plan in force")
        if next_monitoring_on is None and not situation_changed:
            next_monitoring_on = next((d for d in self.monitoring_dates if d > monitored_on), None)
        if next_monitoring_on is not None and next_monitoring_on <= monitored_on:
            raise CaseRuleViolation("the next monitoring date comes after this monitoring")
        self._monitored(household_id=self.household_id, monitored_on=monitored_on,
                        situation_changed=situation_changed, next_monitoring_on=next_monitoring_on,
                        caseworker_id=caseworker_id, personal={"note": note})

    @event("Monitored")
    def _monitored(self, household_id: UUID, monitored_on: date, situation_changed: bool,
                   next_monitoring_on: date | None, caseworker_id: str, personal: dict) -> None:
        self.monitorings.append({"monitored_on": monitored_on, "situation_changed": situation_changed,
                                 "caseworker_id": caseworker_id})
        self.next_monitoring_on = None if situation_changed else next_monitoring_on
        if situation_changed:
            self.status = "replanning"
        for problem in self.host_problems:  # a monitoring reviews the host problems reported before it
            if problem["reviewed_on"] is None and problem["reported_on"] <= monitored_on:
                problem["reviewed_on"] = monitored_on

    # -- 報告 (受入先からの課題報告・アウトリーチ等事業プランの報告) ------------------------------

    def note_host_problem(self, *, report: dict, personal: dict | None = None) -> bool:
        """受入先からの課題報告 — a host's problem about a person's participation, reported by the
        参加支援 instance that took the plan's role, kept as a monitoring note. It stays an open
        issue of the case until a monitoring on or after its date reviews it. False (and nothing
        recorded) when the report id is already noted."""
        if any(p["report_id"] == report["report_id"] for p in self.host_problems):
            return False
        check_codes("kind", [report["kind"]], HOST_PROBLEM_KINDS, ReportRuleViolation)
        check_codes("host.kind", [report["host"]["kind"]], HOST_KINDS, ReportRuleViolation)
        self._host_problem_noted(household_id=self.household_id, report=dict(report),
                                 personal=dict(personal or {}))
        return True

    @event("HostProblemNoted")
    def _host_problem_noted(self, household_id: UUID, report: dict, personal: dict) -> None:
        self.host_problems.append({**report, "personal": personal, "reviewed_on": None})

    def note_outreach_plan(self, *, report: dict) -> bool:
        """アウトリーチ等事業プランの報告 — the outreach plan answering one of this case's role
        requests was made, revised or closed. False (and nothing recorded) for a report already
        noted; a plan reported closed takes no further report."""
        if not is_new_outreach_plan_report(self.outreach_plan_reports, report):
            return False
        self._outreach_plan_reported(household_id=self.household_id, report=dict(report))
        return True

    @event("OutreachPlanReported")
    def _outreach_plan_reported(self, household_id: UUID, report: dict) -> None:
        self.outreach_plan_reports.append(report)

    # -- 終結・中断とつなぎ戻し -----------------------------------------------------------------

    def end(self, decision: str, *, ended_at: datetime, caseworker_id: str, hand_back: dict,
            personal: dict) -> None:
        """終結 (closure) or 中断 (suspension), as a meeting decided, then つなぎ戻し."""
        self.check_open("end it")
        if not self.pending_ending or self.pending_ending["decision"] != decision:
            raise CaseRuleViolation(
                f"a case ends only as a meeting (重層的支援会議 or 支援会議) decided: record its "
                f"{ENDING_LABELS[decision]} at a meeting first")
        event_method = self._closed if decision == "closure" else self._suspended
        event_method(household_id=self.household_id, decision=dict(self.pending_ending),
                     ended_at=ended_at, caseworker_id=caseworker_id, personal=personal)
        self._handed_back(household_id=self.household_id, ending=ENDINGS[decision],
                          issue_categories=self.issue_categories, handed_back_at=ended_at, **hand_back)

    @event("Closed")
    def _closed(self, household_id: UUID, decision: dict, ended_at: datetime, caseworker_id: str,
                personal: dict) -> None:
        self._ended("closed", ended_at)

    @event("Suspended")
    def _suspended(self, household_id: UUID, decision: dict, ended_at: datetime,
                   caseworker_id: str, personal: dict) -> None:
        self._ended("suspended", ended_at)

    def _ended(self, status: str, at: datetime) -> None:
        self.status, self.ended = status, {"ending": status, "at": at}
        self.next_monitoring_on = None

    @event("HandedBack")
    def _handed_back(self, household_id: UUID, hand_back_id: str, to_agency: dict,
                     to_instance: str, to_organisation: str, consultation_id: str | None,
                     ending: str, issue_categories: list, handed_back_at: datetime,
                     disclosure: dict, personal: dict) -> None:
        assert self.ended is not None  # the hand-back is published with the ending, after it
        self.ended["hand_back"] = {"hand_back_id": hand_back_id, "to_agency": to_agency,
                                   "to_instance": to_instance,
                                   "shared_person_ids": disclosure["person_ids"]}

    def resume(self, *, meeting_id: UUID, held_on: date, body: str, personal: dict) -> None:
        """再開 — contact came back: a meeting takes the suspended (中断) case up again."""
        if self.status != "suspended":
            raise CaseRuleViolation("only a suspended (中断) case is resumed (再開)")
        self._resumed(household_id=self.household_id, meeting_id=meeting_id, held_on=held_on,
                      body=body, personal=personal)

    @event("Resumed")
    def _resumed(self, household_id: UUID, meeting_id: UUID, held_on: date, body: str,
                 personal: dict) -> None:
        self.decisions.append({"meeting_id": meeting_id, "held_on": held_on, "body": body,
                               "decision": "resumption", "evaluation": {}, "plan_id": None})
        self.status = "monitoring" if self.plan_in_force_id else "planning" if self.plan_ids else "open"
        self.pending_ending = self.ended = None

    # -- helpers ------------------------------------------------------------------------------
