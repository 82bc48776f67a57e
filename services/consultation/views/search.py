"""世帯・本人の検索 — find a household or person before creating a new one (重複登録の防止).

Searched by kana name (カナ氏名), birth date and area; a part the record does not know neither
matches nor excludes. Kana is compared after NFKC, hiragana→katakana and without spaces or
middle dots, so ｶﾀｶﾅ, ひらがな and 「ヤマダ　タロウ」 find the same person.
"""
from __future__ import annotations

import unicodedata

from kasane.privacy.forgetting import is_subject
from kasane.privacy.sealing import erased_person
from kasane.kana import kana_key

from consultation.domain.household import Household

__all__ = ["HouseholdSearch", "area_key", "kana_key"]


def area_key(area: str | None) -> str | None:
    if not area:
        return None
    return "".join(unicodedata.normalize("NFKC", area).split()) or None


class HouseholdSearch:
    """Every person of every household registered here, with where merged households went.

    Each person's compared parts are normalised once, when the person is learnt (normalising
    every person's kana at every search made an intake's duplicate check a fifth of the desk's
    CPU with a few thousand households), and persons are indexed by kana and birth date, the
    pair a duplicate shares."""

    def __init__(self):
        self.persons: dict[str, dict] = {}
        self.merged_into: dict[str, str] = {}
        self._keys: dict[str, dict] = {}  # person id -> {"kana", "birth_date", "area"} as compared
        self._by_kana_birth: dict[tuple, set] = {}

    def forget(self, subject_id: str, household: bool) -> None:
        """削除請求: an erased person (or every person of an erased household) is found no more."""
        for person_id, person in list(self.persons.items()):
            if is_subject(subject_id, household, person_id, person["household_id"]):
                self._learn({**erased_person(person_id), "household_id": person["household_id"]})

    def apply(self, e) -> None:
        if isinstance(e, (Household.Registered, Household.PersonsAdded)):
            for person in e.personal["persons"]:
                self._learn({**person, "household_id": str(e.originator_id)})
        elif isinstance(e, Household.MergedInto):
            self.merged_into[str(e.originator_id)] = str(e.into_household_id)

    def _learn(self, person: dict) -> None:
        person_id = person["person_id"]
        before = self._keys.get(person_id)
        if before:
            self._by_kana_birth.get((before["kana"], before["birth_date"]), set()).discard(person_id)
        self.persons[person_id] = person
        keys = self._keys[person_id] = {"kana": kana_key(person.get("kana")), "birth_date": person.get("birth_date"),
                                        "area": area_key(person.get("area"))}
        if keys["kana"] and keys["birth_date"] and not person.get("erased"):
            self._by_kana_birth.setdefault((keys["kana"], keys["birth_date"]), set()).add(person_id)

    def current_household(self, household_id: str) -> str:
        """The household a (possibly merged) household lives on as."""
        seen = set()
        while household_id in self.merged_into and household_id not in seen:
            seen.add(household_id)
            household_id = self.merged_into[household_id]
        return household_id

    def find(self, *, kana: str | None = None, birth_date: str | None = None,
             area: str | None = None) -> list[dict]:
        """Candidates, best first: each person matching every given part the record knows and
        at least one of them."""
        wanted = {"kana": kana_key(kana), "birth_date": birth_date, "area": area_key(area)}
        wanted = {k: v for k, v in wanted.items() if v}
        return self._candidates(wanted, self.persons.values())

    def _candidates(self, wanted: dict, persons) -> list[dict]:
        found = []
        for person in persons:
            if person.get("erased"):  # 削除請求: its placeholder matches nobody
                continue
            known = self._keys[person["person_id"]]
            compared = {k: known[k] == v for k, v in wanted.items() if known[k]}
            if compared and all(compared.values()):
                found.append({
                    "household_id": self.current_household(person["household_id"]),
                    "registered_under": person["household_id"],
                    "person_id": person["person_id"], "name": person.get("name"),
                    "kana": person.get("kana"), "birth_date": person.get("birth_date"),
                    "area": person.get("area"), "relation": person.get("relation"),
                    "matched": sorted(compared),
                })
        return sorted(found, key=lambda c: (-len(c["matched"]), c["household_id"], c["person_id"]))

    def duplicates_of(self, persons: list) -> list[str]:
        """Households already holding a person with the same kana and birth date (both known)."""
        households = []
        for person in persons:
            kana, born = kana_key(person.get("kana")), person.get("birth_date")
            if not (kana and born):
                continue
            wanted = {"kana": kana, "birth_date": str(born)}
            same = self._by_kana_birth.get((wanted["kana"], wanted["birth_date"]), ())
            for candidate in self._candidates(wanted, [self.persons[i] for i in sorted(same)]):
                if set(candidate["matched"]) >= {"kana", "birth_date"}:
                    households.append(candidate["household_id"])
        return list(dict.fromkeys(households))
