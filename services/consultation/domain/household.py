"""世帯 — a household as this instance knows it, with its persons (世帯員).

The household is the unit (DOMAIN.md §3): consultations, consents and leads are keyed by its
stable id, which is the same in every service. A person is found before a new household is
made (see views/search.py); when two records turn out to be one household, they are merged
by events on both — the absorbed one points to the survivor, nothing is overwritten.
"""
from __future__ import annotations

from datetime import date, datetime
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from kasane_contracts.vocabulary import RELATIONS

from consultation.domain.rules import HouseholdRuleViolation, check_codes


def person_record(person: dict) -> dict:
    """A person as stored: a stable id, ISO birth date; every other part may be unknown (None)."""
    birth_date = person.get("birth_date")
    record = {
        "person_id": str(person.get("person_id") or uuid4()),
        "name": person.get("name"),
        "kana": person.get("kana"),
        "birth_date": birth_date.isoformat() if isinstance(birth_date, date) else birth_date,
        "relation": person.get("relation") or "unknown",
        "area": person.get("area"),
    }
    check_codes("relation", [record["relation"]], RELATIONS, HouseholdRuleViolation)
    return record


class Household(Aggregate):
    """世帯 — one household and the ids of its persons; their details stay in `personal`."""

    @event("Registered")
    def __init__(self, id: UUID, registered_at: datetime, agency: dict, caseworker_id: str,  # noqa: A002
                 person_ids: list, explicit_choice: bool, duplicate_candidates: list,
                 personal: dict):
        self.registered_at = registered_at
        self.person_ids = list(person_ids)
        self.persons = {p["person_id"]: p for p in personal["persons"]}
        self.merged_into: UUID | None = None
        self.merged_households: list = []
        self.collaboration_household_id: str | None = None

    @classmethod
    def register(cls, *, household_id: UUID, persons: list, registered_at: datetime, agency: dict,
                 caseworker_id: str, explicit_choice: bool = False,
                 duplicate_candidates: list | tuple = ()) -> "Household":
        """新規世帯登録 — a new household; `duplicate_candidates` are the households the
        search offered and the caseworker did not choose (kept for the audit)."""
        records = [person_record(p) for p in persons]
        return cls(id=household_id, registered_at=registered_at, agency=agency,
                   caseworker_id=caseworker_id, person_ids=[p["person_id"] for p in records],
                   explicit_choice=explicit_choice,
                   duplicate_candidates=[str(c) for c in duplicate_candidates],
                   personal={"persons": records})

    @property
    def household_id(self) -> UUID:
        return self.id

    def add_persons(self, persons: list, *, added_at: datetime, caseworker_id: str) -> list:
        """世帯員の追加 — persons named at a later intake; returns every named person's id.

        A person given with an id already in the household is that person (nothing recorded).
        """
        self._check_not_merged()
        known = set(self.person_ids)
        records = [person_record(p) for p in persons]
        new = [r for r in records if r["person_id"] not in known]
        if new:
            self._persons_added(household_id=self.id, added_at=added_at,
                                caseworker_id=caseworker_id,
                                person_ids=[p["person_id"] for p in new],
                                personal={"persons": new})
        return [r["person_id"] for r in records]

    @event("PersonsAdded")
    def _persons_added(self, household_id: UUID, added_at: datetime, caseworker_id: str,
                       person_ids: list, personal: dict) -> None:
        self.person_ids.extend(person_ids)
        self.persons.update({p["person_id"]: p for p in personal["persons"]})

    def absorb(self, other: "Household", *, merged_at: datetime, caseworker_id: str,
               agency: dict) -> None:
        """世帯の統合 — `other` turned out to be this same household: it points here from now on.

        Both keep their history; the survivor records the merge, the absorbed one where it went.
        """
        if other.id == self.id:
            raise HouseholdRuleViolation("a household cannot be merged with itself")
        self._check_not_merged()
        if other.merged_into is not None:
            raise HouseholdRuleViolation("the household to merge was already merged into another")
        self._merged(household_id=self.id, merged_household_id=other.id,
                     person_ids=list(other.person_ids), merged_at=merged_at,
                     caseworker_id=caseworker_id, agency=agency)
        other._merged_into(household_id=other.id, into_household_id=self.id,
                           merged_at=merged_at, caseworker_id=caseworker_id)

    @event("HouseholdsMerged")
    def _merged(self, household_id: UUID, merged_household_id: UUID, person_ids: list,
                merged_at: datetime, caseworker_id: str, agency: dict) -> None:
        self.merged_households.append(merged_household_id)
        self.person_ids.extend(p for p in person_ids if p not in self.person_ids)

    @event("MergedInto")
    def _merged_into(self, household_id: UUID, into_household_id: UUID, merged_at: datetime,
                     caseworker_id: str) -> None:
        self.merged_into = into_household_id

    def note_joined_in_collaboration(self, *, household_id: str, case_id: str, consultation_id: str,
                                     joined_at: datetime) -> bool:
        """多機関協働で統合 — 多機関協働 found this household to be another desk's (the same person,
        by its staff's decision) and took the referral into that household's case: the desk
        keeps the household id the case goes by. False when already known."""
        if getattr(self, "collaboration_household_id", None) == household_id:
            return False
        self._joined_in_collaboration(household_id=self.id, collaboration_household_id=household_id,
                                      case_id=case_id, consultation_id=consultation_id, joined_at=joined_at)
        return True

    @event("JoinedInCollaboration")
    def _joined_in_collaboration(self, household_id: UUID, collaboration_household_id: str,
                                 case_id: str, consultation_id: str, joined_at: datetime) -> None:
        self.collaboration_household_id = collaboration_household_id

    def _check_not_merged(self) -> None:
        if self.merged_into is not None:
            raise HouseholdRuleViolation(
                "this household was merged into another: use the household it was merged into")
