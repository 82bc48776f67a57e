"""本人同意 as 多機関協働 knows it — learnt from consultation's consent events, obeyed here.

DOMAIN.md §4: a 重層的支援会議 discusses only households that consented, and no role request
or hand-back carries a person's details to an organisation outside the consent; a withdrawal
stops further sharing at once. One `HouseholdConsent` per household (its id derived from the
household id) keeps every consent learnt from `consultation.consent_recorded` v1 and
`consultation.consent_withdrawn` v1. A consent also covers the organisation that recorded it:
that agency took the consent and holds the person's details already.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from kasane.keyed import PerHousehold


COLLABORATION = "collaboration"  # the consent purpose 多機関協働・重層的支援会議での共有


@dataclass(frozen=True)
class Disclosure:
    """情報提供の範囲 — whose details a sharing may carry, and under which consents.

    Free text (goals, summaries) may describe any person of the household, so `texts` is True
    only when every person concerned is covered.
    """

    organisation: str
    purpose: str
    consent_ids: tuple = ()
    person_ids: tuple = ()
    texts: bool = False
    by_representative: tuple = ()  # persons covered by a representative's consent (代理人の同意)

    @property
    def shares_anything(self) -> bool:
        return bool(self.person_ids)

    def as_dict(self) -> dict:
        return {"organisation": self.organisation, "purpose": self.purpose,
                "consent_ids": list(self.consent_ids), "person_ids": list(self.person_ids),
                "texts": self.texts, "by_representative": list(self.by_representative)}


NOTHING = Disclosure(organisation="", purpose="")


class HouseholdConsent(PerHousehold):
    """世帯の同意状況 — the consents of one household's persons, as consultation published them."""

    NAMESPACE = uuid5(NAMESPACE_URL, "https://kasane.example/collaboration/household-consent")

    @event("Opened")
    def __init__(self, household_id: UUID):
        self.household_id = household_id
        self.consents: dict[str, dict] = {}
        self.withdrawn: set[str] = set()

    def learn_recorded(self, *, consent_id: str, person_id: str, organisations: list,
                       purposes: list, given_at: datetime, recorded_by: str,
                       given_by: str = "self") -> None:
        if consent_id in self.consents:
            return  # consultation publishes each consent once; a replay changes nothing
        self._recorded(consent_id=consent_id, person_id=person_id,
                       organisations=list(organisations), purposes=list(purposes),
                       given_at=given_at, recorded_by=recorded_by, given_by=given_by)

    @event("ConsentLearned")
    def _recorded(self, consent_id: str, person_id: str, organisations: list, purposes: list,
                  given_at: datetime, recorded_by: str, given_by: str = "self") -> None:
        self.consents[consent_id] = {"consent_id": consent_id, "person_id": person_id,
                                     "organisations": organisations, "purposes": purposes,
                                     "given_at": given_at, "recorded_by": recorded_by,
                                     "given_by": given_by}

    def learn_withdrawn(self, *, consent_id: str, person_id: str, withdrawn_at: datetime) -> None:
        if consent_id in self.withdrawn:
            return
        self._withdrawn(consent_id=consent_id, person_id=person_id, withdrawn_at=withdrawn_at)

    @event("WithdrawalLearned")
    def _withdrawn(self, consent_id: str, person_id: str, withdrawn_at: datetime) -> None:
        # Kept even for a consent not (yet) learnt, so that it can never come into force later.
        self.withdrawn.add(consent_id)

    def in_force(self) -> list[dict]:
        return [c for c in self.consents.values() if c["consent_id"] not in self.withdrawn]

    def covering(self, person_id: str, organisation: str, purpose: str) -> str | None:
        """The id of an unwithdrawn consent of the person covering this sharing, or None."""
        for consent in self.in_force():
            if consent["person_id"] == str(person_id) and (
                    organisation in consent["organisations"] or purpose in consent["purposes"]
                    or organisation == consent["recorded_by"]):
                return consent["consent_id"]
        return None

    def allows_collaboration(self, organisation: str) -> bool:
        """同意あり — someone of the household consented to sharing in 多機関協働 (or with
        this organisation), and has not withdrawn it: a 重層的支援会議 may take the case up.
        What it shares of each person still follows that person's own consent
        (`disclosure_for`); the others' matters stay with a 支援会議."""
        return any(COLLABORATION in c["purposes"] or organisation in c["organisations"]
                   for c in self.in_force())

    def person_ids(self) -> list[str]:
        return list(dict.fromkeys(c["person_id"] for c in self.consents.values()))


def has_collaboration_consent(consent: HouseholdConsent | None, organisation: str) -> bool:
    """Whether the household's case goes to a 重層的支援会議 (else to a 支援会議)."""
    return consent is not None and consent.allows_collaboration(organisation)


def disclosure_for(consent: HouseholdConsent | None, known_person_ids: list, *,
                   organisation: str, purpose: str) -> Disclosure:
    """What may go to `organisation` for `purpose`: the persons whose own unwithdrawn consent
    covers it. Persons concerned are those the case knows and those who gave any consent."""
    if consent is None:
        return Disclosure(organisation=organisation, purpose=purpose)
    concerned = list(dict.fromkeys([*map(str, known_person_ids), *consent.person_ids()]))
    covered, consent_ids, by_representative = [], [], []
    for person_id in concerned:
        consent_id = consent.covering(person_id, organisation, purpose)
        if consent_id:
            covered.append(person_id)
            consent_ids.append(consent_id)
            if consent.consents[consent_id].get("given_by", "self") != "self":
                by_representative.append(person_id)
    return Disclosure(organisation=organisation, purpose=purpose,
                      consent_ids=tuple(dict.fromkeys(consent_ids)), person_ids=tuple(covered),
                      texts=bool(covered) and len(covered) == len(concerned),
                      by_representative=tuple(by_representative))


def shared_personal(personal: dict, disclosure: Disclosure, text_keys: tuple) -> dict | None:
    """The personal part a sharing may carry: covered persons, and texts only if all are covered."""
    if not disclosure.shares_anything:
        return None
    allowed = set(disclosure.person_ids)
    shared = {"persons": [p for p in personal.get("persons") or [] if p.get("person_id") in allowed]}
    if disclosure.texts:
        shared.update({key: personal.get(key) for key in text_keys})
    return shared
