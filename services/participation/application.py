"""The participation application (参加支援事業): one method per use case — requests in (from a
多機関協働 plan role or a consultation agency), needs and plan, the host menu and its
development (開拓), matching with ranked proposals, sessions, follow-up, the host's problem
reports, and the queries and fiscal-year counts of seed 004 §5(4). Commands that may race
the inbox consumer, or each other on a host's capacity, retry on a version conflict.

名簿の写し: where a caseworker names an area (a host's) or another agency (the consultation
agency that sends a request), the instance's copy of the city's directory
(kasane.directory_copy) is asked first. Once the copy knows the city, an unknown area id, or an
agency that is unknown or withdrawn, is refused with InvalidCommand and nothing is stored;
while the copy is empty (no directory in this deployment yet) the command is accepted as before.
"""
from __future__ import annotations

from datetime import date, datetime
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError

from kasane.clock import now
from kasane.jsonable import jsonable
from kasane.plan_judgement import judging_instance
from kasane.store.business_line import BusinessLineApplication
from kasane_contracts.vocabulary import FOLLOW_UP_WITH
from kasane.store.conflicts import retry_on_conflict
from kasane.store.trace import Trace

from participation.domain.development import ExperienceDay
from participation.domain.host import Host
from participation.domain.consent import WithdrawnConsents
from participation.domain.match import Match
from participation.domain.matching import propose
from participation.domain.rules import HostRuleViolation
from participation.domain.support import ParticipationSupport
from participation.views.counts import FiscalYearCounts
from participation.views.report import report_tally
from participation.views.menu import Index
from participation.views.records import host_view, match_view, support_row, support_view, target_view

class ParticipationApplication(BusinessLineApplication):
    def __init__(self, env: dict | None = None, *, collaboration_instance: str | None = None, **where):
        super().__init__(env, **where)
        self.collaboration_instance = collaboration_instance  # judges plans with no role request
        self.index = Index()
        self.follow(FiscalYearCounts(), report_tally(), self.index)

    # -- 依頼・ニーズ・プラン -------------------------------------------------------------------

    def receive_request(self, trace: Trace, *, household_id: UUID, agency: dict, consent: dict | None,
                        caseworker_id: str, persons: list = (), summary: str | None = None,
                        request_id: UUID | None = None, received_at: datetime | None = None) -> dict:
        """相談支援機関からの依頼 — with the person's consent."""
        request_id = str(request_id or uuid4())
        known = self.find(ParticipationSupport.create_id(request_id))
        if known is not None:  # the same request sent again (e.g. a retried RPC): already taken in
            return {"support_id": str(known.id), "status": known.status}
        self.directory.require_known(agencies={"agency.agency_id": agency.get("agency_id")})
        support = ParticipationSupport.receive(
            household_id=household_id, source="consultation_agency", source_request_id=request_id,
            received_at=received_at or now(),
            request={"request_id": request_id, "agency": agency, "caseworker_id": caseworker_id,
                     "consent": jsonable(consent) if consent else None},
            personal={"persons": jsonable(list(persons)), "summary": summary})
        self.save_traced(support, trace=trace)
        return {"support_id": str(support.id), "status": support.status}

    @retry_on_conflict
    def assess_needs(self, trace: Trace, *, support_id: UUID, assessed_on: date,
                     caseworker_id: str, needs: dict) -> dict:
        support: ParticipationSupport = self.repository.get(support_id)
        support.assess_needs(assessed_on=assessed_on, caseworker_id=caseworker_id, needs=needs)
        self.save_traced(support, trace=trace)
        return {"support_id": str(support_id), "status": support.status}

    @retry_on_conflict
    def make_plan(self, trace: Trace, *, support_id: UUID, made_on: date, caseworker_id: str,
                  goals: list, review_dates: list, note: str | None = None) -> dict:
        """参加支援事業プラン — proposed to a 重層的支援会議 where the city's profile says so."""
        support: ParticipationSupport = self.repository.get(support_id)
        judged = self.directory.plans_judged_at_meeting("participation")
        support.make_plan(made_on=made_on, caseworker_id=caseworker_id, goals=goals,
                          review_dates=review_dates, note=note, judged=judged)
        if judged:
            support.propose_plan(to_instance=judging_instance(support.request, self.collaboration_instance),
                                 proposed_on=made_on, caseworker_id=caseworker_id,
                                 share_personal=self._under_consent(support))
        self.save_traced(support, trace=trace)
        return {"support_id": str(support_id), "plan_version": support.plans_made,
                "status": support.status}

    @retry_on_conflict
    def register_work_experience(self, trace: Trace, *, support_id: UUID, registered_on: date,
                                 caseworker_id: str) -> dict:
        support: ParticipationSupport = self.repository.get(support_id)
        support.register_work_experience(registered_on=registered_on, caseworker_id=caseworker_id)
        self.save_traced(support, trace=trace)
        return {"support_id": str(support_id), "registered_on": registered_on.isoformat()}

    @retry_on_conflict
    def close_support(self, trace: Trace, *, support_id: UUID, closed_on: date,
                      caseworker_id: str, summary: str | None = None) -> dict:
        support: ParticipationSupport = self.repository.get(support_id)
        support.close(closed_on=closed_on, caseworker_id=caseworker_id, summary=summary)
        self.save_traced(support, trace=trace)
        return {"support_id": str(support_id), "status": support.status}

    # -- 受入先と開拓 --------------------------------------------------------------------------

    @retry_on_conflict
    def register_host(self, trace: Trace, *, registered_on: date, caseworker_id: str,
                      development_target_id: UUID | None = None, **host) -> dict:
        """受入先の登録 — newly developed (開拓: day and who) or an existing resource."""
        self.directory.require_known(areas={"area": host.get("area")})
        target = None
        if development_target_id is not None:
            target = self.find(development_target_id)
            if target is None:
                raise HostRuleViolation("the development target named is not known here")
        new = Host.register(registered_on=registered_on, registered_by=caseworker_id,
                            development_target_id=str(development_target_id) if target else None,
                            **host)
        if target is not None:
            target.met_by_host(new.id)
        self.save_traced(new, target, trace=trace)
        return {"host_id": str(new.id), "newly_developed": new.newly_developed}

    def hold_experience_day(self, trace: Trace, *, held_on: date, host_ids: list, kind: str,
                            participants: int, caseworker_id: str) -> dict:
        """職場見学・職場体験会の開催."""
        for host_id in host_ids:
            if self.find(host_id) is None:
                raise HostRuleViolation("every host of a 職場見学・職場体験会 is in the resource menu")
        day = ExperienceDay(held_on=held_on, host_ids=[str(h) for h in host_ids], kind=kind,
                            participants=participants, recorded_by=caseworker_id)
        self.save_traced(day, trace=trace)
        return {"experience_day_id": str(day.id)}

    # -- マッチング ----------------------------------------------------------------------------

    def propose_hosts(self, support_id: UUID) -> dict:
        """マッチング候補 — hosts that fit the needs and area, ranked, each with its reasons."""
        support: ParticipationSupport = self.repository.get(support_id)
        support.check_can_match()
        return {"support_id": str(support_id), "household_id": str(support.household_id),
                "candidates": propose(support.needs, self._hosts())}

    @retry_on_conflict
    def match(self, trace: Trace, *, support_id: UUID, host_id: UUID, offer: str, matched_on: date,
              caseworker_id: str, reason: str | None = None) -> dict:
        """マッチング — record the match; the host's place is taken in the same transaction."""
        support: ParticipationSupport = self.repository.get(support_id)
        support.check_can_match()
        host: Host = self.repository.get(host_id)
        ranked = propose(support.needs, self._hosts())
        ranking = next(({"rank": i + 1, "of": len(ranked), "score": c["score"], "reasons": c["reasons"]}
                        for i, c in enumerate(ranked) if c["host_id"] == str(host_id)), None)
        new = Match(support_id=support.id, household_id=support.household_id, host_id=host.id,
                    host_kind=host.kind, offer=offer, matched_on=matched_on,
                    caseworker_id=caseworker_id, ranking=ranking or {"rank": None},
                    personal={"reason": reason})
        host.place(new.id, offer)
        support.match_recorded(match_id=new.id, host_id=host.id)
        self.save_traced(new, host, support, trace=trace)
        return {"match_id": str(new.id), "ranking": ranking}

    @retry_on_conflict
    def start_match(self, trace: Trace, *, match_id: UUID, started_on: date, caseworker_id: str) -> dict:
        match: Match = self.repository.get(match_id)
        match.start(started_on=started_on, caseworker_id=caseworker_id)
        self.save_traced(match, trace=trace)
        return {"match_id": str(match_id), "started_on": started_on.isoformat()}

    @retry_on_conflict
    def record_session(self, trace: Trace, *, match_id: UUID, attended_on: date,
                       caseworker_id: str, note: str | None = None) -> dict:
        match: Match = self.repository.get(match_id)
        match.attend(attended_on=attended_on, caseworker_id=caseworker_id, note=note)
        self.save_traced(match, trace=trace)
        return {"match_id": str(match_id), "sessions": len(match.sessions)}

    @retry_on_conflict
    def end_match(self, trace: Trace, *, match_id: UUID, ended_on: date, reason: str,
                  caseworker_id: str, note: str | None = None) -> dict:
        """終了 — with its reason; the host's place is freed and the support learns it."""
        match: Match = self.repository.get(match_id)
        match.end(ended_on=ended_on, reason=reason, caseworker_id=caseworker_id, note=note)
        host: Host = self.repository.get(match.host_id)
        host.release(match.id)
        support: ParticipationSupport = self.repository.get(match.support_id)
        support.match_ended(match.id)
        self.save_traced(match, host, support, trace=trace)
        return {"match_id": str(match_id), "ended_on": ended_on.isoformat(), "reason": reason}

    # -- フォローアップ ------------------------------------------------------------------------

    @retry_on_conflict
    def schedule_follow_up(self, trace: Trace, *, match_id: UUID, with_whom: str, due_on: date,
                           caseworker_id: str) -> dict:
        match: Match = self.repository.get(match_id)
        follow_up_id = str(uuid4())
        match.schedule_follow_up(follow_up_id=follow_up_id, with_whom=with_whom, due_on=due_on,
                                 caseworker_id=caseworker_id)
        self.save_traced(match, trace=trace)
        return {"match_id": str(match_id), "follow_up_id": follow_up_id}

    @retry_on_conflict
    def record_follow_up(self, trace: Trace, *, match_id: UUID, follow_up_id: UUID, done_on: date,
                         caseworker_id: str, note: str | None = None) -> dict:
        match: Match = self.repository.get(match_id)
        match.record_follow_up(follow_up_id=str(follow_up_id), done_on=done_on,
                               caseworker_id=caseworker_id, note=note)
        self.save_traced(match, trace=trace)
        return {"match_id": str(match_id), "follow_up_id": str(follow_up_id)}

    def _under_consent(self, support: ParticipationSupport) -> bool:
        """What is about the person goes to 多機関協働 only when the role request itself came under
        a consent covering this organisation (its consent_ids were not empty) and none of those
        consents has been withdrawn since."""
        consent_ids = support.request.get("consent_ids") or []
        withdrawn = self._find_withdrawn(support.household_id)
        return bool(consent_ids) and not (withdrawn and withdrawn.any_of(consent_ids))

    @retry_on_conflict
    def report_host_problem(self, trace: Trace, *, match_id: UUID, kind: str, reported_on: date,
                            caseworker_id: str, description: str | None = None) -> dict:
        """受入先からの課題 — recorded, and sent to the plan's owner when a 多機関協働 plan asked."""
        match: Match = self.repository.get(match_id)
        support: ParticipationSupport = self.repository.get(match.support_id)
        host: Host = self.repository.get(match.host_id)
        report_id = str(uuid4())
        match.report_host_problem(
            report_id=report_id, kind=kind, reported_on=reported_on, reported_at=now(),
            caseworker_id=caseworker_id, plan_owner=support.plan_owner,
            source_request={k: support.request.get(k) for k in ("request_id", "case_id", "plan_id", "role_id")},
            host={"host_id": str(host.id), "name": host.name, "kind": host.kind},
            description=description,
            share_personal=self._under_consent(support))
        self.save_traced(match, trace=trace)
        return {"match_id": str(match_id), "report_id": report_id, "sent_to": support.plan_owner}

    def _find_withdrawn(self, household_id) -> WithdrawnConsents | None:
        try:
            return self.repository.get(WithdrawnConsents.create_id(household_id))
        except AggregateNotFoundError:
            return None

    # -- queries ------------------------------------------------------------------------------

    def support(self, support_id: UUID) -> dict:
        """参加支援の記録 — the support with its needs, plan and matches (personal: a read)."""
        support: ParticipationSupport = self.repository.get(support_id)
        matches = [self.repository.get(UUID(match_id)) for match_id in support.matches]
        return support_view(support, matches)

    def supports_of(self, household_id: UUID) -> list:
        """Which supports a household has (ids and status only)."""
        self.views.catch_up()
        return [{"support_id": str(s.id), "status": s.status, "source": s.source}
                for s in (self.repository.get(i)
                          for i in self.index.supports_by_household.get(str(household_id), []))]

    def open_supports(self) -> dict:
        """参加支援の一覧 — open supports, newest first (ids and status only, nothing personal)."""
        self.views.catch_up()
        rows = [support_row(s) for s in map(self.repository.get, self.index.support_ids) if s.is_open]
        return {"supports": sorted(rows, key=lambda r: r["received_at"], reverse=True)}

    def host_menu(self) -> dict:
        """受入先一覧 (支援メニュー) — every host with what it offers and its free places."""
        return {"hosts": [host_view(h) for h in self._hosts()]}

    def development_targets(self) -> dict:
        """開拓目標 — missing social resources learnt from 重層的支援会議, and what met them."""
        self.views.catch_up()
        return {"targets": [target_view(self.repository.get(i)) for i in self.index.target_ids]}

    def match_record(self, match_id: UUID) -> dict:
        match: Match = self.repository.get(match_id)
        return {**match_view(match), "household_id": str(match.household_id)}

    def follow_ups_due(self, today: date) -> dict:
        """フォローアップ予定 — check-ins not yet done on running matches, overdue first."""
        self.views.catch_up()
        rows = [{"match_id": str(m.id), "household_id": str(m.household_id),
                 "host_id": str(m.host_id), "follow_up_id": f["follow_up_id"], "with": f["with"],
                 "with_label": FOLLOW_UP_WITH[f["with"]], "due_on": f["due_on"].isoformat(),
                 "overdue": f["due_on"] < today}
                for m in (self.repository.get(i) for i in self.index.running_match_ids())
                for f in m.follow_ups.values() if f["done_on"] is None]
        return {"today": today.isoformat(),
                "follow_ups": sorted(rows, key=lambda r: (not r["overdue"], r["due_on"]))}

    # -- helpers ------------------------------------------------------------------------------

    def _hosts(self) -> list[Host]:
        self.views.catch_up()
        return [self.repository.get(i) for i in self.index.host_ids]

