"""同一人物の確認 — one household, one case (issue 19; domain/same_person.py): noticing a likely
same person when a referral opens a case (the inbox handler calls `notice_same_persons`), the
staff's decision (join or keep apart, recorded either way) and the list of checks to decide.
Joining ends the new case (統合) and takes its referral into the existing case, so that
`collaboration.referral_joined_case` tells the referring desk the household id it joined."""
from __future__ import annotations

from uuid import UUID

from kasane.clock import now
from kasane.store.conflicts import retry_on_conflict
from kasane.store.trace import Trace
from kasane.store.unit_of_work import VIEWS_CAUGHT_UP, UnitOfWork
from kasane_contracts.vocabulary import SAME_PERSON_DECISIONS, label

from collaboration.domain.case import Case
from collaboration.domain.households import HouseholdCases
from collaboration.domain.joining import join_case
from collaboration.domain.same_person import SamePersonCheck
from collaboration.views.persons import CasePersons


def notice_same_persons(app, uow: UnitOfWork, case: Case, personal: dict | None) -> None:
    """A new case's persons (known only under consent) against every other household's open case:
    those in the instance's log and those an earlier referral of the same batch opened (two
    referrals of one person taken in together each see the other; the inbox consumer is the
    queue's single active consumer, so no other batch runs beside this one)."""
    persons = (personal or {}).get("persons") or []
    if not persons:
        return
    uow.kept(VIEWS_CAUGHT_UP, app.views.catch_up)  # once a batch (the consumer's reads), not per referral
    found = app.case_persons.likely_same(persons, case.household_id)
    for key, pairs in uow.kept("held persons", HeldPersons).of(uow).likely_same(persons, case.household_id).items():
        found.setdefault(key, pairs)
    for (other_case_id, other_household_id), pairs in found.items():
        check_id = SamePersonCheck.create_id(case.id, UUID(other_case_id))
        if uow.find(check_id) is not None or not uow.get(UUID(other_case_id)).is_open:
            continue
        uow.add(SamePersonCheck(case_id=case.id, household_id=case.household_id,
                                other_case_id=UUID(other_case_id), other_household_id=UUID(other_household_id),
                                pairs=pairs, noticed_at=now()))


class HeldPersons:
    """The persons of the open cases a unit of work holds, indexed as the view is — once per
    batch and kept up as its referrals open cases (rebuilt for every referral, a batch of 100
    cost 100 × 100 person keys). A case's own persons never match: `likely_same` skips its
    household. An indexed case that changed since (a referral joined it, it closed) is indexed
    again, with the rest."""

    def __init__(self):
        self.index, self.versions = CasePersons(), {}

    def of(self, uow: UnitOfWork) -> CasePersons:
        held = uow.held(Case)
        if any(self.versions.get(c.id, c.version) != c.version for c in held):
            self.index, self.versions = CasePersons(), {}
        for case in held:
            if case.id not in self.versions:
                self.versions[case.id] = case.version
                if case.is_open:
                    self.index.add(case.id, case.household_id, case.persons.values())
        return self.index


class Identity:
    """Mixed into CollaborationApplication."""

    @retry_on_conflict
    def decide_same_person(self, trace: Trace, *, check_id: UUID, decision: str, caseworker_id: str,
                           note: str | None = None) -> dict:
        """同一人物の判断 — join the new case's referral to the existing case, or keep them apart."""
        check: SamePersonCheck = self.repository.get(check_id)
        at = now()
        check.decide(decision=decision, caseworker_id=caseworker_id, decided_at=at, note=note)
        changed: list = [check]
        if decision == "join":
            case: Case = self.repository.get(check.case_id)
            changed += join_case(case, self.repository.get(check.other_case_id), self.repository.get,
                                 joined_at=at, caseworker_id=caseworker_id)
            index: HouseholdCases = self.repository.get(HouseholdCases.create_id(case.household_id))
            index.case_ended(case.id)
            changed.append(index)
        self.save_traced(*changed, trace=trace)
        return check_view(check)

    def same_person_checks(self, undecided_only: bool = True) -> dict:
        """確認待ち — the likely same persons noticed, ids only (names are on the cases)."""
        self.views.catch_up()
        checks = [self.repository.get(check_id) for check_id in self.case_persons.check_ids]
        return {"checks": [check_view(c) for c in checks if not (undecided_only and c.decision)]}


def check_view(c: SamePersonCheck) -> dict:
    decided = c.decision
    return {"check_id": str(c.id), "case_id": str(c.case_id), "household_id": str(c.household_id),
            "other_case_id": str(c.other_case_id), "other_household_id": str(c.other_household_id),
            "pairs": c.pairs, "noticed_at": c.noticed_at.isoformat(),
            "decision": decided and {**decided, "decided_at": decided["decided_at"].isoformat(),
                                     "label": label(SAME_PERSON_DECISIONS, decided["decision"])}}
