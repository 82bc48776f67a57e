"""支援会議 (社会福祉法 art. 106-6) — may discuss a person who has NOT consented, because its
members are bound by secrecy (守秘義務; 違反 up to 1 year or ¥1,000,000, seed 000 §4; 001 §1(5)ア).

Members differ meeting by meeting (001 §1(5)ア(ウ)) and are listed on each record. What is
recorded — information shared, the watching policy (見守り方針), urgent actions — lives only in
this instance: it is never translated to an integration event, and only the organisations that
were members of that meeting may read it. Every read, and every refused attempt, is recorded
(DOMAIN.md §4: log who read what).

A meeting may also take a decision per household (issue 8): the role each member takes (e.g.
アウトリーチによる接触) and whether the members may share what they know of the household among
themselves (情報共有の決定), until a date. Only the decision leaves, and only to the member
instances it names, one message each (`DecisionSent` → collaboration.support_meeting_decided v1,
addressed), with what the meeting decided to pass on to them — never the discussion.
"""
from __future__ import annotations

from datetime import date, datetime

from eventsourcing.domain import Aggregate, event

from kasane_contracts.vocabulary import ATTENDEE_ROLES, SUPPORT_MEETING_ROLES

from collaboration.domain.rules import MeetingRuleViolation, NotAMember, check_codes


class SupportMeeting(Aggregate):
    """One 支援会議 and who may know what was said there."""

    @event("Held")
    def __init__(self, held_on: date, members: list, household_ids: list, urgent: bool,
                 recorded_by: str, personal: dict, agenda: list | None = None,
                 body: dict | None = None):
        self.held_on = held_on
        self.body = body  # 会議体 that met as 支援会議 (法106条の6): {body_id, name, basis}
        self.agenda = list(agenda or [])  # cases it decided on, without consent (seed 004 §6(2))
        self.members = members
        self.household_ids = household_ids
        self.urgent = urgent
        self.recorded_by = recorded_by
        self.personal = personal
        self.reads: list[dict] = []
        self.decisions: list[dict] = []  # 支援会議の決定 per household (issue 8)

    def decide(self, *, decision_id: str, household_id: str, roles: list, sharing_allowed: bool,
               sharing_until: date | None, recipients: list, pass_on: dict | None) -> None:
        """支援会議の決定 — one household's roles and 情報共有の決定, sent to each member
        instance named in `recipients` (organisation and instance)."""
        check_decision(self, household_id, roles, sharing_allowed, sharing_until, recipients, pass_on)
        members = sorted(self.member_organisations)
        role_of = {r["organisation"]: r["role"] for r in roles}
        self._decided(decision_id=decision_id, household_id=str(household_id),
                      roles=[dict(r) for r in roles], sharing_allowed=sharing_allowed,
                      sharing_until=sharing_until, recipients=[dict(r) for r in recipients],
                      personal=dict(pass_on or {}))
        for recipient in recipients:
            self._sent(decision_id=decision_id, household_id=str(household_id),
                       held_on=self.held_on, members=members, recorded_by=self.recorded_by,
                       recipient_instance=recipient["instance"],
                       recipient_organisation=recipient["organisation"],
                       role=role_of.get(recipient["organisation"]),
                       sharing_allowed=sharing_allowed, sharing_until=sharing_until,
                       personal=dict(pass_on) if pass_on else None)

    @event("Decided")
    def _decided(self, decision_id: str, household_id: str, roles: list, sharing_allowed: bool,
                 sharing_until: date | None, recipients: list, personal: dict) -> None:
        if household_id not in self.household_ids:
            self.household_ids.append(household_id)
        self.decisions.append({"decision_id": decision_id, "household_id": household_id,
                               "roles": roles, "sharing_allowed": sharing_allowed,
                               "sharing_until": sharing_until, "recipients": recipients,
                               "pass_on": personal})

    @event("DecisionSent")
    def _sent(self, decision_id: str, household_id: str, held_on: date, members: list,
              recorded_by: str, recipient_instance: str, recipient_organisation: str,
              role: str | None, sharing_allowed: bool, sharing_until: date | None,
              personal: dict | None) -> None:
        pass  # what was sent, to whom: the relay translates it; the decision is kept above

    @property
    def member_organisations(self) -> set[str]:
        return {m["organisation"] for m in self.members}

    def is_member_person(self, organisation: str | None, staff_id: str | None) -> bool:
        """A person named on the record, of a member organisation, who confirmed the duty of
        secrecy (守秘義務の確認): art. 106-6 binds the people who take part."""
        return any(m["organisation"] == organisation and p.get("staff_id") == staff_id
                   and p.get("secrecy_acknowledged_on")
                   for m in self.members for p in m.get("persons") or ())

    def read_by(self, *, reader: dict, read_at: datetime) -> bool:
        """閲覧 — True for a member person of a member organisation; a refused attempt is
        recorded too (the reader as the authenticated context named them)."""
        organisation, staff_id = reader.get("organisation"), reader.get("staff_id")
        granted = self.is_member_person(organisation, staff_id)
        self._read(organisation=organisation, reader_id=staff_id or reader.get("name"),
                   read_at=read_at, granted=granted)
        return granted

    @event("Read")
    def _read(self, organisation: str | None, reader_id: str | None, read_at: datetime, granted: bool) -> None:
        self.reads.append({"organisation": organisation, "reader_id": reader_id,
                           "read_at": read_at, "granted": granted})


def check_support_meeting(members: list, information_shared: str | None) -> None:
    organisations = [m["organisation"] for m in members]
    if len(set(organisations)) < 2:
        raise MeetingRuleViolation("a 支援会議 lists its members: at least two organisations")
    if len(set(organisations)) != len(organisations):
        raise MeetingRuleViolation("each member organisation is listed once")
    check_codes("members.role", [m["role"] for m in members], ATTENDEE_ROLES, MeetingRuleViolation)
    if any(not p.get("secrecy_acknowledged_on") for m in members for p in m.get("persons") or ()):
        raise MeetingRuleViolation("支援会議の構成員は守秘義務の確認を済ませた者に限ります "
                                   "(secrecy_acknowledged_on)")
    if not information_shared:
        raise MeetingRuleViolation("a 支援会議 record states the information shared")


def check_decision(meeting: SupportMeeting, household_id, roles: list, sharing_allowed: bool,
                   sharing_until: date | None, recipients: list, pass_on: dict | None) -> None:
    """A decision names members only, sends to members only, and shares only until a date."""
    members = meeting.member_organisations
    check_codes("roles.role", [r["role"] for r in roles], SUPPORT_MEETING_ROLES, MeetingRuleViolation)
    if any(r["organisation"] not in members for r in roles):
        raise MeetingRuleViolation("a 支援会議 gives roles to its member organisations only")
    if len({r["organisation"] for r in roles}) != len(roles):
        raise MeetingRuleViolation("each member takes one role per decision")
    if not recipients:
        raise MeetingRuleViolation("a decision names the member instances it is sent to")
    if any(r["organisation"] not in members for r in recipients):
        raise MeetingRuleViolation("a 支援会議 decision goes to its member organisations only "
                                   "(社会福祉法 art. 106-6)")
    if len({r["instance"] for r in recipients}) != len(recipients):
        raise MeetingRuleViolation("each member instance is named once")
    if sharing_allowed and (sharing_until is None or sharing_until < meeting.held_on):
        raise MeetingRuleViolation("sharing among the members is allowed until a date on or after "
                                   "the meeting")
    if not sharing_allowed and sharing_until is not None:
        raise MeetingRuleViolation("a date until which to share is set only when sharing is allowed")
    if pass_on and not sharing_allowed:
        raise MeetingRuleViolation("personal details are passed on only when the meeting allowed "
                                   "its members to share them")


def check_roles_of_members(meeting: SupportMeeting, roles: list) -> None:
    """A plan a 支援会議 approves divides roles among its member organisations only: the others
    are not bound by its secrecy (000 §4, 002 §4(3))."""
    outsiders = sorted({r["organisation"] for r in roles} - meeting.member_organisations)
    if outsiders:
        raise MeetingRuleViolation("a plan judged by a 支援会議 gives roles to its member "
                                   f"organisations only (not members: {', '.join(outsiders)})")


def refuse_non_member() -> None:
    raise NotAMember("the records of a 支援会議 are readable only by its member persons of its "
                     "member organisations (社会福祉法 art. 106-6, 守秘義務)")
