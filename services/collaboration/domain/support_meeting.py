"""支援会議 (社会福祉法 art. 106-6) — may discuss a person who has NOT consented, because its
members are bound by secrecy (守秘義務; 違反 up to 1 year or ¥1,000,000, seed 000 §4; 001 §1(5)ア).

Members differ meeting by meeting (001 §1(5)ア(ウ)) and are listed on each record. What is
recorded — information shared, the watching policy (見守り方針), urgent actions — lives only in
this instance: it is never translated to an integration event, and only the organisations that
were members of that meeting may read it. Every read, and every refused attempt, is recorded
(DOMAIN.md §4: log who read what).
"""
from __future__ import annotations

from datetime import date, datetime

from eventsourcing.domain import Aggregate, event

from kasane.vocabulary import ATTENDEE_ROLES

from collaboration.domain.rules import MeetingRuleViolation, NotAMember, check_codes


class SupportMeeting(Aggregate):
    """One 支援会議 and who may know what was said there."""

    @event("Held")
    def __init__(self, held_on: date, members: list, household_ids: list, urgent: bool,
                 recorded_by: str, personal: dict):
        self.held_on = held_on
        self.members = members
        self.household_ids = household_ids
        self.urgent = urgent
        self.recorded_by = recorded_by
        self.personal = personal
        self.reads: list[dict] = []

    @property
    def member_organisations(self) -> set[str]:
        return {m["organisation"] for m in self.members}

    def read_by(self, *, organisation: str, reader_id: str, read_at: datetime) -> bool:
        """閲覧 — True for a member organisation; a refused attempt is recorded too."""
        granted = organisation in self.member_organisations
        self._read(organisation=organisation, reader_id=reader_id, read_at=read_at, granted=granted)
        return granted

    @event("Read")
    def _read(self, organisation: str, reader_id: str, read_at: datetime, granted: bool) -> None:
        self.reads.append({"organisation": organisation, "reader_id": reader_id,
                           "read_at": read_at, "granted": granted})


def check_support_meeting(members: list, information_shared: str | None) -> None:
    organisations = [m["organisation"] for m in members]
    if len(set(organisations)) < 2:
        raise MeetingRuleViolation("a 支援会議 lists its members: at least two organisations")
    if len(set(organisations)) != len(organisations):
        raise MeetingRuleViolation("each member organisation is listed once")
    check_codes("members.role", [m["role"] for m in members], ATTENDEE_ROLES, MeetingRuleViolation)
    if not information_shared:
        raise MeetingRuleViolation("a 支援会議 record states the information shared")


def refuse_non_member() -> None:
    raise NotAMember("the records of a 支援会議 are readable only by its member organisations "
                     "(社会福祉法 art. 106-6, 守秘義務)")
