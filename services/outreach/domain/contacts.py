"""関わりの規則 — what a contact (訪問・連絡) must say, and which contacts are meeting the person
themself (会えた・話ができた directly): the ground consent is obtained on and 接触 is reached by."""
from __future__ import annotations

from datetime import date

from kasane_contracts.vocabulary import (CONSENT_GIVEN_BY, CONSENT_METHODS, CONSENT_PURPOSES,
                                         OUTREACH_CONTACT_MODES, OUTREACH_CONTACT_OUTCOMES,
                                         OUTREACH_CONTACT_WITH)

from outreach.domain.rules import (ConsentRequired, ContactRuleViolation, OutreachRuleViolation,
                                   check_codes)

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


def check_consent(persons: dict, contacts: list, *, person_id: str, given_by: str, method: str,
                  organisations: list, purposes: list) -> None:
    """A consent is the person's (or a representative's), for a person of the case, naming
    whom or what it covers, obtained after meeting the person directly."""
    check_codes("given_by", [given_by], CONSENT_GIVEN_BY, ConsentRequired)
    check_codes("method", [method], CONSENT_METHODS, ConsentRequired)
    check_codes("purposes", purposes, CONSENT_PURPOSES, ConsentRequired)
    if person_id not in persons:
        raise OutreachRuleViolation("consent is recorded for a person of this case")
    if not organisations and not purposes:
        raise OutreachRuleViolation("a consent names the organisations or the purposes it covers")
    if not any(met_the_person(c) for c in contacts):
        raise ConsentRequired("consent is obtained from the person: record a direct contact "
                              "with them (会えた・話ができた) first")
