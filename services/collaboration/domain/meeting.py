"""重層的支援会議 — the multi-layered support meeting (seed 001 §1(5)イ, 002 §4(3), 004 §6(1)).

It discusses only households that consented (000 §4, 002 §4(3): 本人同意に基づき開催). Its record:
the date, the attendees (organisation, role), the cases on the agenda with the decision on each
(plan appropriate / revise, re-plan agreed, closure with its evaluation, suspension), and the
missing social resources found (社会資源の不足), which are published for community building and
participation (003 ch.4(3)). Notes and comments are personal; a shortage's description names
the missing resource, never a person, because it is published.
"""
from __future__ import annotations

from datetime import date

from eventsourcing.domain import Aggregate, event

from kasane_contracts.vocabulary import ATTENDEE_ROLES, MEETING_DECISIONS, SOCIAL_RESOURCE_KINDS

from collaboration.domain.rules import MeetingRuleViolation, check_codes


class MultiLayeredMeeting(Aggregate):
    """One 重層的支援会議 as recorded by the 多機関協働 instance that hosted it."""

    @event("Held")
    def __init__(self, held_on: date, attendees: list, agenda: list, recorded_by: str,
                 personal: dict, system_items: list | None = None, body: dict | None = None,
                 plan_judgements: list | None = None):
        self.held_on = held_on
        # 参加支援・アウトリーチ等事業プランの適切性の協議 (001 §1(5)イ(イ)①): [{proposal_id, judgement}]
        self.plan_judgements = list(plan_judgements or [])
        self.body = body  # 会議体 that met, and as what: {body_id, name, basis} (None: unnamed)
        self.system_items = list(system_items or [])  # 体制検討 (000 §4): about no household
        self.attendees = attendees
        self.agenda = agenda
        self.recorded_by = recorded_by
        self.shortages: list[dict] = []

    def record_shortage(self, *, shortage_id: str, resource_kind: str, area: str | None,
                        description: str | None) -> None:
        """社会資源の不足 — a missing social resource the meeting found."""
        check_codes("shortages.resource_kind", [resource_kind], SOCIAL_RESOURCE_KINDS,
                    MeetingRuleViolation)
        self._shortage_found(shortage_id=shortage_id, resource_kind=resource_kind, area=area,
                             description=description, found_on=self.held_on)

    @event("ShortageFound")
    def _shortage_found(self, shortage_id: str, resource_kind: str, area: str | None,
                        description: str | None, found_on: date) -> None:
        self.shortages.append({"shortage_id": shortage_id, "resource_kind": resource_kind,
                               "area": area, "description": description})


def check_meeting(attendees: list, agenda: list, shortages: list, system_items: list | tuple = (),
                  plan_judgements: list | tuple = ()) -> None:
    """The record is complete and uses the vocabulary; refuse it otherwise. A meeting may hold
    only system-level items (体制検討, 000 §4), or only judge proposed plans, and no case."""
    if not attendees:
        raise MeetingRuleViolation("a meeting record lists its attendees (organisation and role)")
    check_codes("attendees.role", [a["role"] for a in attendees], ATTENDEE_ROLES, MeetingRuleViolation)
    if not agenda and not shortages and not system_items and not plan_judgements:
        raise MeetingRuleViolation("a 重層的支援会議 record has cases on its agenda, proposed plans "
                                   "judged, social resource shortages found or system-level items (体制検討)")
    check_meeting_agenda(agenda)
    proposals = [str(j["proposal_id"]) for j in plan_judgements]
    if len(set(proposals)) != len(proposals):
        raise MeetingRuleViolation("each proposed plan is judged once at a meeting")


def check_meeting_agenda(agenda: list) -> None:
    """Each case once on an agenda, with one decision of the vocabulary."""
    case_ids = [str(item["case_id"]) for item in agenda]
    if len(set(case_ids)) != len(case_ids):
        raise MeetingRuleViolation("each case is on a meeting's agenda once, with one decision")
    check_codes("agenda.decision", [item["decision"] for item in agenda], MEETING_DECISIONS,
                MeetingRuleViolation)
