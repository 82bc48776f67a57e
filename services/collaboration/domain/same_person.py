"""同一人物の確認 — one household, one case (DOMAIN §3): the same mother taken in at two desks
becomes two households there (each desk sees only its own, rightly). 多機関協働, which holds the
persons of both referrals under consent, notices a likely same person — same kana (compared as
the desks' search does, kasane.kana) and same birth date — and its staff decide: join the new
referral to the existing case (that case's household id is then the household's, and the
referring desk learns it through the referral's answer) or keep them apart. Either way the
decision is recorded, once, with who decided and when. Nothing personal is kept here: ids only.
"""
from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from kasane.kana import kana_key
from kasane.keyed import KeyedAggregate
from kasane_contracts.vocabulary import SAME_PERSON_DECISIONS

from collaboration.domain.rules import CaseRuleViolation, check_codes


def person_key(person: dict) -> tuple[str, str] | None:
    """カナ氏名と生年月日 — both known, or no key (a part unknown neither matches nor excludes)."""
    kana, birth = kana_key(person.get("kana")), person.get("birth_date")
    return (kana, str(birth)) if kana and birth else None


class SamePersonCheck(KeyedAggregate):
    """A new case whose referral likely names a person of another household's open case."""

    KEY = ("case_id", "other_case_id")
    NAMESPACE = uuid5(NAMESPACE_URL, "https://kasane.example/collaboration/same-person")

    @event("Noticed")
    def __init__(self, case_id: UUID, household_id: UUID, other_case_id: UUID,
                 other_household_id: UUID, pairs: list, noticed_at: datetime):
        self.case_id, self.household_id = case_id, household_id
        self.other_case_id, self.other_household_id = other_case_id, other_household_id
        self.pairs, self.noticed_at = pairs, noticed_at
        self.decision: dict | None = None

    def decide(self, *, decision: str, caseworker_id: str, decided_at: datetime,
               note: str | None = None) -> None:
        check_codes("decision", [decision], SAME_PERSON_DECISIONS, CaseRuleViolation)
        if self.decision is not None:
            raise CaseRuleViolation("this likely same person was already decided on "
                                    f"({SAME_PERSON_DECISIONS[self.decision['decision']]})")
        self._decided(decision=decision, caseworker_id=caseworker_id, decided_at=decided_at,
                      personal={"note": note})

    @event("Decided")
    def _decided(self, decision: str, caseworker_id: str, decided_at: datetime, personal: dict) -> None:
        self.decision = {"decision": decision, "caseworker_id": caseworker_id, "decided_at": decided_at}
