"""相談受付・世帯の統合 — the consultation application's intake use cases: an intake sheet
and its household (found, registered or merged), mixed into ConsultationApplication."""
from __future__ import annotations

from uuid import UUID, uuid4

from kasane.clock import now
from kasane.errors import NotFound
from kasane.fiscal_year import japan_date
from kasane.store.trace import Trace

from consultation.domain.age_points import age_hand_overs
from consultation.domain.consultation import Consultation
from consultation.domain.household import Household, person_record
from consultation.domain.lead import Lead
from consultation.domain.rules import HouseholdChoiceRequired, HouseholdRuleViolation


class Intake:
    # -- 相談受付 -------------------------------------------------------------------------------

    def receive_consultation(self, trace: Trace, *, household_id: UUID | None, persons: list,
                             agency: dict, new_household: bool = False, lead_id: UUID | None = None,
                             summary: str | None = None, issue_categories: list = (),
                             address: str | None = None, phone: str | None = None,
                             **intake) -> dict:
        """相談受付 — record an intake sheet; find or register its household; take in a lead."""
        agency = self.agency(agency)
        self.directory.require_known(areas={"area": intake.get("area")})
        lead = self.repository.get(lead_id) if lead_id else None
        self._check_household_known(household_id, lead)
        household_id, persons, summary, issue_categories = from_lead(
            lead, household_id, persons, summary, issue_categories, intake)
        if household_id and new_household:
            raise HouseholdRuleViolation(
                "choose either an existing household (household_id) or a new one, not both")
        household, records, possible_duplicates = self._household_for(
            household_id, persons, agency=agency, caseworker_id=intake["caseworker_id"],
            explicit=bool(household_id) or new_household)
        consultation = Consultation.receive(
            household_id=household.id, agency=agency, persons=records, summary=summary,
            issue_categories=list(issue_categories), source=_source_of(lead),
            details=intake_details(persons, records, address, phone), **intake)
        if lead is not None:
            lead.take_in(consultation_id=consultation.id, taken_in_at=now(),
                         caseworker_id=intake["caseworker_id"], agency=agency)
        self.save_traced(household, consultation, lead, trace=trace)
        return {"consultation_id": str(consultation.id), "household_id": str(household.id),
                "person_ids": [p["person_id"] for p in records],
                "possible_duplicates": possible_duplicates,
                "age_hand_overs": age_hand_overs(records, japan_date(intake["received_at"]))}

    def _check_household_known(self, household_id: UUID | None, lead: Lead | None) -> None:
        """A household the caseworker names must be known here; only a lead (a hand-back, a
        connection) may bring a household id from elsewhere, which the household then keeps."""
        if household_id is None or (lead is not None and lead.household_id == household_id):
            return
        if not isinstance(self.find(household_id), Household):
            raise NotFound("世帯が見つかりません（household_id）: 世帯検索で選ぶか、新しい世帯として受け付けてください")

    def _household_for(self, household_id, persons, *, agency, caseworker_id, explicit):
        """The chosen household (followed to where it was merged) with the intake's persons
        added, or a new one; a new household not explicitly chosen keeps the households the
        search found for its persons as possible duplicates (to merge, or not)."""
        existing = self.find(household_id) if household_id else None
        if existing is not None:
            household = self._current(existing)
            return household, self._persons_of_household(household, persons, caseworker_id), []
        records = [person_record(p) for p in persons]
        duplicates = []
        if not household_id:
            self.views.catch_up()
            duplicates = self.search.duplicates_of(records)
            if duplicates and not explicit:
                raise HouseholdChoiceRequired(
                    f"{len(duplicates)} known household(s) match persons of this intake: choose one "
                    "(household_id, see find_households) or a new household (new_household: true)")
        # A household id not known here comes from elsewhere (a hand-back, a connection):
        # the household keeps it, so every service names it alike.
        household = Household.register(
            household_id=household_id or uuid4(), persons=records, registered_at=now(),
            agency=agency, caseworker_id=caseworker_id, explicit_choice=explicit,
            duplicate_candidates=duplicates)
        return household, records, ([] if explicit else duplicates)

    def _persons_of_household(self, household: Household, persons: list, caseworker_id: str) -> list:
        """The intake's persons as records of the household: a person named by id is the one
        already known (their stored details), anyone else is added to the household."""
        known = self._known_persons(household)
        records = [known.get(str(p.get("person_id"))) or person_record(p) for p in persons]
        new = [r for r in records if r["person_id"] not in known]
        if new:
            household.add_persons(new, added_at=now(), caseworker_id=caseworker_id)
        return records

    def _known_persons(self, household: Household) -> dict:
        persons = dict(household.persons)
        for absorbed_id in household.merged_households:
            persons.update(self._known_persons(self.repository.get(absorbed_id)))
        return persons

    # -- 世帯の統合 ----------------------------------------------------------------------------

    def merge_households(self, trace: Trace, *, household_id: UUID, merged_household_id: UUID,
                         caseworker_id: str, agency: dict) -> dict:
        """世帯の統合 — two records turned out to be one household; both keep their history."""
        agency = self.agency(agency)
        survivor = self.repository.get(household_id)
        absorbed = self.repository.get(merged_household_id)
        survivor.absorb(absorbed, merged_at=now(), caseworker_id=caseworker_id, agency=agency)
        self.save_traced(survivor, absorbed, trace=trace)
        return {"household_id": str(survivor.id), "merged_household_id": str(absorbed.id),
                "person_ids": list(survivor.person_ids)}


    def _current(self, household: Household) -> Household:
        """Follow merges to the household that lives on."""
        seen = set()
        while household.merged_into is not None and household.id not in seen:
            seen.add(household.id)
            household = self.repository.get(household.merged_into)
        return household


def from_lead(lead: Lead | None, household_id, persons: list, summary, issue_categories,
              intake: dict) -> tuple:
    """A lead taken in gives the intake its household, persons, summary, categories and urgency
    where the caseworker gave none."""
    intake["urgency"] = intake.get("urgency") or (lead.urgency if lead is not None else "normal")
    if lead is None:
        return household_id, persons, summary, list(issue_categories)
    return (household_id or lead.household_id, persons or lead.persons,
            summary if summary is not None else lead.personal.get("summary"),
            list(issue_categories) or lead.issue_categories)


def intake_details(persons: list, records: list, address: str | None, phone: str | None) -> dict:
    """住所・電話・性別 — personal, kept in the consultation's personal part only (never
    published: the intake's integration event carries no personal part)."""
    sexes = {r["person_id"]: p.get("sex") for p, r in zip(persons, records) if p.get("sex")}
    return {k: v for k, v in (("address", address), ("phone", phone), ("sexes", sexes)) if v}


def _source_of(lead: Lead | None) -> dict | None:
    if lead is None:
        return None
    return {"kind": lead.kind, "lead_id": str(lead.id), "origin_instance": lead.origin["instance"]}
