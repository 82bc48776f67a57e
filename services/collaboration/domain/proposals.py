"""提出されたプラン — a 参加支援事業プラン or アウトリーチ等事業プラン proposed for a 重層的支援会議's
judgement, where the city's profile says so (seed 001 §1(5)イ(イ)①: 多機関協働事業（参加支援事業、
アウトリーチ等継続支援事業）で作成したプランの適切性の協議; issue 19).

The proposing instance sent it (`<service>.plan_proposed` v1); it waits here until a meeting
judges it — approved, or sent back with reasons (PLAN_SEND_BACK_REASONS) — and the judgement
goes back to that instance (`collaboration.plan_judged` v1), where the plan comes into force
only if approved. One proposal per plan revision: the same proposal delivered again is the same
aggregate. The goals and note (personal) are here only when the person's consent let them come.
"""
from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from kasane_contracts.vocabulary import PLAN_JUDGEMENTS, PLAN_SEND_BACK_REASONS

from collaboration.domain.rules import MeetingRuleViolation, check_codes

PROPOSALS_NAMESPACE = uuid5(NAMESPACE_URL, "https://kasane.example/collaboration/plan-proposals")


class PlanProposal(Aggregate):
    """One plan revision proposed by an outreach or participation instance."""

    @staticmethod
    def create_id(from_instance: str, proposal: dict) -> UUID:
        """One proposal per plan revision of one instance: delivered again, it is the same."""
        return uuid5(PROPOSALS_NAMESPACE, f"{from_instance}/{proposal['plan_id']}/{proposal['revision']}")

    @event("Received")
    def __init__(self, service: str, household_id: UUID, proposal: dict, from_instance: str,
                 from_organisation: str, personal: dict):
        self.service, self.household_id = service, household_id
        self.proposal = proposal  # plan_id, revision, case_id, proposed_on, review_dates, request_id, …
        self.from_instance, self.from_organisation = from_instance, from_organisation
        self.personal = personal
        self.judgement: dict | None = None

    def judge(self, *, meeting_id: UUID, judged_on: date, judgement: str, reasons: list,
              recorded_by: str, comment: str | None = None) -> None:
        """会議の判断 — approved, or sent back naming at least one reason; once per proposal."""
        check_codes("plan_judgements.judgement", [judgement], PLAN_JUDGEMENTS, MeetingRuleViolation)
        check_codes("plan_judgements.reasons", reasons, PLAN_SEND_BACK_REASONS, MeetingRuleViolation)
        if self.judgement is not None:
            raise MeetingRuleViolation("this plan was already judged by a meeting: a revised plan "
                                       "comes as a new proposal")
        if judgement == "sent_back" and not reasons:
            raise MeetingRuleViolation("a plan sent back names at least one reason (差し戻しの理由)")
        self._judged(household_id=self.household_id, service=self.service, from_instance=self.from_instance,
                     plan={k: self.proposal[k] for k in ("plan_id", "revision")},
                     meeting_id=meeting_id, judged_on=judged_on,
                     judgement=judgement, reasons=list(dict.fromkeys(reasons)) if judgement == "sent_back" else [],
                     recorded_by=recorded_by, personal={"comment": comment})

    @event("Judged")
    def _judged(self, household_id: UUID, service: str, from_instance: str, plan: dict,
                meeting_id: UUID, judged_on: date, judgement: str, reasons: list, recorded_by: str,
                personal: dict) -> None:
        self.judgement = {"meeting_id": meeting_id, "judged_on": judged_on, "judgement": judgement,
                          "reasons": reasons, "recorded_by": recorded_by}
