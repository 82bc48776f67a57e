"""参加支援 — one person's (household's) participation support: the request it began with, the
needs (本人の希望・強み・制約・条件), the 参加支援事業プラン and the 就労体験事業 registration.

Seeds: 004 §5(4) (プランを作成し、対象者に合った社会参加の場とマッチング), 002 §III(1) (本人の
希望等を丁寧に把握), 003 ch.2 4 (既存の事業では対応できないニーズ). A request comes from a
多機関協働 plan role (collaboration.role_requested v1) or from a consultation agency, which must
say under which consent it sends the person (DOMAIN.md §4). Everything about the person —
names, wishes, strengths, limits, goals — sits in each event's `personal` part.

Where the city's profile has participation plans judged by a 重層的支援会議 (001 §1(5)イ(イ)①,
issue 19), each plan version is `proposed` to 多機関協働 and in force only once a meeting approves
it (kasane.plan_judgement); matching follows a plan in force.
"""
from __future__ import annotations

from datetime import date, datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from kasane_contracts.vocabulary import PARTICIPATION_OFFERS, PARTICIPATION_REQUEST_SOURCES, WEEKDAYS

from kasane.plan_judgement import IN_FORCE, PROPOSED, SENT_BACK, judgement_applies
from kasane.plan_rules import check_plan

from participation.domain.rules import ConsentRequired, PlanRuleViolation, RequestRuleViolation, check_codes

REQUEST_NAMESPACE = uuid5(NAMESPACE_URL, "https://kasane.example/participation/requests")
CLOSED = "closed"


class ParticipationSupport(Aggregate):
    """参加支援ケース — opened by a request (参加支援の依頼)."""

    @staticmethod
    def create_id(source_request_id: str) -> UUID:
        """One support per request: a role request delivered twice finds the same aggregate."""
        return uuid5(REQUEST_NAMESPACE, str(source_request_id))

    @classmethod
    def receive(cls, *, household_id: UUID, source: str, source_request_id: str, request: dict,
                received_at: datetime, personal: dict | None) -> "ParticipationSupport":
        """受付 — a request with its source; an agency's request needs the person's consent."""
        check_codes("source", [source], PARTICIPATION_REQUEST_SOURCES, RequestRuleViolation)
        if source == "consultation_agency" and not request.get("consent"):
            raise ConsentRequired(
                "a consultation agency sends a person to 参加支援 only with their consent (本人同意): "
                "record who gave it, how and when")
        if source == "collaboration_role" and not request.get("origin_instance"):
            raise RequestRuleViolation("a role request names the collaboration instance that owns the plan")
        return cls(household_id=household_id, source=source,
                   source_request_id=str(source_request_id), request=request,
                   received_at=received_at, personal=personal or {})

    @event("Received")
    def __init__(self, household_id: UUID, source: str, source_request_id: str, request: dict,
                 received_at: datetime, personal: dict):
        self.household_id, self.source, self.request = household_id, source, request
        self.source_request_id, self.received_at = source_request_id, received_at
        self.persons = {p["person_id"]: p for p in personal.get("persons") or []}
        self.background = {k: v for k, v in personal.items() if k != "persons"}
        self.status = "received"
        self.needs: dict | None = None
        self.plan: dict | None = None
        self.plans_made = 0
        self.in_force_version: int | None = None  # the plan version in force (judged, where judged)
        self.proposed_to: str | None = None  # the 多機関協働 instance judging its plans
        self.judgements: list[dict] = []
        self.work_experience_registered_on: date | None = None
        self.matches: dict[str, dict] = {}  # match id -> {host_id, running}
        self.closed: dict | None = None

    # -- ニーズの把握とプラン -----------------------------------------------------------------

    def assess_needs(self, *, assessed_on: date, caseworker_id: str, needs: dict) -> None:
        """ニーズの把握 — wishes, strengths, limits and conditions (time, place, transport, support)."""
        self.check_open("assess needs")
        check_codes("needs.wished_offers", needs.get("wished_offers") or [], PARTICIPATION_OFFERS,
                    PlanRuleViolation)
        check_codes("needs.available_days", needs.get("available_days") or [], WEEKDAYS,
                    PlanRuleViolation)
        if not needs.get("wished_offers"):
            raise PlanRuleViolation("needs name at least one kind of participation the person wishes (希望)")
        self._needs_assessed(household_id=self.household_id, assessed_on=assessed_on,
                             caseworker_id=caseworker_id, personal={"needs": dict(needs)})

    @event("NeedsAssessed")
    def _needs_assessed(self, household_id: UUID, assessed_on: date, caseworker_id: str,
                        personal: dict) -> None:
        self.needs = {**personal["needs"], "assessed_on": assessed_on}
        if self.status == "received":
            self.status = "assessed"

    def make_plan(self, *, made_on: date, caseworker_id: str, goals: list, review_dates: list,
                  note: str | None = None, judged: bool = False) -> None:
        """参加支援事業プランの作成 (or its revision) — goals and review dates, after the needs."""
        self.check_open("make a plan")
        if self.needs is None:
            raise PlanRuleViolation("a 参加支援事業プラン follows the needs: record the person's wishes and conditions first")
        dates = check_plan(goals, review_dates, made_on, PlanRuleViolation)
        self._plan_made(household_id=self.household_id, version=self.plans_made + 1,
                        made_on=made_on, caseworker_id=caseworker_id, review_dates=dates,
                        personal={"goals": list(goals), "note": note},
                        status=PROPOSED if judged else IN_FORCE)

    @event("PlanMade")
    def _plan_made(self, household_id: UUID, version: int, made_on: date, caseworker_id: str,
                   review_dates: list, personal: dict, status: str = IN_FORCE) -> None:
        self.plans_made = version
        self.plan = {"version": version, "made_on": made_on, "review_dates": review_dates,
                     "goals": personal["goals"], "note": personal.get("note"), "status": status}
        if status == IN_FORCE:
            self.in_force_version = version
        self.status = "matched" if self.running_matches else "planned"

    # -- 重層的支援会議の判断 (001 §1(5)イ(イ)①) -------------------------------------------------

    def propose_plan(self, *, to_instance: str, proposed_on: date, caseworker_id: str,
                     share_personal: bool) -> None:
        """提出 — the plan version awaiting judgement goes to the 多機関協働 instance `to_instance`;
        its goals and note travel only under the person's consent."""
        if self.plan is None or self.plan["status"] != PROPOSED:
            raise PlanRuleViolation("only a plan awaiting a meeting's judgement is proposed")
        request = self.request if self.source == "collaboration_role" else {}
        self._plan_proposed(household_id=self.household_id, plan_id=self.id, case_id=self.id,
                            revision=self.plans_made, proposed_on=proposed_on,
                            review_dates=self.plan["review_dates"], to_instance=to_instance,
                            report_to={"request_id": request["request_id"], "collaboration_case_id": request["case_id"],
                                       "origin_instance": request["origin_instance"]} if request else None,
                            worker_id=caseworker_id, share_personal=share_personal,
                            personal={"goals": self.plan["goals"], "note": self.plan["note"]})

    @event("PlanProposed")
    def _plan_proposed(self, household_id: UUID, plan_id: UUID, case_id: UUID, revision: int,
                       proposed_on: date, review_dates: list, to_instance: str, report_to: dict | None,
                       worker_id: str, share_personal: bool, personal: dict) -> None:
        self.proposed_to = to_instance

    def take_judgement(self, *, judgement: dict, personal: dict) -> bool:
        """会議の判断 — approved: this version is in force; sent back: make the plan again.
        False (nothing recorded) when it decides nothing (kasane.plan_judgement)."""
        if self.plan is None or not judgement_applies(status=self.plan["status"], revision=self.plans_made,
                                                      proposed_to=self.proposed_to, judgement=judgement):
            return False
        self._plan_judged(household_id=self.household_id,
                          judgement={k: v for k, v in judgement.items() if k != "from_instance"},
                          personal=personal)
        return True

    @event("PlanJudged")
    def _plan_judged(self, household_id: UUID, judgement: dict, personal: dict) -> None:
        assert self.plan is not None  # judged only after a plan was proposed
        self.judgements.append(judgement)
        approved = judgement["judgement"] == "approved"
        self.plan["status"] = IN_FORCE if approved else SENT_BACK
        if approved:
            self.in_force_version = judgement["revision"]

    def check_can_match(self) -> None:
        self.check_open("match the person with a host")
        if self.plan is None:
            raise PlanRuleViolation("a match follows a 参加支援事業プラン: make the plan first")
        if self.in_force_version is None:
            raise PlanRuleViolation("a match follows a 参加支援事業プラン in force: a 重層的支援会議 "
                                    "judges the plan first (プランの適切性の協議)")

    def match_recorded(self, *, match_id: UUID, host_id: UUID) -> None:
        """A match was made for this support; one running match per host."""
        self.check_can_match()
        if any(m["host_id"] == str(host_id) and m["running"] for m in self.matches.values()):
            raise PlanRuleViolation("the person already has a running match with this host")
        self._match_recorded(match_id=str(match_id), host_id=str(host_id))

    @event("MatchRecorded")
    def _match_recorded(self, match_id: str, host_id: str) -> None:
        self.matches[match_id] = {"host_id": host_id, "running": True}
        self.status = "matched"

    def match_ended(self, match_id: UUID) -> None:
        if self.matches.get(str(match_id), {}).get("running"):
            self._match_ended(match_id=str(match_id))

    @event("MatchEnded")
    def _match_ended(self, match_id: str) -> None:
        self.matches[match_id]["running"] = False

    @property
    def running_matches(self) -> int:
        return sum(m["running"] for m in self.matches.values())

    # -- 就労体験事業への登録 -------------------------------------------------------------------

    def register_work_experience(self, *, registered_on: date, caseworker_id: str) -> None:
        """就労体験事業の登録 (004 §5(4): 登録者数 新規/全体) — once per support."""
        self.check_can_match()
        if self.work_experience_registered_on is not None:
            raise PlanRuleViolation("the person is already registered for work experience (就労体験事業)")
        self._work_experience_registered(household_id=self.household_id,
                                         registered_on=registered_on, caseworker_id=caseworker_id)

    @event("WorkExperienceRegistered")
    def _work_experience_registered(self, household_id: UUID, registered_on: date,
                                    caseworker_id: str) -> None:
        self.work_experience_registered_on = registered_on

    # -- 終結 -------------------------------------------------------------------------------

    def close(self, *, closed_on: date, caseworker_id: str, summary: str | None = None) -> None:
        """終結 — only when no match is still running (each ends with its reason first)."""
        self.check_open("close it")
        if self.running_matches:
            raise PlanRuleViolation("end every running match (with its reason) before closing the support")
        self._closed(household_id=self.household_id, closed_on=closed_on,
                     caseworker_id=caseworker_id, personal={"summary": summary})

    @event("Closed")
    def _closed(self, household_id: UUID, closed_on: date, caseworker_id: str, personal: dict) -> None:
        self.status, self.closed = CLOSED, {"closed_on": closed_on, "caseworker_id": caseworker_id}

    # -- helpers ----------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.status != CLOSED

    def check_open(self, action: str) -> None:
        if not self.is_open:
            raise PlanRuleViolation(f"the participation support is closed: cannot {action}")

    @property
    def plan_owner(self) -> str | None:
        """The collaboration instance whose plan asked for this support (its request's origin)."""
        return self.request.get("origin_instance") if self.source == "collaboration_role" else None
