"""関わりの規則 — what a contact (訪問・連絡) must say, and which contacts are meeting the person
themself (会えた・話ができた directly): the ground consent is obtained on and 接触 is reached by."""
from __future__ import annotations

from datetime import date

from kasane_contracts.vocabulary import (OUTREACH_CONTACT_MODES, OUTREACH_CONTACT_OUTCOMES,
                                         OUTREACH_CONTACT_WITH)

from outreach.domain.rules import ContactRuleViolation, check_codes

MEETING_OUTCOMES = ("met", "talked")  # a direct contact with the person themself


def check_contact(mode: str, with_whom: str, outcome: str, *, contacted_on: date,
                  noticed_on: date) -> None:
    check_codes("mode", [mode], OUTREACH_CONTACT_MODES, ContactRuleViolation)
    check_codes("with_whom", [with_whom], OUTREACH_CONTACT_WITH, ContactRuleViolation)
    check_codes("outcome", [outcome], OUTREACH_CONTACT_OUTCOMES, ContactRuleViolation)
    if contacted_on < noticed_on:
        raise ContactRuleViolation("a contact is dated on or after the day the lead was noticed")
    if outcome in MEETING_OUTCOMES and mode == "indirect" and with_whom == "self":
        raise ContactRuleViolation("meeting the person is a direct contact")


def met_the_person(contact: dict) -> bool:
    return (contact["mode"] == "direct" and contact["with_whom"] == "self"
            and contact["outcome"] in MEETING_OUTCOMES)
