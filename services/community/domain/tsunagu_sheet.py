"""つなぐシート — a place's staff (つなぐシート連絡員) noticed someone who may need help (seed
001_ddff1cd5bed04970.txt §10(4) 地域づくり事業 1.: 「同意を得た上で本人とともにつなぐシートを作成し、
相談支援包括化推進員に情報提供する」).

The sheet is written at the place. It leaves the place only with the person's consent
(本人同意: who gave it, how, when) and only to the one consultation agency chosen with them —
then it is sent, addressed to that agency's instance, with its personal part. Without consent
it stays at the place: nothing is sent, and it can be sent later if the person agrees.
"""
from __future__ import annotations

from datetime import datetime

from eventsourcing.domain import Aggregate, event

from kasane_contracts.vocabulary import CONSENT_GIVEN_BY, CONSENT_METHODS, ISSUE_CATEGORIES

from community.domain.rules import ConsentRequired, SheetRuleViolation, check_codes


class TsunaguSheet(Aggregate):
    """One つなぐシート, from writing at the place to its sending (or not) to an agency."""

    @event("Written")
    def __init__(self, place: dict, liaison_id: str, issue_categories: list,
                 written_at: datetime, personal: dict):
        check_codes("issue_categories", issue_categories, ISSUE_CATEGORIES, SheetRuleViolation)
        if not issue_categories:
            raise SheetRuleViolation("a つなぐシート names at least one 地域生活課題 category")
        self.place, self.liaison_id = place, liaison_id
        self.issue_categories, self.written_at = list(issue_categories), written_at
        self.personal = personal  # kept at the place; sent only with consent
        self.consent: dict | None = None
        self.sent_to: dict | None = None

    @property
    def status(self) -> str:
        return "sent" if self.sent_to else "kept_without_consent"

    def send(self, *, consent: dict | None, to: dict, sent_at: datetime) -> None:
        """情報提供 — send the sheet to the chosen agency's instance, under the person's consent."""
        if not consent:
            raise ConsentRequired("a つなぐシート is sent to an agency only with the person's consent "
                                  "(本人同意: who, how, when); without it the sheet stays at the place")
        check_codes("consent.given_by", [consent["given_by"]], CONSENT_GIVEN_BY, SheetRuleViolation)
        check_codes("consent.method", [consent["method"]], CONSENT_METHODS, SheetRuleViolation)
        if self.sent_to is not None:
            raise SheetRuleViolation("a つなぐシート is sent once, to one agency; write a new sheet "
                                     "for another agency")
        if consent["given_at"] > sent_at:
            raise SheetRuleViolation("consent is given before the sheet is sent")
        # The sent event repeats the sheet's facts: what leaves is readable from it alone.
        self._sent(place=self.place, liaison_id=self.liaison_id,
                   issue_categories=self.issue_categories, written_at=self.written_at,
                   consent=consent, to_agency=to["agency"], to_instance=to["instance"],
                   sent_at=sent_at, personal=self.personal)

    @event("Sent")
    def _sent(self, place: dict, liaison_id: str, issue_categories: list, written_at: datetime,
              consent: dict, to_agency: dict, to_instance: str, sent_at: datetime,
              personal: dict) -> None:
        self.consent = consent
        self.sent_to = {"agency": to_agency, "instance": to_instance, "sent_at": sent_at}
