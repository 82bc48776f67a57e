"""ケースの本人 — the persons each case learnt from its referrals (under consent: a referral
without consent brings no persons), indexed by kana and birth date (domain/same_person.py
`person_key`) so that a new referral finds a likely same person of another household's case at
once, however many cases are open. In memory, fed from the instance's own log."""
from __future__ import annotations

from collections import defaultdict

from kasane.privacy.forgetting import is_subject

from collaboration.domain.case import Case
from collaboration.domain.same_person import SamePersonCheck, person_key


class CasePersons:
    def __init__(self):
        self.by_key: dict[tuple, list[dict]] = defaultdict(list)  # key -> [{case, household, person}]
        self.check_ids: list = []  # 同一人物の確認, in the order noticed

    def apply(self, e) -> None:
        if isinstance(e, SamePersonCheck.Noticed):
            self.check_ids.append(e.originator_id)
        elif isinstance(e, (Case.Opened, Case.ReferralJoined)):
            self.add(e.originator_id, e.household_id, (getattr(e, "personal", None) or {}).get("persons") or [])

    def add(self, case_id, household_id, persons) -> None:
        """A case's persons, each under its key (a person without kana or birth date has none)."""
        for person in persons:
            if (key := person_key(person)) is not None:
                self.by_key[key].append({"case_id": str(case_id), "household_id": str(household_id),
                                         "person_id": person["person_id"]})

    def forget(self, subject_id: str, household: bool) -> None:
        """削除請求: an erased person (or every person of an erased household) is matched no more,
        as after a restart, when the erased entry has no kana or birth date to index."""
        for key, known in list(self.by_key.items()):
            kept = [k for k in known if not is_subject(subject_id, household, k["person_id"], k["household_id"])]
            if kept:
                self.by_key[key] = kept
            else:
                del self.by_key[key]

    def likely_same(self, persons: list, household_id) -> dict[tuple, list[dict]]:
        """(case id, household id) of another household -> the pairs (person here, person there)."""
        found: dict[tuple, list[dict]] = defaultdict(list)
        for person in persons:
            for known in self.by_key.get(person_key(person), ()):
                if known["household_id"] != str(household_id):
                    found[(known["case_id"], known["household_id"])].append(
                        {"person_id": person["person_id"], "other_person_id": known["person_id"]})
        return found

