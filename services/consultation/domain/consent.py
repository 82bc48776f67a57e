"""本人同意 — consent to share a person's information, its withdrawal, and each sharing under it.

DOMAIN.md §4: sharing a person's information between agencies needs that person's consent —
who gave it (本人 or a representative), for which organisations or purposes, how (書面, 口頭),
when — and a withdrawal stops further sharing at once. One `HouseholdConsents` aggregate per
household holds every consent of its persons; each sharing is recorded on it too, so a
withdrawal and a sharing that race each other collide on its version and cannot both win.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from kasane.keyed import PerHousehold

from kasane_contracts.vocabulary import CONSENT_GIVEN_BY, CONSENT_METHODS, CONSENT_PURPOSES

from consultation.domain.rules import ConsentRequired, ConsentRuleViolation, check_codes

GIVEN, WITHDRAWN = "given", "withdrawn"


@dataclass(frozen=True)
class Disclosure:
    """情報提供の範囲 — which persons' details a sharing may carry, under which consents.

    `texts` is True only when every person concerned is covered: free text (相談内容, メモ)
    may describe any of them, so it goes only when all have consented.
    """

    organisation: str
    purpose: str
    consent_ids: tuple
    person_ids: tuple
    texts: bool

    @property
    def shares_anything(self) -> bool:
        return bool(self.person_ids)


class HouseholdConsents(PerHousehold):
    """本人同意の記録 — the consents given for one household's persons."""

    NAMESPACE = uuid5(NAMESPACE_URL, "https://kasane.example/consultation/household-consents")

    @event("Opened")
    def __init__(self, household_id: UUID):
        self.household_id = household_id
        self.consents: dict[str, dict] = {}
        self.disclosures: list[dict] = []

    def record(self, *, consent_id: UUID, person_id: str, given_by: str, organisations: list,
               purposes: list, method: str, given_at: datetime, caseworker_id: str,
               agency: dict, representative: str | None = None) -> None:
        """同意の記録 — record a consent; it names organisations, purposes, or both."""
        check_codes("given_by", [given_by], CONSENT_GIVEN_BY, ConsentRuleViolation)
        check_codes("method", [method], CONSENT_METHODS, ConsentRuleViolation)
        check_codes("purposes", purposes, CONSENT_PURPOSES, ConsentRuleViolation)
        if not organisations and not purposes:
            raise ConsentRuleViolation(
                "a consent names at least one organisation or purpose it covers")
        if given_by == "self" and representative:
            raise ConsentRuleViolation("a consent given by the person (本人) names no representative")
        if str(consent_id) in self.consents:
            raise ConsentRuleViolation("this consent is already recorded")
        self._recorded(household_id=self.household_id, consent_id=str(consent_id),
                       person_id=str(person_id), given_by=given_by,
                       organisations=sorted(set(organisations)), purposes=sorted(set(purposes)),
                       method=method, given_at=given_at, caseworker_id=caseworker_id,
                       agency=agency, personal={"representative": representative})

    @event("ConsentRecorded")
    def _recorded(self, household_id: UUID, consent_id: str, person_id: str, given_by: str,
                  organisations: list, purposes: list, method: str, given_at: datetime,
                  caseworker_id: str, agency: dict, personal: dict) -> None:
        self.consents[consent_id] = {
            "consent_id": consent_id, "person_id": person_id, "given_by": given_by,
            "organisations": organisations, "purposes": purposes, "method": method,
            "given_at": given_at, "status": GIVEN, "withdrawn_at": None}

    def withdraw(self, *, consent_id: UUID, withdrawn_at: datetime, caseworker_id: str,
                 agency: dict) -> None:
        """同意の撤回 — from now on the consent covers nothing; what was shared stays recorded."""
        consent = self.consents.get(str(consent_id))
        if consent is None:
            raise ConsentRuleViolation("no such consent is recorded for this household")
        if consent["status"] == WITHDRAWN:
            raise ConsentRuleViolation("this consent was already withdrawn")
        if withdrawn_at < consent["given_at"]:
            raise ConsentRuleViolation("a consent cannot be withdrawn before it was given")
        self._withdrawn(household_id=self.household_id, consent_id=str(consent_id),
                        person_id=consent["person_id"], withdrawn_at=withdrawn_at,
                        caseworker_id=caseworker_id, agency=agency)

    @event("ConsentWithdrawn")
    def _withdrawn(self, household_id: UUID, consent_id: str, person_id: str,
                   withdrawn_at: datetime, caseworker_id: str, agency: dict) -> None:
        self.consents[consent_id].update(status=WITHDRAWN, withdrawn_at=withdrawn_at)

    def covering(self, person_id: str, organisation: str | None, purpose: str,
                 at: datetime) -> str | None:
        """The id of an unwithdrawn consent of the person covering this sharing, or None."""
        for consent in self.consents.values():
            if (consent["person_id"] == str(person_id) and consent["status"] == GIVEN
                    and consent["given_at"] <= at
                    and (organisation in consent["organisations"]
                         or purpose in consent["purposes"])):
                return consent["consent_id"]
        return None

    def record_disclosure(self, disclosure: Disclosure, *, disclosure_id: UUID,
                          disclosed_at: datetime) -> None:
        """情報提供の記録 — who was told about whom, under which consents (DOMAIN.md §4)."""
        self._disclosed(household_id=self.household_id, disclosure_id=str(disclosure_id),
                        organisation=disclosure.organisation, purpose=disclosure.purpose,
                        consent_ids=list(disclosure.consent_ids),
                        person_ids=list(disclosure.person_ids), texts=disclosure.texts,
                        disclosed_at=disclosed_at)

    @event("Disclosed")
    def _disclosed(self, household_id: UUID, disclosure_id: str, organisation: str,
                   purpose: str, consent_ids: list, person_ids: list, texts: bool,
                   disclosed_at: datetime) -> None:
        self.disclosures.append({"disclosure_id": disclosure_id, "organisation": organisation,
                                 "purpose": purpose, "person_ids": person_ids})


def disclosure_for(records: list, person_ids: list, *, organisation: str | None, purpose: str,
                   at: datetime) -> Disclosure:
    """What may be shared with `organisation` for `purpose`: the persons whose own consent,
    recorded in any of the household's consent records, covers it."""
    covered, consent_ids = [], []
    for person_id in person_ids:
        consent_id = next((c for c in (r.covering(person_id, organisation, purpose, at)
                                       for r in records if r is not None) if c), None)
        if consent_id:
            covered.append(str(person_id))
            consent_ids.append(consent_id)
    return Disclosure(organisation=organisation or purpose, purpose=purpose,
                      consent_ids=tuple(dict.fromkeys(consent_ids)), person_ids=tuple(covered),
                      texts=bool(person_ids) and len(covered) == len(person_ids))


def require_consent_of(disclosure: Disclosure, subject_ids: list) -> None:
    """つなぐ needs the consent of the person the consultation is about (本人): refuse otherwise."""
    if not subject_ids or not set(map(str, subject_ids)) <= set(disclosure.person_ids):
        raise ConsentRequired(
            "connecting to another agency needs the recorded, unwithdrawn consent of the "
            "person concerned (本人同意) covering the receiving organisation or purpose")
