"""相談 — one consultation received at a consultation agency (包括的相談支援事業用シート).

What the intake sheet records (issue 4; DOMAIN.md §9 相談受付・申込票): when and how it came in,
who consulted, the household and persons concerned, what was said, the issue categories, the
urgency and the caseworker. Personal details (persons' names, kana, birth dates, what was said)
live in one `personal` part of each event, apart from the rest (DOMAIN.md §10).
The person's field or age never decides whether a consultation is accepted (断らない相談).

Outcomes (seed 001 §1(5)): resolved here (終結), connected to another agency (つなぐ — only
with consent), referred to 多機関協働 with the reason, or continued watch (見守り) with a
next-contact date. 多機関協働 may return a referral (差し戻し) with the reason: the consultation
is 対応中 again and takes any outcome. Each later contact (継続相談) is recorded: it counts in the 延べ numbers.
"""
from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from kasane_contracts.vocabulary import (CHANNELS, CONSULTATION_STATUSES, CONSULTED_BY, ISSUE_CATEGORIES,
                               REFERRAL_REASONS, REFERRAL_RETURN_REASONS, URGENCY)

from consultation.domain.consent import Disclosure, require_consent_of
from consultation.domain.rules import ConsultationRuleViolation, ReturnRuleViolation, check_codes

OPEN, WATCHING, REFERRED, CONNECTED, RESOLVED = "open", "watching", "referred", "connected", "resolved"
UNDECIDED = (OPEN, WATCHING)  # an outcome may still be chosen

__all__ = ["Consultation", "ConsultationRuleViolation", "ReturnRuleViolation", "check_codes"]


class Consultation(Aggregate):
    @event("Received")
    def __init__(self, household_id: UUID, agency: dict, received_at: datetime, channel: str,
                 consulted_by: str, issue_categories: list, urgency: str, caseworker_id: str,
                 personal: dict, person_ids: list | None = None, source: dict | None = None,
                 area: str | None = None):
        self.household_id = household_id
        self.area = area  # 日常生活圏域 (an area id of the city's directory), for counts by area
        self.agency = agency
        self.received_at = received_at
        self.channel = channel
        self.consulted_by = consulted_by
        self.issue_categories = issue_categories
        self.urgency = urgency
        self.caseworker_id = caseworker_id
        self.personal = personal
        self.person_ids = list(person_ids or [])
        self.source = source
        self.status = OPEN
        self.referrals: list[dict] = []
        self.returns: list[dict] = []
        self.connections: list[dict] = []
        self.contacts: list[dict] = []
        self.next_contact_on: date | None = None
        self.resolved_at: datetime | None = None
        self.outreach_requests: list[dict] = []  # アウトリーチの依頼 (issue 8)

    @classmethod
    def receive(cls, *, household_id: UUID, agency: dict, received_at: datetime, channel: str,
                consulted_by: str, issue_categories: list, urgency: str, caseworker_id: str,
                persons: list, summary: str | None, source: dict | None = None,
                consultation_id: UUID | None = None, details: dict | None = None,
                area: str | None = None) -> "Consultation":
        """Accept a consultation (受付). Only the vocabulary is checked: nobody is turned away.
        `consultation_id`: an id decided by the caller (an imported row's, kept on re-import)."""
        check_codes("channel", [channel], CHANNELS)
        check_codes("consulted_by", [consulted_by], CONSULTED_BY)
        check_codes("issue_categories", issue_categories, ISSUE_CATEGORIES)
        check_codes("urgency", [urgency], URGENCY)
        create = ((lambda **kw: cls._create(cls.Received, id=consultation_id, **kw))  # type: ignore[attr-defined]  # @event makes it
                  if consultation_id else cls)
        return create(household_id=household_id, agency=agency, received_at=received_at,
                   channel=channel, consulted_by=consulted_by,
                   issue_categories=sorted(set(issue_categories)), urgency=urgency,
                   caseworker_id=caseworker_id,
                   personal={"persons": persons, "summary": summary, **(details or {})},
                   person_ids=[str(p["person_id"]) for p in persons if p.get("person_id")],
                   source=source, area=area)

    @property
    def subject_ids(self) -> list:
        """本人 — the persons the consultation is about: those marked 本人, else everyone named."""
        persons = self.personal.get("persons") or []
        selves = [str(p["person_id"]) for p in persons
                  if p.get("relation") == "self" and p.get("person_id")]
        return selves or list(self.person_ids)

    # -- 多機関協働へつなぐ -------------------------------------------------------------------

    def refer_to_collaboration(self, *, referral_id: UUID, reasons: list, referred_at: datetime,
                               caseworker_id: str, note: str | None,
                               disclosure: Disclosure | None = None,
                               to_instance: str | None = None) -> None:
        """多機関協働へつなぐ — refer the household to multi-agency collaboration, with the reason.

        Without consent the referral goes without personal details (collaboration may still
        hold a 支援会議 on it, art. 106-6); with consent it carries what the consent covers.
        """
        if self.status == REFERRED:
            raise ConsultationRuleViolation(
                "a consultation already referred to 多機関協働 cannot be referred again")
        self._check_undecided()
        if not reasons:
            raise ConsultationRuleViolation("a referral to 多機関協働 needs at least one reason")
        check_codes("reasons", reasons, REFERRAL_REASONS)
        shared = self._shared(disclosure)
        # The event repeats household, agency, categories and urgency so that it reads on its
        # own (an auditor's replay, the relay) without the consultation's earlier events.
        self._referred(referral_id=referral_id, household_id=self.household_id,
                       referring_agency=self.agency, reasons=sorted(set(reasons)),
                       issue_categories=self.issue_categories, urgency=self.urgency,
                       referred_at=referred_at, caseworker_id=caseworker_id,
                       disclosure=_disclosure_record(disclosure),
                       personal={"note": note, **shared} if shared else {"note": note},
                       to_instance=to_instance)

    @event("ReferredToCollaboration")
    def _referred(self, referral_id: UUID, household_id: UUID, referring_agency: dict,
                  reasons: list, issue_categories: list, urgency: str, referred_at: datetime,
                  caseworker_id: str, personal: dict, disclosure: dict | None = None,
                  to_instance: str | None = None) -> None:
        self.status = REFERRED
        self.referrals.append({"referral_id": referral_id, "reasons": reasons,
                               "referred_at": referred_at, "caseworker_id": caseworker_id})

    # -- アウトリーチの依頼 (issue 8) ------------------------------------------------------------

    def request_outreach(self, *, request_id: UUID, to_instance: str, to_organisation: str,
                         noticed: list, area: str, requested_at: datetime, caseworker_id: str,
                         disclosure: Disclosure, note: str | None = None) -> None:
        """アウトリーチの依頼 — ask one outreach instance to reach a person this desk noticed
        (seed 004 §5(3)). What was noticed goes as codes with the area; the persons (and the
        summary) only as far as the household's consent covers the outreach organisation or
        purpose — otherwise the request is pseudonymous. The consultation's outcome is not
        decided by it: the desk keeps the consultation."""
        check_codes("noticed", noticed, ISSUE_CATEGORIES)
        if not noticed:
            raise ConsultationRuleViolation("an outreach request names what was noticed")
        if not area:
            raise ConsultationRuleViolation("an outreach request names the area (日常生活圏域)")
        shared = self._shared(disclosure)
        self._outreach_requested(request_id=str(request_id), household_id=self.household_id,
                                 agency=self.agency, to_instance=to_instance,
                                 to_organisation=to_organisation, noticed=sorted(set(noticed)),
                                 area=area, urgency=self.urgency, requested_at=requested_at,
                                 caseworker_id=caseworker_id,
                                 disclosure=_disclosure_record(disclosure),
                                 personal={**shared, "note": note})

    @event("OutreachRequested")
    def _outreach_requested(self, request_id: str, household_id: UUID, agency: dict,
                            to_instance: str, to_organisation: str, noticed: list, area: str,
                            urgency: str, requested_at: datetime, caseworker_id: str,
                            disclosure: dict | None, personal: dict) -> None:
        self.outreach_requests.append(
            {"request_id": request_id, "to_instance": to_instance, "requested_at": requested_at})

    # -- 多機関協働からの差し戻し ------------------------------------------------------------------

    def was_returned(self, referral_id) -> bool:
        """Whether 多機関協働 already returned this referral (a redelivered return changes nothing)."""
        return any(r["referral_id"] == str(referral_id) for r in self.returns)

    def return_from_collaboration(self, *, referral_id, case_id, reason: str,
                                  returned_at: datetime, returned_by: str,
                                  from_instance: str | None = None) -> None:
        """差し戻し — 多機関協働 gave the referral back with the reason: the consultation is
        対応中 again at this agency (it may be referred again, connected, resolved, watched)."""
        if self.status != REFERRED:
            raise ReturnRuleViolation(
                f"only a consultation referred to 多機関協働 can be returned (it is "
                f"{CONSULTATION_STATUSES[self.status]})")
        current = self.referrals[-1]
        if str(current["referral_id"]) != str(referral_id):
            raise ReturnRuleViolation("the return names a referral that is not the one in force")
        check_codes("reason", [reason], REFERRAL_RETURN_REASONS, ReturnRuleViolation)
        self._returned(referral_id=str(referral_id), case_id=str(case_id),
                       household_id=self.household_id, agency=self.agency, reason=reason,
                       returned_at=returned_at, returned_by=returned_by,
                       from_instance=from_instance)

    @event("ReturnedFromCollaboration")
    def _returned(self, referral_id: str, case_id: str, household_id: UUID, agency: dict,
                  reason: str, returned_at: datetime, returned_by: str,
                  from_instance: str | None = None) -> None:
        self.status = OPEN
        self.returns.append({"referral_id": referral_id, "case_id": case_id, "reason": reason,
                             "returned_at": returned_at, "returned_by": returned_by})

    # -- 他機関へつなぐ ------------------------------------------------------------------------

    def connect_to_agency(self, *, connection_id: UUID, to_instance: str, to_organisation: str,
                          to_agency: dict, connected_at: datetime, caseworker_id: str,
                          note: str | None, disclosure: Disclosure) -> None:
        """他の相談支援機関へつなぐ — only with the consent of the person concerned (本人同意)."""
        self._check_undecided()
        if to_agency["agency_id"] == self.agency["agency_id"]:
            raise ConsultationRuleViolation("a consultation is connected to another agency, not its own")
        require_consent_of(disclosure, self.subject_ids)
        shared = self._shared(disclosure)
        # The note stays in this instance's record; it leaves only when disclosure.texts.
        self._connected(connection_id=str(connection_id), household_id=self.household_id,
                        from_agency=self.agency, to_instance=to_instance,
                        to_organisation=to_organisation, to_agency=to_agency,
                        issue_categories=self.issue_categories, urgency=self.urgency,
                        connected_at=connected_at, caseworker_id=caseworker_id,
                        disclosure=_disclosure_record(disclosure),
                        personal={**shared, "note": note})

    @event("ConnectedToAgency")
    def _connected(self, connection_id: str, household_id: UUID, from_agency: dict,
                   to_instance: str, to_organisation: str, to_agency: dict,
                   issue_categories: list, urgency: str, connected_at: datetime,
                   caseworker_id: str, disclosure: dict | None, personal: dict) -> None:
        self.status = CONNECTED
        self.connections.append({"connection_id": connection_id, "to_instance": to_instance,
                                 "to_agency": to_agency, "connected_at": connected_at})

    # -- 終結・見守り・継続相談 ------------------------------------------------------------------

    def resolve(self, *, resolved_at: datetime, caseworker_id: str, note: str | None) -> None:
        """終結（解決） — the trouble was resolved at this agency."""
        self._check_undecided()
        self._resolved(household_id=self.household_id, agency=self.agency,
                       resolved_at=resolved_at, caseworker_id=caseworker_id,
                       personal={"note": note})

    @event("Resolved")
    def _resolved(self, household_id: UUID, agency: dict, resolved_at: datetime,
                  caseworker_id: str, personal: dict) -> None:
        self.status = RESOLVED
        self.resolved_at = resolved_at
        self.next_contact_on = None

    def continue_watch(self, *, next_contact_on: date, decided_at: datetime, caseworker_id: str,
                       note: str | None) -> None:
        """見守り — keep watching, with the date of the next contact."""
        self._check_undecided()
        if next_contact_on < decided_at.date():
            raise ConsultationRuleViolation("the next contact date cannot be before today")
        self._watch_continued(household_id=self.household_id, agency=self.agency,
                              next_contact_on=next_contact_on, decided_at=decided_at,
                              caseworker_id=caseworker_id, personal={"note": note})

    @event("WatchContinued")
    def _watch_continued(self, household_id: UUID, agency: dict, next_contact_on: date,
                         decided_at: datetime, caseworker_id: str, personal: dict) -> None:
        self.status = WATCHING
        self.next_contact_on = next_contact_on

    def record_contact(self, *, contact_id: UUID, contacted_at: datetime, channel: str,
                       caseworker_id: str, note: str | None) -> None:
        """継続相談 — a further contact on this consultation (it counts in the 延べ numbers). A
        contact made before the 終結 may be written up afterwards (late, or by データ移行)."""
        if self.status == RESOLVED and (self.resolved_at is None or contacted_at >= self.resolved_at):
            raise ConsultationRuleViolation(
                "a resolved consultation takes no further contact: receive a new consultation")
        check_codes("channel", [channel], CHANNELS)
        if contacted_at < self.received_at:
            raise ConsultationRuleViolation("a contact cannot come before the consultation was received")
        self._contact_recorded(contact_id=str(contact_id), household_id=self.household_id,
                               agency=self.agency, contacted_at=contacted_at, channel=channel,
                               issue_categories=self.issue_categories,
                               caseworker_id=caseworker_id, personal={"note": note},
                               area=self.area)

    @event("ContactRecorded")
    def _contact_recorded(self, contact_id: str, household_id: UUID, agency: dict,
                          contacted_at: datetime, channel: str, issue_categories: list,
                          caseworker_id: str, personal: dict, area: str | None = None) -> None:
        self.contacts.append({"contact_id": contact_id, "contacted_at": contacted_at,
                              "channel": channel})

    # -- helpers ------------------------------------------------------------------------------

    def _check_undecided(self) -> None:
        if self.status not in UNDECIDED:
            raise ConsultationRuleViolation(
                f"a consultation already {CONSULTATION_STATUSES[self.status]} takes no other outcome")

    def _shared(self, disclosure: Disclosure | None) -> dict:
        """The personal details a sharing may carry: the covered persons, and the summary only
        when everyone concerned is covered."""
        if disclosure is None or not disclosure.shares_anything:
            return {}
        allowed = set(disclosure.person_ids)
        persons = [p for p in self.personal.get("persons") or [] if str(p.get("person_id")) in allowed]
        return {"persons": persons,
                "summary": self.personal.get("summary") if disclosure.texts else None}


def _disclosure_record(disclosure: Disclosure | None) -> dict | None:
    """The non-personal facts of a sharing: to whom, why, whose details, under which consents."""
    if disclosure is None or not disclosure.shares_anything:
        return None
    return {"organisation": disclosure.organisation, "purpose": disclosure.purpose,
            "consent_ids": list(disclosure.consent_ids), "person_ids": list(disclosure.person_ids),
            "texts": disclosure.texts}
