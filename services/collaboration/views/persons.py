"""ケースの本人 — the persons each case learnt from its referrals (under consent: a referral
without consent brings no persons), for noticing a likely same person across two desks'
referrals (domain/same_person.py). In memory, fed from the instance's own log."""
from __future__ import annotations

from collaboration.domain.case import Case
from collaboration.domain.same_person import SamePersonCheck


class CasePersons:
    def __init__(self):
        self.cases: dict[str, dict] = {}  # case id -> {household_id, persons}
        self.check_ids: list = []  # 同一人物の確認, in the order noticed

    def apply(self, e) -> None:
        if isinstance(e, SamePersonCheck.Noticed):
            self.check_ids.append(e.originator_id)
        if isinstance(e, (Case.Opened, Case.ReferralJoined)):
            case = self.cases.setdefault(str(e.originator_id), {"household_id": str(e.household_id),
                                                                 "persons": {}})
            for person in (getattr(e, "personal", None) or {}).get("persons") or []:
                case["persons"][person["person_id"]] = person

    def of_other_households(self, household_id) -> list[dict]:
        """Every case of another household, with the persons it knows."""
        return [{"case_id": case_id, "household_id": c["household_id"], "persons": list(c["persons"].values())}
                for case_id, c in self.cases.items() if c["household_id"] != str(household_id)]
