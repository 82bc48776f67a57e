"""マッチング — a person placed with a host: the match, its start, every session attended
(延べ件数, 004 §5(4): 就労体験 実施延件数), scheduled follow-ups with the person and with the host,
problems the host raises, and the end with its reason (002 §III(2) フォローアップ: 本人の状態
と受入先の課題).

A host's problem report goes to the plan's owner (the collaboration instance that asked for the
role) as `participation.host_problem_reported` v1; what the host said is personal and travels
only addressed to that instance, and only when the request came under consent.
"""
from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from kasane_contracts.vocabulary import FOLLOW_UP_WITH, HOST_PROBLEM_KINDS, PARTICIPATION_END_REASONS

from participation.domain.rules import FollowUpRuleViolation, MatchRuleViolation, check_codes


class Match(Aggregate):
    """One person at one host, from the match to its end."""

    @event("Matched")
    def __init__(self, support_id: UUID, household_id: UUID, host_id: UUID, host_kind: str,
                 offer: str, matched_on: date, caseworker_id: str, ranking: dict, personal: dict):
        self.support_id, self.household_id, self.host_id = support_id, household_id, host_id
        self.host_kind, self.offer, self.matched_on = host_kind, offer, matched_on
        self.ranking = ranking
        self.reason_for_choice = personal.get("reason")
        self.started_on: date | None = None
        self.sessions: list[date] = []
        self.follow_ups: dict[str, dict] = {}
        self.problems: list[dict] = []
        self.ended: dict | None = None

    # -- 開始・参加・終了 ---------------------------------------------------------------------

    def start(self, *, started_on: date, caseworker_id: str) -> None:
        self._check_running("start")
        if self.started_on is not None:
            raise MatchRuleViolation("the match has already started")
        if started_on < self.matched_on:
            raise MatchRuleViolation("a match starts on or after the day it was made")
        self._started(household_id=self.household_id, started_on=started_on, caseworker_id=caseworker_id)

    @event("Started")
    def _started(self, household_id: UUID, started_on: date, caseworker_id: str) -> None:
        self.started_on = started_on

    def attend(self, *, attended_on: date, caseworker_id: str, note: str | None = None) -> None:
        """参加の記録 — one session attended (counted 延べ)."""
        self._check_running("record a session")
        if self.started_on is None:
            raise MatchRuleViolation("sessions are recorded once the match has started")
        if attended_on < self.started_on:
            raise MatchRuleViolation("a session falls on or after the match's start")
        if attended_on in self.sessions:
            raise MatchRuleViolation("a session on this day is already recorded for this match")
        self._attended(household_id=self.household_id, offer=self.offer, attended_on=attended_on,
                       caseworker_id=caseworker_id, personal={"note": note})

    @event("SessionAttended")
    def _attended(self, household_id: UUID, offer: str, attended_on: date, caseworker_id: str,
                  personal: dict) -> None:
        self.sessions.append(attended_on)

    def end(self, *, ended_on: date, reason: str, caseworker_id: str, note: str | None = None) -> None:
        """終了 — with its reason."""
        self._check_running("end it")
        check_codes("reason", [reason], PARTICIPATION_END_REASONS, MatchRuleViolation)
        if ended_on < max([self.matched_on, self.started_on or self.matched_on, *self.sessions]):
            raise MatchRuleViolation("a match ends on or after its start and its last session")
        self._ended(household_id=self.household_id, host_id=self.host_id, ended_on=ended_on,
                    reason=reason, caseworker_id=caseworker_id, personal={"note": note})

    @event("Ended")
    def _ended(self, household_id: UUID, host_id: UUID, ended_on: date, reason: str,
               caseworker_id: str, personal: dict) -> None:
        self.ended = {"ended_on": ended_on, "reason": reason}

    # -- フォローアップ -----------------------------------------------------------------------

    def schedule_follow_up(self, *, follow_up_id: str, with_whom: str, due_on: date,
                           caseworker_id: str) -> None:
        """フォローアップの予定 — a check-in with the person or with the host."""
        self._check_running("schedule a follow-up")
        check_codes("with", [with_whom], FOLLOW_UP_WITH, FollowUpRuleViolation)
        if due_on < self.matched_on:
            raise FollowUpRuleViolation("a follow-up is due on or after the day of the match")
        self._follow_up_scheduled(household_id=self.household_id, follow_up_id=follow_up_id,
                                  with_whom=with_whom, due_on=due_on, caseworker_id=caseworker_id)

    @event("FollowUpScheduled")
    def _follow_up_scheduled(self, household_id: UUID, follow_up_id: str, with_whom: str,
                             due_on: date, caseworker_id: str) -> None:
        self.follow_ups[follow_up_id] = {"follow_up_id": follow_up_id, "with": with_whom,
                                         "due_on": due_on, "done_on": None}

    def record_follow_up(self, *, follow_up_id: str, done_on: date, caseworker_id: str,
                         note: str | None = None) -> None:
        """フォローアップの記録 — the check-in took place."""
        follow_up = self.follow_ups.get(follow_up_id)
        if follow_up is None:
            raise FollowUpRuleViolation("the follow-up named was not scheduled for this match")
        if follow_up["done_on"] is not None:
            raise FollowUpRuleViolation("this follow-up is already recorded")
        if done_on < self.matched_on:
            raise FollowUpRuleViolation("a follow-up takes place on or after the day of the match")
        self._follow_up_done(household_id=self.household_id, follow_up_id=follow_up_id,
                             done_on=done_on, caseworker_id=caseworker_id, personal={"note": note})

    @event("FollowUpDone")
    def _follow_up_done(self, household_id: UUID, follow_up_id: str, done_on: date,
                        caseworker_id: str, personal: dict) -> None:
        self.follow_ups[follow_up_id]["done_on"] = done_on

    def report_host_problem(self, *, report_id: str, kind: str, reported_on: date,
                            reported_at: datetime, caseworker_id: str, plan_owner: str | None,
                            source_request: dict, host: dict, description: str | None,
                            share_personal: bool) -> None:
        """受入先からの課題 — recorded here; for a collaboration plan, it goes to the plan's owner."""
        check_codes("kind", [kind], HOST_PROBLEM_KINDS, FollowUpRuleViolation)
        if self.started_on is None:
            raise FollowUpRuleViolation("a host reports problems about a match that has started")
        if reported_on < self.started_on:
            raise FollowUpRuleViolation("a problem is reported on or after the match's start")
        self._host_problem_reported(
            household_id=self.household_id, report_id=report_id, host_id=self.host_id,
            kind=kind, reported_on=reported_on, reported_at=reported_at,
            caseworker_id=caseworker_id, plan_owner=plan_owner, source_request=source_request,
            host=host, share_personal=share_personal, personal={"description": description})

    @event("HostProblemReported")
    def _host_problem_reported(self, household_id: UUID, report_id: str, host_id: UUID, kind: str,
                               reported_on: date, reported_at: datetime, caseworker_id: str,
                               plan_owner: str | None, source_request: dict, host: dict,
                               share_personal: bool, personal: dict) -> None:
        self.problems.append({"report_id": report_id, "kind": kind, "reported_on": reported_on,
                              "sent_to": plan_owner, "description": personal.get("description")})

    # -- helpers ----------------------------------------------------------------------------

    @property
    def is_running(self) -> bool:
        return self.ended is None

    def _check_running(self, action: str) -> None:
        if not self.is_running:
            raise MatchRuleViolation(f"the match has ended: cannot {action}")
