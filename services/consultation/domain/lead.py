"""受付待ち — work that arrived from another service and awaits intake at this instance.

Leads are: a つなぐシート from community building (seed 001 §10(4): a facility's staff notices
someone and, with consent, writes the sheet with them), a person reached by outreach who has
consented, a つなぎ戻し from 多機関協働 when a plan is closed (seed 001 §1(5): 支援関係機関の
役割分担が定まった場合、包括的相談支援事業者を含む適切な支援につなぐ), and a connection from
another consultation agency. A caseworker takes each in with an intake sheet.
"""
from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from kasane_contracts.vocabulary import ISSUE_CATEGORIES, LEAD_SOURCES, URGENCY

from consultation.domain.rules import LeadRuleViolation, check_codes

LEADS_NAMESPACE = uuid5(NAMESPACE_URL, "https://kasane.example/consultation/leads")
AWAITING, TAKEN_IN = "awaiting_intake", "taken_in"


class Lead(Aggregate):
    """受付待ちの案件 — one incoming lead, until a caseworker takes it in."""

    @staticmethod
    def create_id(event_id: str) -> UUID:
        """One lead per integration event: the id follows from the event's id."""
        return uuid5(LEADS_NAMESPACE, str(event_id))

    @event("Arrived")
    def __init__(self, event_id: str, kind: str, household_id: UUID | None, agency: dict | None,
                 origin: dict, reference: dict, issue_categories: list, urgency: str,
                 arrived_at: datetime, consent: dict | None, personal: dict):
        self.kind = kind
        self.household_id = household_id
        self.agency = agency
        self.origin = origin
        self.reference = reference
        self.issue_categories = issue_categories
        self.urgency = urgency
        self.arrived_at = arrived_at
        self.consent = consent
        self.personal = personal
        self.status = AWAITING
        self.consultation_id: str | None = None

    @classmethod
    def arrive(cls, *, event_id: str, kind: str, household_id: UUID | None, agency: dict | None,
               origin: dict, reference: dict, issue_categories: list, urgency: str = "normal",
               arrived_at: datetime, consent: dict | None = None,
               personal: dict | None = None) -> "Lead":
        check_codes("kind", [kind], LEAD_SOURCES, LeadRuleViolation)
        check_codes("issue_categories", issue_categories, ISSUE_CATEGORIES, LeadRuleViolation)
        check_codes("urgency", [urgency], URGENCY, LeadRuleViolation)
        return cls(event_id=str(event_id), kind=kind, household_id=household_id, agency=agency,
                   origin=origin, reference=reference,
                   issue_categories=sorted(set(issue_categories)), urgency=urgency,
                   arrived_at=arrived_at, consent=consent,
                   personal=personal or {"persons": [], "summary": None})

    @property
    def persons(self) -> list:
        return list(self.personal.get("persons") or [])

    def take_in(self, *, consultation_id: UUID, taken_in_at: datetime, caseworker_id: str,
                agency: dict) -> None:
        """受付 — the lead became a consultation at one of this instance's agencies."""
        if self.status != AWAITING:
            raise LeadRuleViolation("this lead was already taken in")
        if self.agency and self.agency["agency_id"] != agency["agency_id"]:
            raise LeadRuleViolation("this lead awaits intake at another agency of this instance")
        self._taken_in(household_id=self.household_id, consultation_id=str(consultation_id),
                       taken_in_at=taken_in_at, caseworker_id=caseworker_id, agency=agency)

    @event("TakenIn")
    def _taken_in(self, household_id: UUID | None, consultation_id: str, taken_in_at: datetime,
                  caseworker_id: str, agency: dict) -> None:
        self.status = TAKEN_IN
        self.consultation_id = consultation_id
