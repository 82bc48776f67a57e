"""The outreach application (アウトリーチ等を通じた継続的支援事業): one method per use case — leads
in (from a 多機関協働 role request or recorded here), stages, contacts, consent, つなぎ, the
アウトリーチ等事業プラン, area work, and the queries. Commands on a case that the inbox
consumer may also touch (a redelivered role request) retry on a version conflict.
"""
from __future__ import annotations

import logging
from datetime import date, datetime
from uuid import UUID, uuid4


from kasane import clock
from kasane.clock import japan_date, now
from kasane.plan_judgement import judging_instance
from kasane.store.business_line import BusinessLineApplication
from kasane.store.conflicts import retry_on_conflict
from kasane.store.trace import Trace
from kasane.store.unit_of_work import UnitOfWork

from outreach.domain.area import AreaWork
from outreach.domain.case import OutreachCase
from outreach.domain.plan import OutreachPlan
from outreach.domain.rules import AreaWorkRuleViolation
from outreach.incoming import new_lead
from outreach.views.counts import FiscalYearCounts
from outreach.views.report import report_tally
from outreach.views.leads import OpenLeads, lead_row, longest_silence_first
from outreach.views.records import case_record

log = logging.getLogger(__name__)

class OutreachApplication(BusinessLineApplication):
    def __init__(self, env: dict | None = None, *, agencies=(), collaboration_instance: str | None = None,
                 **where):
        super().__init__(env, **where)
        self.collaboration_instance = collaboration_instance  # judges plans with no role request
        # The agency a hand-over comes from when the command names none (KASANE_AGENCIES).
        self.agencies = [{"agency_id": a["agency_id"], "name": a["name"]} for a in agencies]
        self.leads = OpenLeads()
        self.follow(FiscalYearCounts(), report_tally(), self.leads)

    # -- 把握・段階・関わり ------------------------------------------------------------------------

    @retry_on_conflict
    def take_lead(self, trace: Trace, *, source: str, noticed_on: date, worker_id: str,
                  persons: list, household_id: UUID | None = None, address: str | None = None,
                  description: str | None = None, noticed: str | None = None,
                  source_detail: dict | None = None) -> dict:
        """把握 — who is concerned (maybe known only by address and description), what was
        noticed, where the lead came from."""
        persons = [{"person_id": str(uuid4()), **p} for p in persons] or [
            {"person_id": str(uuid4()), "name": None, "relation": "unknown"}]
        uow = UnitOfWork(self)
        case = new_lead(uow, f"lead/{uuid4()}", household_id=household_id, source=source,
                              lead=dict(source_detail or {}), noticed_on=noticed_on, taken_at=now(),
                              worker_id=worker_id,
                              personal={"persons": persons, "address": address,
                                        "description": description, "noticed": noticed})
        self.save_events(uow.take_events(trace))
        return {"case_id": str(case.id), "stage": case.stage,
                "person_ids": [p["person_id"] for p in persons]}

    @retry_on_conflict
    def change_stage(self, trace: Trace, *, case_id: UUID, to: str, changed_on: date,
                     worker_id: str) -> dict:
        case: OutreachCase = self.repository.get(case_id)
        case.change_stage(to=to, changed_on=changed_on, worker_id=worker_id)
        self.save_traced(case, trace=trace)
        return {"case_id": str(case_id), "stage": case.stage}

    @retry_on_conflict
    def record_contact(self, trace: Trace, *, case_id: UUID, **contact) -> dict:
        case: OutreachCase = self.repository.get(case_id)
        contact_id = str(uuid4())
        case.record_contact(contact_id=contact_id, **contact)
        self.save_traced(case, trace=trace)
        return {"case_id": str(case_id), "contact_id": contact_id, "stage": case.stage}

    @retry_on_conflict
    def close_case(self, trace: Trace, *, case_id: UUID, **closure) -> dict:
        """終了 — the outreach case ends, with its reason (つなぎ does not end it)."""
        case: OutreachCase = self.repository.get(case_id)
        case.close(**closure)
        self.save_traced(case, trace=trace)
        return {"case_id": str(case_id), "stage": case.stage, "closed": True,
                "reason": closure["reason"]}

    # -- 同意・つなぎ -------------------------------------------------------------------------------

    @retry_on_conflict
    def record_consent(self, trace: Trace, *, case_id: UUID, person_id: UUID, **consent) -> dict:
        case: OutreachCase = self.repository.get(case_id)
        consent_id = str(uuid4())
        case.record_consent(consent_id=consent_id, person_id=str(person_id), **consent)
        self.save_traced(case, trace=trace)
        return {"case_id": str(case_id), "consent_id": consent_id, "stage": case.stage}

    @retry_on_conflict
    def withdraw_consent(self, trace: Trace, *, case_id: UUID, consent_id: UUID, worker_id: str,
                         withdrawn_at: datetime | None = None) -> dict:
        case: OutreachCase = self.repository.get(case_id)
        case.withdraw_consent(consent_id=str(consent_id), withdrawn_at=withdrawn_at or now(),
                              worker_id=worker_id)
        self.save_traced(case, trace=trace)
        return {"case_id": str(case_id), "stage": case.stage}

    @retry_on_conflict
    def connect_to_consultation(self, trace: Trace, *, case_id: UUID, to: dict,
                                issue_categories: list, worker_id: str, urgency: str = "normal",
                                summary: str | None = None,
                                connected_at: datetime | None = None) -> dict:
        self.directory.require_known(agencies={"to.agency.agency_id": to["agency"]["agency_id"]})
        case: OutreachCase = self.repository.get(case_id)
        connection_id = str(uuid4())
        case.connect_to_consultation(connection_id=connection_id, to=to,
                                     issue_categories=issue_categories, urgency=urgency,
                                     connected_at=connected_at or now(), worker_id=worker_id,
                                     summary=summary)
        self.save_traced(case, trace=trace)
        return {"case_id": str(case_id), "connection_id": connection_id, "stage": case.stage,
                "connected_to": to["instance"]}

    @retry_on_conflict
    def hand_over(self, trace: Trace, *, case_id: UUID, to_service: str, to: dict,
                  issue_categories: list, worker_id: str, reasons: list = ("compound_issues",),
                  urgency: str = "normal", from_agency: dict | None = None,
                  summary: str | None = None, handed_over_at: datetime | None = None) -> dict:
        """引き継ぎ — to a consultation desk or to 多機関協働, under consent or a 支援会議 decision."""
        self.directory.require_known(agencies={"to.agency.agency_id": (to.get("agency") or {}).get("agency_id")})
        case: OutreachCase = self.repository.get(case_id)
        handover_id, moment = str(uuid4()), handed_over_at or now()
        case.hand_over(handover_id=handover_id, to_service=to_service, to=to,
                       from_agency=from_agency or self.own_agency(), issue_categories=issue_categories,
                       reasons=list(reasons), urgency=urgency, handed_over_at=moment,
                       on=japan_date(moment), worker_id=worker_id, summary=summary)
        self.save_traced(case, trace=trace)
        return {"case_id": str(case_id), "handover_id": handover_id, "stage": case.stage,
                "handed_over_to": to["instance"], "basis": case.connections[-1]["basis"]}

    def own_agency(self) -> dict:
        if self.agencies:
            return self.agencies[0]
        return {"agency_id": self.instance, "name": self.organisation}

    # -- アウトリーチ等事業プラン ------------------------------------------------------------------

    @retry_on_conflict
    def make_plan(self, trace: Trace, *, case_id: UUID, made_on: date, worker_id: str,
                  goals: list, review_dates: list, approach: str | None = None) -> dict:
        case: OutreachCase = self.repository.get(case_id)
        request = case.lead if case.source == "collaboration_role" else None
        judged = self.directory.plans_judged_at_meeting("outreach")
        plan = OutreachPlan.make(
            case_id=case.id, household_id=case.household_id, made_on=made_on, worker_id=worker_id,
            goals=goals, approach=approach, review_dates=review_dates, judged=judged,
            report_to={k: request[k] for k in ("request_id", "collaboration_case_id", "origin_instance")}
            if request else None)
        if judged:
            self._propose(case, plan, made_on, worker_id)
        case.plan_made(plan.id)
        self.save_traced(case, plan, trace=trace)
        return {"plan_id": str(plan.id), "case_id": str(case_id), "status": plan.status}

    def revise_plan(self, trace: Trace, *, plan_id: UUID, **revision) -> dict:
        """見直し — proposed again to a 重層的支援会議 where the city's profile says so."""
        plan: OutreachPlan = self.repository.get(plan_id)
        judged = self.directory.plans_judged_at_meeting("outreach")
        plan.revise(**revision, judged=judged)
        if judged:
            self._propose(self.repository.get(plan.case_id), plan, revision["revised_on"], revision["worker_id"])
        self.save_traced(plan, trace=trace)
        return {"plan_id": str(plan_id), "revision": plan.revision, "status": plan.status}

    def _propose(self, case: OutreachCase, plan: OutreachPlan, on: date, worker_id: str) -> None:
        """提出 — to the 多機関協働 instance that judges it; the goals only under the person's consent
        naming its organisation (as the directory's registry knows it) or 多機関協働 as a purpose."""
        to_instance = judging_instance(plan.report_to, self.collaboration_instance)
        organisation = self.directory.organisation_of(to_instance) or ""
        plan.propose(to_instance=to_instance, proposed_on=on, worker_id=worker_id,
                     share_personal=case.consent_covering(organisation, "collaboration") is not None)

    def close_plan(self, trace: Trace, *, plan_id: UUID, **closing) -> dict:
        plan: OutreachPlan = self.repository.get(plan_id)
        plan.close(**closing)
        self.save_traced(plan, trace=trace)
        return {"plan_id": str(plan_id), "status": plan.status}

    # -- 地域での取組 -------------------------------------------------------------------------------

    def record_area_work(self, trace: Trace, **work) -> dict:
        """地域での取組 — in an area of the city's directory, once this instance's copy holds it."""
        self.directory.require_known(areas={"area": work.get("area")})
        if work.get("source_work_id"):
            self.repository.get(UUID(str(work["source_work_id"])))  # follows up a known record
            work["source_work_id"] = str(work["source_work_id"])
        if work.get("case_id"):  # 追跡調査 of a case of this instance
            case = self.repository.get(UUID(str(work["case_id"])))
            if not isinstance(case, OutreachCase):
                raise AreaWorkRuleViolation("the 追跡調査 names no outreach case of this instance")
            work["case_id"] = str(work["case_id"])
        record = AreaWork.record(**work)
        self.save_traced(record, trace=trace)
        return {"work_id": str(record.id), "kind": record.kind}

    def record_survey_returns(self, trace: Trace, *, work_id: UUID, **returns) -> dict:
        survey: AreaWork = self.repository.get(work_id)
        survey.record_survey_returns(**returns)
        self.save_traced(survey, trace=trace)
        return {"work_id": str(work_id), **survey.returns}

    # -- 照会 ---------------------------------------------------------------------------------

    def case(self, case_id: UUID) -> dict:
        """ケース記録 — the case with its persons, contacts, consents, plan."""
        case: OutreachCase = self.repository.get(case_id)
        plan = self.find(case.plan_id) if case.plan_id else None
        return case_record(case, plan)

    def open_leads(self, today: date | None = None) -> dict:
        """把握している人の一覧 — by stage and last contact, longest silence first."""
        today = today or clock.today()
        rows = [lead_row(case, today) for case in self.listed(self.leads.open_ids)]
        return {"today": today.isoformat(), "leads": longest_silence_first(rows)}
