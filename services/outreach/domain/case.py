"""アウトリーチのケース — one person (or household) outreach tries to reach, from the lead
through つなぎ to its closure (issue 8; seed 004 §5(3), 000 §5, 001 §1(4)). A lead says who is
concerned (often without consent yet), what was noticed and where. Contacts and visits are
recorded with their day and outcome, before and after つなぎ (つながり続ける支援, 002 §3 I(3)); the
relationship moves through the stages of stages.py. Only a consent in force, recorded by the
worker who obtained it, lets the person be connected with their details (DOMAIN.md §4); the
case ends only by an explicit closure with its reason. Personal details sit in `personal`.
"""
from __future__ import annotations

from datetime import date, datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from kasane_contracts.vocabulary import (OUTREACH_CLOSURE_REASONS, PLAN_ENDINGS,
                                         SUPPORT_MEETING_ROLES, OUTREACH_LEAD_SOURCES)

from outreach.domain.rules import (CaseClosed, ConsentRequired, HandBackRuleViolation,
                                   OutreachRuleViolation, check_codes, sharing_basis)
from outreach.domain.contacts import check_consent, check_contact, met_the_person
from outreach.domain.handover import check_hand_over, handover_ground
from outreach.domain.stages import AFTER_HAND_BACK, CONTACTED, check_stage_change, rank

CASE_NAMESPACE = uuid5(NAMESPACE_URL, "https://kasane.example/outreach/cases")
CONNECTION = "connection"  # the consent purpose 他の相談支援機関へのつなぎ


class OutreachCase(Aggregate):
    """把握から つなぎ まで — one outreach case."""

    @staticmethod
    def create_id(lead_key: str) -> UUID:
        # A role request's case id follows from the request id: a redelivered request finds it.
        return uuid5(CASE_NAMESPACE, lead_key)

    @event("LeadTaken")
    def __init__(self, lead_key: str, household_id: UUID | None, source: str, lead: dict,
                 noticed_on: date, taken_at: datetime, worker_id: str, personal: dict):
        check_codes("source", [source], OUTREACH_LEAD_SOURCES)
        self.household_id, self.source, self.lead = household_id, source, lead
        self.noticed_on, self.taken_at, self.worker_id = noticed_on, taken_at, worker_id
        self.persons: dict[str, dict] = {p["person_id"]: p for p in personal.get("persons") or []}
        self.personal = personal
        self.stage = "identified"
        self.contacts: list[dict] = []
        self.consents: dict[str, dict] = {}
        self.connections: list[dict] = []
        self.plan_id: UUID | None = None
        self.decisions: list[dict] = []  # 支援会議の決定 this instance received for the household
        self.hand_backs: list[dict] = []  # 多機関協働からのつなぎ戻し, oldest first
        self.ended = False

    # -- 段階 ---------------------------------------------------------------------------------

    def change_stage(self, *, to: str, changed_on: date, worker_id: str) -> None:
        self._check_open()
        check_stage_change(self.stage, to)
        self._stage_changed(household_id=self.household_id, stage=to, changed_on=changed_on,
                            worker_id=worker_id)

    @event("StageChanged")
    def _stage_changed(self, household_id, stage: str, changed_on: date, worker_id: str) -> None:
        self.stage = stage

    # -- 関わり (訪問・連絡) ---------------------------------------------------------------------

    def record_contact(self, *, contact_id: str, contacted_on: date, mode: str, with_whom: str,
                       outcome: str, worker_id: str, note: str | None = None) -> None:
        """直接的・間接的な関わり — one visit, call, letter or talk, with its day and outcome."""
        self._check_open()
        check_contact(mode, with_whom, outcome, contacted_on=contacted_on, noticed_on=self.noticed_on)
        self._contact_recorded(household_id=self.household_id, contact_id=contact_id,
                               contacted_on=contacted_on, mode=mode, with_whom=with_whom,
                               outcome=outcome, worker_id=worker_id, personal={"note": note})

    @event("ContactRecorded")
    def _contact_recorded(self, household_id, contact_id: str, contacted_on: date, mode: str,
                          with_whom: str, outcome: str, worker_id: str, personal: dict) -> None:
        contact = {"contact_id": contact_id, "contacted_on": contacted_on, "mode": mode,
                   "with_whom": with_whom, "outcome": outcome, "worker_id": worker_id}
        self.contacts.append(contact)
        if self.met_the_person(contact) and rank(self.stage) < rank(CONTACTED):
            self.stage = CONTACTED  # meeting the person is 接触, whatever was planned

    met_the_person = staticmethod(met_the_person)

    @property
    def last_contact_on(self) -> date | None:
        return max((c["contacted_on"] for c in self.contacts), default=None)

    # -- 本人同意 -------------------------------------------------------------------------------

    def record_consent(self, *, consent_id: str, person_id: str, given_by: str, method: str,
                       organisations: list, purposes: list, given_at: datetime,
                       worker_id: str) -> None:
        """同意取得 — the person (or a representative) consented, to whom and for what."""
        self._check_open()
        check_consent(self.persons, self.contacts, person_id=person_id, given_by=given_by,
                      method=method, organisations=organisations, purposes=purposes)
        self._consent_obtained(household_id=self.household_id, consent_id=consent_id,
                               person_id=person_id, given_by=given_by, method=method,
                               organisations=list(organisations), purposes=list(purposes),
                               given_at=given_at, worker_id=worker_id)

    @event("ConsentObtained")
    def _consent_obtained(self, household_id, consent_id: str, person_id: str, given_by: str,
                          method: str, organisations: list, purposes: list, given_at: datetime,
                          worker_id: str) -> None:
        self.consents[consent_id] = {"consent_id": consent_id, "person_id": person_id,
                                     "given_by": given_by, "method": method,
                                     "organisations": organisations, "purposes": purposes,
                                     "given_at": given_at, "withdrawn_at": None}
        self.stage = "consent_obtained"

    def withdraw_consent(self, *, consent_id: str, withdrawn_at: datetime, worker_id: str) -> None:
        """同意の撤回 — from now on nothing is shared under it; the relationship goes on."""
        consent = self.consents.get(consent_id)
        if consent is None or consent["withdrawn_at"] is not None:
            raise OutreachRuleViolation("only a consent in force of this case is withdrawn")
        self._consent_withdrawn(household_id=self.household_id, consent_id=consent_id,
                                person_id=consent["person_id"], withdrawn_at=withdrawn_at,
                                worker_id=worker_id)

    @event("ConsentWithdrawn")
    def _consent_withdrawn(self, household_id, consent_id: str, person_id: str,
                           withdrawn_at: datetime, worker_id: str) -> None:
        self.consents[consent_id]["withdrawn_at"] = withdrawn_at
        if self.stage == "consent_obtained" and not self.consents_in_force():
            self.stage = "building_relationship"

    def consents_in_force(self) -> list[dict]:
        return [c for c in self.consents.values() if c["withdrawn_at"] is None]

    def consent_covering(self, organisation: str, purpose: str) -> dict | None:
        """The person's unwithdrawn consent naming the organisation or the purpose, or None."""
        for consent in self.consents_in_force():
            if organisation in consent["organisations"] or purpose in consent["purposes"]:
                return consent
        return None

    # -- つなぎ ---------------------------------------------------------------------------------

    def connect_to_consultation(self, *, connection_id: str, to: dict, issue_categories: list,
                                urgency: str, connected_at: datetime, worker_id: str,
                                summary: str | None = None) -> None:
        """つなぎ — the consenting person is connected to a consultation agency's instance,
        with their details. Without a consent in force covering that organisation (or つなぎ),
        nothing is sent: the person's details stay here (DOMAIN.md §4)."""
        self._check_open()
        consent = self.consent_covering(to["organisation"], CONNECTION)
        if consent is None:
            raise ConsentRequired("a person is connected only under their unwithdrawn consent "
                                  "naming the receiving organisation or つなぎ (本人同意)")
        person = self.persons[consent["person_id"]]
        self._connected(household_id=self.household_id, connection_id=connection_id,
                        to=dict(to), issue_categories=list(issue_categories), urgency=urgency,
                        consent={k: consent[k] for k in ("consent_id", "given_by", "method", "given_at")},
                        connected_at=connected_at, worker_id=worker_id,
                        personal={"persons": [person], "summary": summary})

    @event("Connected")
    def _connected(self, household_id, connection_id: str, to: dict, issue_categories: list,
                   urgency: str, consent: dict, connected_at: datetime, worker_id: str,
                   personal: dict) -> None:
        self.connections.append({"connection_id": connection_id, "to": to,
                                 "connected_at": connected_at})
        self.stage = "connected"  # つながり続ける支援: the case goes on until it is closed

    # -- 支援会議の決定・引き継ぎ (issue 8) -------------------------------------------------------

    def record_support_meeting_decision(self, *, decision: dict) -> bool:
        """支援会議の決定 — a 支援会議 of which this organisation is a member decided about the
        household: this instance's role, and whether (and until when) the members may share
        what they know of it. False (nothing recorded) for a decision already recorded."""
        if any(d["decision_id"] == decision["decision_id"] for d in self.decisions):
            return False
        self._check_open()
        if decision["role"] is not None:
            check_codes("role", [decision["role"]], SUPPORT_MEETING_ROLES)
        if decision["sharing_allowed"] and not decision.get("sharing_until"):
            raise OutreachRuleViolation("a 支援会議 allows sharing until a date")
        self._decision_recorded(household_id=self.household_id, decision=dict(decision))
        return True

    @event("SupportMeetingDecisionRecorded")
    def _decision_recorded(self, household_id, decision: dict) -> None:
        self.decisions.append(decision)

    def sharing_basis(self, organisation: str, purpose: str, on: date) -> dict | None:
        """共有の根拠 — may this case's personal details go to `organisation` on `on`?
        The person's consent in force (naming it or the purpose), else a 支援会議 decision in
        force naming it as a member; None: only pseudonymous facts may go (DOMAIN.md §4)."""
        return sharing_basis(self.consent_covering(organisation, purpose), self.decisions,
                             organisation, on)

    def hand_over(self, *, handover_id: str, to_service: str, to: dict, from_agency: dict,
                  issue_categories: list, reasons: list, urgency: str, handed_over_at: datetime,
                  on: date, worker_id: str, summary: str | None = None) -> None:
        """引き継ぎ — the person goes to a consultation desk or to 多機関協働 with their
        details, under their consent or under a 支援会議 decision naming the receiver as a
        member. Otherwise nothing is sent (ConsentRequired): the details stay here."""
        self._check_open()
        check_hand_over(to_service, issue_categories, reasons, household_known=self.household_id is not None)
        purpose = "connection" if to_service == "consultation" else "collaboration"
        persons, ground = handover_ground(self.sharing_basis(to["organisation"], purpose, on), self.persons)
        self._handed_over(household_id=self.household_id, handover_id=handover_id,
                          to_service=to_service, to=dict(to), from_agency=dict(from_agency),
                          issue_categories=list(issue_categories), reasons=list(reasons),
                          urgency=urgency, basis=ground, handed_over_at=handed_over_at,
                          worker_id=worker_id, personal={"persons": persons, "summary": summary})

    @event("HandedOver")
    def _handed_over(self, household_id, handover_id: str, to_service: str, to: dict,
                     from_agency: dict, issue_categories: list, reasons: list, urgency: str,
                     basis: dict, handed_over_at: datetime, worker_id: str, personal: dict) -> None:
        self.connections.append({"connection_id": handover_id, "to": to, "to_service": to_service,
                                 "basis": basis["kind"], "connected_at": handed_over_at})
        self.stage = "connected"  # the case goes on (見守り) until it is closed

    # -- 多機関協働からのつなぎ戻し ---------------------------------------------------------------

    def receive_hand_back(self, *, hand_back_id: str, household_id: UUID, collaboration_case_id: str,
                          ending: str, issue_categories: list, handed_back_at: datetime,
                          from_instance: str, from_organisation: str, to_agency: dict,
                          personal: dict | None) -> bool:
        """つなぎ戻し — 多機関協働 ended its case (終結 or 中断) and hands the household back to this
        case, which handed the person over to it. The case opens again as a follow-up (追跡) and
        returns from つなぎ to 関係構築 (stages.py explains why; seeds 004 §5(3), 001 §1(4)オ).
        The persons the message carried (only as far as the household's consent let 多機関協働
        share them) join the case's persons; the plan's summary stays in the personal part.
        False (nothing recorded) for a hand-back already recorded."""
        if any(h["hand_back_id"] == hand_back_id for h in self.hand_backs):
            return False
        check_codes("ending", [ending], PLAN_ENDINGS, HandBackRuleViolation)
        if household_id != self.household_id:
            raise HandBackRuleViolation("the hand-back is about another household than the case it names")
        if not any(c.get("to_service") == "collaboration" for c in self.connections):
            raise HandBackRuleViolation("only a case handed over to 多機関協働 is handed back from it")
        self._hand_back_received(
            household_id=self.household_id,
            hand_back={"hand_back_id": hand_back_id, "collaboration_case_id": collaboration_case_id,
                       "ending": ending, "issue_categories": list(issue_categories),
                       "handed_back_at": handed_back_at, "from_instance": from_instance,
                       "from_organisation": from_organisation, "to_agency": dict(to_agency),
                       "with_personal_details": bool(personal)},
            personal=dict(personal or {}))
        return True

    @event("HandBackReceived")
    def _hand_back_received(self, household_id, hand_back: dict, personal: dict) -> None:
        self.hand_backs.append(hand_back)
        if personal:  # new dicts: the event's own values are never changed in place
            self.persons = {**self.persons, **{
                p["person_id"]: {**self.persons.get(p["person_id"], {}), **p}
                for p in personal.get("persons") or []}}
            summaries = {**self.personal.get("hand_back_summaries", {}),
                         hand_back["hand_back_id"]: personal.get("plan_summary")}
            self.personal = {**self.personal, "persons": list(self.persons.values()),
                             "hand_back_summaries": summaries}
        if self.stage == "connected":
            self.stage = AFTER_HAND_BACK
        self.ended = False

    @property
    def returned_from_collaboration(self) -> dict | None:
        """The latest つなぎ戻し while the case is open again after it (a follow-up), else None."""
        return self.hand_backs[-1] if self.hand_backs and not self.ended else None

    # -- プラン ---------------------------------------------------------------------------------

    def plan_made(self, plan_id: UUID) -> None:
        self._check_open()
        if self.plan_id is not None:
            raise OutreachRuleViolation("a case has one アウトリーチ等事業プラン; revise it instead")
        self._plan_made(household_id=self.household_id, plan_id=plan_id)

    @event("PlanMade")
    def _plan_made(self, household_id, plan_id: UUID) -> None:
        self.plan_id = plan_id

    def close(self, *, reason: str, closed_on: date, worker_id: str, note: str | None = None) -> None:
        """終了 — the case ends only by this explicit closure, with its reason (本人の拒否が明確,
        転居, 死亡, 支援機関へ移行し見守り終了 …): つなぎ does not end it (002 §3 I(3), 004 §5(3))."""
        self._check_open()
        check_codes("reason", [reason], OUTREACH_CLOSURE_REASONS)
        if closed_on < self.noticed_on:
            raise OutreachRuleViolation("a case is closed on or after the day it was noticed")
        self._closed(household_id=self.household_id, reason=reason, closed_on=closed_on,
                     worker_id=worker_id, personal={"note": note})

    @event("Closed")
    def _closed(self, household_id, reason: str, closed_on: date, worker_id: str,
                personal: dict) -> None:
        self.ended, self.closure = True, {"reason": reason, "closed_on": closed_on}

    def _check_open(self) -> None:
        if self.ended:
            raise CaseClosed("the case was closed (終了): nothing more is recorded on it")
