"""インテーク・アセスメント — the assessment of each person and of the household.

Per person and for the household: situation, issues by category, strengths, wishes and risks,
dated and attributed (who assessed, for which organisation). It is revisable: each revision is
an event and the earlier ones stay (DOMAIN.md §9, インテーク・アセスメントシート). Issue codes are
kept apart from the free text, which is personal (DOMAIN.md §10).
"""
from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from kasane.keyed import KeyedAggregate

from kasane_contracts.vocabulary import ISSUE_CATEGORIES

from collaboration.domain.rules import AssessmentRuleViolation, check_codes

NAMESPACE = uuid5(NAMESPACE_URL, "https://kasane.example/collaboration/assessment")
TEXTS = ("situation", "strengths", "wishes", "risks")


class Assessment(KeyedAggregate):
    """One case's assessment, with every revision kept."""

    KEY, NAMESPACE = "case_id", NAMESPACE

    @event("Started")
    def __init__(self, case_id: UUID, household_id: UUID):
        self.case_id = case_id
        self.household_id = household_id
        self.revisions: list[dict] = []

    def revise(self, *, assessed_on: date, assessor: dict, persons: list, household: dict) -> None:
        """アセスメントの記録 (or its revision): the whole sheet, as assessed on that day."""
        check_sheet(persons, household)
        if self.revisions and assessed_on < self.revisions[-1]["assessed_on"]:
            raise AssessmentRuleViolation("a revision is dated no earlier than the one it revises")
        self._recorded(
            household_id=self.household_id, revision=len(self.revisions) + 1,
            assessed_on=assessed_on, assessor=dict(assessor),
            persons=[{"person_id": str(p["person_id"]), "issue_categories": list(p["issue_categories"])}
                     for p in persons],
            household={"issue_categories": list(household.get("issue_categories") or [])},
            personal={"persons": [_texts(p, person_id=str(p["person_id"])) for p in persons],
                      "household": _texts(household)})

    @event("Recorded")
    def _recorded(self, household_id: UUID, revision: int, assessed_on: date, assessor: dict,
                  persons: list, household: dict, personal: dict) -> None:
        self.revisions.append({"revision": revision, "assessed_on": assessed_on,
                               "assessor": assessor, "persons": persons, "household": household,
                               "personal": personal})

    @property
    def current(self) -> dict | None:
        return self.revisions[-1] if self.revisions else None

    def person_ids(self) -> list[str]:
        return [p["person_id"] for r in self.revisions for p in r["persons"]]


def check_sheet(persons: list, household: dict) -> None:
    if not persons and not any(household.get(k) for k in (*TEXTS, "issue_categories")):
        raise AssessmentRuleViolation("an assessment covers at least one person or the household")
    ids = [str(p["person_id"]) for p in persons]
    if len(set(ids)) != len(ids):
        raise AssessmentRuleViolation("each person appears once in an assessment")
    for p in persons:
        check_codes("persons.issue_categories", p["issue_categories"], ISSUE_CATEGORIES,
                    AssessmentRuleViolation)
    check_codes("household.issue_categories", household.get("issue_categories") or [],
                ISSUE_CATEGORIES, AssessmentRuleViolation)


def _texts(part: dict, **extra) -> dict:
    return {**extra, **{key: part.get(key) for key in TEXTS}}
