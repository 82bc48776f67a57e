"""相談 — one consultation received at a consultation agency (包括的相談支援事業用シート).

What the intake sheet records (issue 4; DOMAIN.md §9 相談受付・申込票): when and how it came in,
who consulted, the household and persons concerned, what was said, the issue categories, the
urgency and the caseworker. Personal details (persons' names, kana, birth dates, what was said)
live in one `personal` part of each event, apart from the rest (DOMAIN.md §10).
The person's field or age never decides whether a consultation is accepted (断らない相談).
"""
from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from kasane.errors import DomainRuleViolation
from kasane.vocabulary import CHANNELS, CONSULTED_BY, ISSUE_CATEGORIES, REFERRAL_REASONS, URGENCY

OPEN, REFERRED = "open", "referred"


class ConsultationRuleViolation(DomainRuleViolation):
    """A command on a consultation broke one of its rules."""


class Consultation(Aggregate):
    @event("Received")
    def __init__(self, household_id: UUID, agency: dict, received_at: datetime, channel: str,
                 consulted_by: str, issue_categories: list, urgency: str, caseworker_id: str,
                 personal: dict):
        self.household_id = household_id
        self.agency = agency
        self.received_at = received_at
        self.channel = channel
        self.consulted_by = consulted_by
        self.issue_categories = issue_categories
        self.urgency = urgency
        self.caseworker_id = caseworker_id
        self.personal = personal
        self.status = OPEN
        self.referrals: list[dict] = []

    @classmethod
    def receive(cls, *, household_id: UUID, agency: dict, received_at: datetime, channel: str,
                consulted_by: str, issue_categories: list, urgency: str, caseworker_id: str,
                persons: list, summary: str | None) -> "Consultation":
        """Accept a consultation (受付). Only the vocabulary is checked: nobody is turned away."""
        check_codes("channel", [channel], CHANNELS)
        check_codes("consulted_by", [consulted_by], CONSULTED_BY)
        check_codes("issue_categories", issue_categories, ISSUE_CATEGORIES)
        check_codes("urgency", [urgency], URGENCY)
        return cls(household_id=household_id, agency=agency, received_at=received_at,
                   channel=channel, consulted_by=consulted_by,
                   issue_categories=sorted(set(issue_categories)), urgency=urgency,
                   caseworker_id=caseworker_id,
                   personal={"persons": persons, "summary": summary})

    def refer_to_collaboration(self, *, referral_id: UUID, reasons: list, referred_at: datetime,
                               caseworker_id: str, note: str | None) -> None:
        """多機関協働へつなぐ — refer the household to multi-agency collaboration, with the reason."""
        if self.status != OPEN:
            raise ConsultationRuleViolation(
                "a consultation already referred to 多機関協働 cannot be referred again")
        if not reasons:
            raise ConsultationRuleViolation("a referral to 多機関協働 needs at least one reason")
        check_codes("reasons", reasons, REFERRAL_REASONS)
        # The event repeats household, agency, categories and urgency so that it reads on its
        # own (an auditor's replay, the relay) without the consultation's earlier events.
        self._referred(referral_id=referral_id, household_id=self.household_id,
                       referring_agency=self.agency, reasons=sorted(set(reasons)),
                       issue_categories=self.issue_categories, urgency=self.urgency,
                       referred_at=referred_at, caseworker_id=caseworker_id,
                       personal={"note": note})

    @event("ReferredToCollaboration")
    def _referred(self, referral_id: UUID, household_id: UUID, referring_agency: dict,
                  reasons: list, issue_categories: list, urgency: str, referred_at: datetime,
                  caseworker_id: str, personal: dict) -> None:
        self.status = REFERRED
        self.referrals.append({"referral_id": referral_id, "reasons": reasons,
                               "referred_at": referred_at, "caseworker_id": caseworker_id})


def check_codes(field: str, values: list, vocabulary: dict) -> None:
    unknown = [v for v in values if v not in vocabulary]
    if unknown:
        raise ConsultationRuleViolation(f"{field}: {len(unknown)} code(s) not in the vocabulary")
