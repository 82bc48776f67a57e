"""The consultation application: one method per use case (受付, 同意, つなぎ, 照会).

An instance knows its organisation and the agencies it operates (deploy/instances.yaml →
KASANE_AGENCIES); a command naming another agency is refused. Queries read in-process views
caught up from this instance's own log (views/).
"""
from __future__ import annotations

import logging
from datetime import date, datetime
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError

from kasane.area_issues import AreaIssues
from kasane.clock import in_japan, now
from kasane.errors import NotFound
from kasane.runtime.paging import PAGE_SIZE, page
from kasane.store.business_line import BusinessLineApplication
from kasane.store.trace import Trace

from consultation.domain.consent import HouseholdConsents, disclosure_for
from consultation.domain.consultation import Consultation
from consultation.domain.household import Household, person_record
from consultation.domain.lead import Lead
from consultation.domain.rules import (ConsentRuleViolation, HouseholdChoiceRequired,
                                       HouseholdRuleViolation,
                                       UnknownAgency)
from consultation.views.caseload import Caseload
from consultation.views.counts import FiscalYearCounts
from consultation.views.report import report_tally
from consultation.views.search import HouseholdSearch
from consultation.views.timeline import HouseholdTimeline
from consultation import queries

log = logging.getLogger(__name__)


class ConsultationApplication(BusinessLineApplication):
    def __init__(self, env: dict | None = None, *, agencies=(),
                 collaboration_instance: str | None = None, **where):
        super().__init__(env, **where)
        self.collaboration_instance = collaboration_instance  # where referrals are addressed
        self.agencies = {a["agency_id"]: {"agency_id": a["agency_id"], "name": a["name"]}
                         for a in agencies}
        if not self.agencies:
            # An instance started without KASANE_AGENCIES (older deployments): it accepts the
            # agency each command names, as the first slice did.
            log.warning("consultation instance %s knows no agencies; accepting any", self.instance)
        self.search, self.caseload, self.timeline = HouseholdSearch(), Caseload(), HouseholdTimeline()
        self.follow(FiscalYearCounts(), report_tally(), self.search, self.caseload, self.timeline)

    # -- 相談受付 -------------------------------------------------------------------------------

    def receive_consultation(self, trace: Trace, *, household_id: UUID | None, persons: list,
                             agency: dict, new_household: bool = False, lead_id: UUID | None = None,
                             summary: str | None = None, issue_categories: list = (),
                             **intake) -> dict:
        """相談受付 — record an intake sheet; find or register its household; take in a lead."""
        agency = self.agency(agency)
        lead = self.repository.get(lead_id) if lead_id else None
        self._check_household_known(household_id, lead)
        if lead is not None:
            household_id = household_id or lead.household_id
            persons = persons or lead.persons
            summary = summary if summary is not None else lead.personal.get("summary")
            issue_categories = list(issue_categories) or lead.issue_categories
        intake["urgency"] = intake.get("urgency") or (lead.urgency if lead is not None else "normal")
        if household_id and new_household:
            raise HouseholdRuleViolation(
                "choose either an existing household (household_id) or a new one, not both")
        household, records, possible_duplicates = self._household_for(
            household_id, persons, agency=agency, caseworker_id=intake["caseworker_id"],
            explicit=bool(household_id) or new_household)
        consultation = Consultation.receive(
            household_id=household.id, agency=agency, persons=records, summary=summary,
            issue_categories=list(issue_categories), source=_source_of(lead), **intake)
        if lead is not None:
            lead.take_in(consultation_id=consultation.id, taken_in_at=now(),
                         caseworker_id=intake["caseworker_id"], agency=agency)
        self.save_traced(household, consultation, lead, trace=trace)
        return {"consultation_id": str(consultation.id), "household_id": str(household.id),
                "person_ids": [p["person_id"] for p in records],
                "possible_duplicates": possible_duplicates}

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

    # -- 本人同意 ------------------------------------------------------------------------------

    def record_consent(self, trace: Trace, *, household_id: UUID, person_id: UUID,
                       given_at: datetime | None, agency: dict, **consent) -> dict:
        """同意の記録 — the person (or a representative) consents to sharing, for some
        organisations or purposes."""
        agency = self.agency(agency)
        household = self._current(self.repository.get(household_id))
        if str(person_id) not in household.person_ids:
            raise ConsentRuleViolation("the person is not a member of this household")
        records = self._consents(household) or HouseholdConsents(household_id=household.id)
        consent_id = uuid4()
        records.record(consent_id=consent_id, person_id=str(person_id),
                       given_at=given_at or now(), agency=agency, **consent)
        self.save_traced(records, trace=trace)
        return {"consent_id": str(consent_id), "household_id": str(household.id)}

    def withdraw_consent(self, trace: Trace, *, household_id: UUID, consent_id: UUID,
                         withdrawn_at: datetime | None, caseworker_id: str, agency: dict) -> dict:
        """同意の撤回 — stops every further sharing under the consent, at once."""
        agency = self.agency(agency)
        household = self._current(self.repository.get(household_id))
        holder = next((r for r in self._all_consents(household) if str(consent_id) in r.consents), None)
        if holder is None:
            raise ConsentRuleViolation("no such consent is recorded for this household")
        holder.withdraw(consent_id=consent_id, withdrawn_at=withdrawn_at or now(),
                        caseworker_id=caseworker_id, agency=agency)
        self.save_traced(holder, trace=trace)
        return {"consent_id": str(consent_id), "status": "withdrawn"}

    def _consents(self, household: Household) -> HouseholdConsents | None:
        return self.find(HouseholdConsents.create_id(household.id))

    def _all_consents(self, household: Household) -> list:
        """The consent records of the household and of every household merged into it."""
        records = [self._consents(household)]
        for absorbed_id in household.merged_households:
            records += self._all_consents(self.repository.get(absorbed_id))
        return [r for r in records if r is not None]

    def _disclosure(self, consultation: Consultation, *, organisation: str | None, purpose: str):
        household = self._current(self.repository.get(consultation.household_id))
        records = self._all_consents(household)
        disclosure = disclosure_for(records, consultation.person_ids, organisation=organisation,
                                    purpose=purpose, at=now())
        holder = next((r for r in records if set(disclosure.consent_ids) & set(r.consents)), None)
        if holder is not None and disclosure.shares_anything:
            holder.record_disclosure(disclosure, disclosure_id=uuid4(), disclosed_at=now())
        return disclosure, holder

    # -- つなぎ・終結・見守り・継続相談 ----------------------------------------------------------

    def refer_to_collaboration(self, trace: Trace, *, consultation_id: UUID,
                               referred_at: datetime | None, to_organisation: str | None = None,
                               **referral) -> dict:
        consultation: Consultation = self.repository.get(consultation_id)
        disclosure, holder = self._disclosure(consultation, organisation=to_organisation,
                                              purpose="collaboration")
        referral_id = uuid4()
        consultation.refer_to_collaboration(
            referral_id=referral_id, referred_at=referred_at or now(), disclosure=disclosure,
            to_instance=self.collaboration_instance, **referral)
        self.save_traced(consultation, holder, trace=trace)
        return {"referral_id": str(referral_id), "consultation_id": str(consultation_id),
                "shared_person_ids": list(disclosure.person_ids)}

    def connect_to_agency(self, trace: Trace, *, consultation_id: UUID, to: dict,
                          connected_at: datetime | None, caseworker_id: str,
                          note: str | None) -> dict:
        """他機関へつなぐ — the receiving agency's instance gets it as work awaiting intake. The
        agency must be one of the city's directory, once this instance's copy holds the city."""
        self.directory.require_known(agencies={"to.agency_id": to["agency_id"]})
        consultation: Consultation = self.repository.get(consultation_id)
        disclosure, holder = self._disclosure(consultation, organisation=to["organisation"],
                                              purpose="connection")
        connection_id = uuid4()
        consultation.connect_to_agency(
            connection_id=connection_id, to_instance=to["instance"],
            to_organisation=to["organisation"],
            to_agency={"agency_id": to["agency_id"], "name": to["name"]},
            connected_at=connected_at or now(), caseworker_id=caseworker_id, note=note,
            disclosure=disclosure)
        self.save_traced(consultation, holder, trace=trace)
        return {"connection_id": str(connection_id), "consultation_id": str(consultation_id),
                "shared_person_ids": list(disclosure.person_ids)}

    def request_outreach(self, trace: Trace, *, consultation_id: UUID, to: dict, noticed: list,
                         area: str, caseworker_id: str, note: str | None = None,
                         requested_at: datetime | None = None) -> dict:
        """アウトリーチの依頼 — addressed to one outreach instance; personal only under consent.
        The area must be one of the city's directory, once this instance's copy holds the city."""
        self.directory.require_known(areas={"area": area})
        consultation: Consultation = self.repository.get(consultation_id)
        disclosure, holder = self._disclosure(consultation, organisation=to["organisation"],
                                              purpose="outreach")
        request_id = uuid4()
        consultation.request_outreach(
            request_id=request_id, to_instance=to["instance"], to_organisation=to["organisation"],
            noticed=noticed, area=area, requested_at=requested_at or now(),
            caseworker_id=caseworker_id, disclosure=disclosure, note=note)
        self.save_traced(consultation, holder, trace=trace)
        return {"request_id": str(request_id), "consultation_id": str(consultation_id),
                "shared_person_ids": list(disclosure.person_ids)}

    def resolve(self, trace: Trace, *, consultation_id: UUID, resolved_at: datetime | None,
                caseworker_id: str, note: str | None) -> dict:
        consultation: Consultation = self.repository.get(consultation_id)
        consultation.resolve(resolved_at=resolved_at or now(), caseworker_id=caseworker_id, note=note)
        self.save_traced(consultation, trace=trace)
        return {"consultation_id": str(consultation_id), "status": consultation.status}

    def continue_watch(self, trace: Trace, *, consultation_id: UUID, next_contact_on: date,
                       caseworker_id: str, note: str | None) -> dict:
        consultation: Consultation = self.repository.get(consultation_id)
        consultation.continue_watch(next_contact_on=next_contact_on, decided_at=in_japan(now()),
                                    caseworker_id=caseworker_id, note=note)
        self.save_traced(consultation, trace=trace)
        return {"consultation_id": str(consultation_id), "status": consultation.status,
                "next_contact_on": next_contact_on.isoformat()}

    def record_contact(self, trace: Trace, *, consultation_id: UUID, contacted_at: datetime | None,
                       **contact) -> dict:
        consultation: Consultation = self.repository.get(consultation_id)
        contact_id = uuid4()
        consultation.record_contact(contact_id=contact_id, contacted_at=contacted_at or now(), **contact)
        self.save_traced(consultation, trace=trace)
        return {"contact_id": str(contact_id), "consultation_id": str(consultation_id)}

    # -- 照会 ---------------------------------------------------------------------------------

    def consultation(self, consultation_id: UUID) -> dict:
        """相談記録 — the consultation as this instance knows it."""
        return queries.consultation_view(self.repository.get(consultation_id))

    def open_consultations(self, agency_id: str) -> dict:
        self.agency({"agency_id": agency_id, "name": agency_id})
        self.views.catch_up()
        return self.caseload.open_at(agency_id)

    def household_timeline(self, household_id: UUID) -> dict:
        self.views.catch_up()
        entries = self.timeline.of(str(household_id))
        if not entries:
            raise AggregateNotFoundError(household_id)
        return {"household_id": str(household_id),
                "current_household_id": self.search.current_household(str(household_id)),
                "entries": entries}

    def fiscal_year_counts(self, fiscal_year: int, agency_id: str | None = None) -> dict:
        if agency_id:
            self.agency({"agency_id": agency_id, "name": agency_id})
        self.views.catch_up()
        return self.counts.of(fiscal_year, agency_id)

    def area_issues(self, area: str | None = None) -> dict:
        """地域課題 — the area issues learnt from 地域づくり, of one area or of all, newest first."""
        issues: AreaIssues | None = self.find(AreaIssues.create_id())
        return {"area": area,
                "issues": [queries.area_issue_view(i) for i in (issues.of(area) if issues else [])]}

    def find_households(self, *, kana: str | None, birth_date: date | None, area: str | None,
                        limit: int = PAGE_SIZE, cursor: str | None = None) -> dict:
        """Candidates, best first, one page at a time (`next_cursor` asks for the next)."""
        self.views.catch_up()
        found = self.search.find(kana=kana, birth_date=birth_date.isoformat() if birth_date else None,
                                 area=area)
        candidates, next_cursor = page(found, limit=limit, cursor=cursor)
        return {"candidates": candidates, "next_cursor": next_cursor}

    # -- helpers ------------------------------------------------------------------------------

    def agency(self, named: dict) -> dict:
        """The agency as this instance operates it; UnknownAgency if it operates no such agency."""
        if not self.agencies:
            return {"agency_id": named["agency_id"], "name": named["name"]}
        try:
            return dict(self.agencies[named["agency_id"]])
        except KeyError:
            raise UnknownAgency("this instance does not operate the agency named") from None

    def lead_agency(self, named: dict | None) -> dict | None:
        """Where a lead awaits: the agency it names if this instance operates it, else any."""
        if named and (not self.agencies or named["agency_id"] in self.agencies):
            return self.agency(named)
        return None

    def find_consultation(self, consultation_id) -> Consultation | None:
        """The consultation of that id held here, or None (also for a malformed id)."""
        try:
            found = self.find(UUID(str(consultation_id)))
        except ValueError:
            return None
        return found if isinstance(found, Consultation) else None

    def _current(self, household: Household) -> Household:
        """Follow merges to the household that lives on."""
        seen = set()
        while household.merged_into is not None and household.id not in seen:
            seen.add(household.id)
            household = self.repository.get(household.merged_into)
        return household


def _source_of(lead: Lead | None) -> dict | None:
    if lead is None:
        return None
    return {"kind": lead.kind, "lead_id": str(lead.id), "origin_instance": lead.origin["instance"]}
