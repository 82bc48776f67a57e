"""つなぐシート — a place's staff (つなぐシート連絡員) noticed someone who may need help (seed
001_ddff1cd5bed04970.txt §10(4) 地域づくり事業 1.: 「同意を得た上で本人とともにつなぐシートを作成し、
相談支援包括化推進員に情報提供する」).

The sheet is made with the person, after their consent: personal details (who, a summary, a
note) are written on it only under that consent (本人同意: who gave it, how, when), and it leaves
the place only to the one consultation agency chosen with them — sent, addressed to that
agency's instance, with its personal part. Without consent the sheet holds only the facts: that
it was written, at which place, for which area (日常生活圏域) and about which 地域生活課題; the
person's details may be added when they consent later, and it is sent then.
"""
from __future__ import annotations

from datetime import datetime

from eventsourcing.domain import Aggregate, event

from kasane_contracts.vocabulary import CONSENT_GIVEN_BY, CONSENT_METHODS, ISSUE_CATEGORIES

from community.domain.rules import ConsentRequired, SheetRuleViolation, check_codes


def has_details(personal: dict | None) -> bool:
    """Does this personal part name or describe anyone?"""
    return any(v for v in (personal or {}).values())


def check_personal_under_consent(personal: dict | None, consent: dict | None) -> None:
    if has_details(personal) and not consent:
        raise ConsentRequired("personal: a つなぐシート holds a person's details only with their consent "
                              "(本人同意, seed 001 §10(4)); without it only the facts that it was "
                              "written, where and for which area are kept")


class TsunaguSheet(Aggregate):
    """One つなぐシート, from writing at the place to its sending (or not) to an agency."""

    @event("Written")
    def __init__(self, place: dict, liaison_id: str, issue_categories: list,
                 written_at: datetime, personal: dict | None, area: str | None = None,
                 consented: bool = True):
        # Sheets written before issue 19 have no area and no `consented` (they held details).
        check_codes("issue_categories", issue_categories, ISSUE_CATEGORIES, SheetRuleViolation)
        if not issue_categories:
            raise SheetRuleViolation("a つなぐシート names at least one 地域生活課題 category")
        self.place, self.liaison_id, self.area = place, liaison_id, area
        self.issue_categories, self.written_at = list(issue_categories), written_at
        self.personal = personal if consented else None
        self.consent: dict | None = None
        self.sent_to: dict | None = None

    @classmethod
    def write(cls, *, consent: dict | None, personal: dict | None, **facts) -> "TsunaguSheet":
        """作成 — personal details only under the consent given with the sheet."""
        check_personal_under_consent(personal, consent)
        return cls(personal=personal if consent else None, consented=bool(consent), **facts)

    @property
    def status(self) -> str:
        return "sent" if self.sent_to else "kept_without_consent"

    def send(self, *, consent: dict | None, to: dict, sent_at: datetime,
             personal: dict | None = None) -> None:
        """情報提供 — send the sheet to the chosen agency's instance, under the person's consent;
        the details written with the person now (`personal`) join the sheet."""
        if not consent:
            raise ConsentRequired("a つなぐシート is sent to an agency only with the person's consent "
                                  "(本人同意: who, how, when); without it the sheet stays at the place")
        check_codes("consent.given_by", [consent["given_by"]], CONSENT_GIVEN_BY, SheetRuleViolation)
        check_codes("consent.method", [consent["method"]], CONSENT_METHODS, SheetRuleViolation)
        if not to.get("agency"):
            raise SheetRuleViolation("to: a つなぐシート with consent is sent to the agency chosen with "
                                     "the person (宛先)")
        if self.sent_to is not None:
            raise SheetRuleViolation("a つなぐシート is sent once, to one agency; write a new sheet "
                                     "for another agency")
        if consent["given_at"] > sent_at:
            raise SheetRuleViolation("consent is given before the sheet is sent")
        details = personal if has_details(personal) else self.personal
        if details is None or not has_details(details):
            raise SheetRuleViolation("personal.persons: a つなぐシート sent to an agency names the "
                                     "person it is about (written with them, now that they consent)")
        # The sent event repeats the sheet's facts: what leaves is readable from it alone.
        self._sent(place=self.place, liaison_id=self.liaison_id,
                   issue_categories=self.issue_categories, written_at=self.written_at,
                   consent=consent, to_agency=to["agency"], to_instance=to["instance"],
                   sent_at=sent_at, personal=details)

    @event("Sent")
    def _sent(self, place: dict, liaison_id: str, issue_categories: list, written_at: datetime,
              consent: dict, to_agency: dict, to_instance: str, sent_at: datetime,
              personal: dict) -> None:
        self.consent, self.personal = consent, personal
        self.sent_to = {"agency": to_agency, "instance": to_instance, "sent_at": sent_at}
