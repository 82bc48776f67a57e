"""規則違反 — the named errors the consultation domain raises (kasane.errors.DomainRuleViolation)."""
from __future__ import annotations

from kasane.errors import DomainRuleViolation


class ConsultationRuleViolation(DomainRuleViolation):
    """A command on a consultation (相談) broke one of its rules."""


# the vocabulary check, refusing with this business line's error by default
check_codes = ConsultationRuleViolation.check_codes


class ReturnRuleViolation(ConsultationRuleViolation):
    """差し戻し — 多機関協働 can return a consultation only while it stands referred there, and
    only the referral in force, once."""


class HouseholdRuleViolation(DomainRuleViolation):
    """A command on a household (世帯) broke one of its rules (e.g. merging it twice)."""


class HouseholdChoiceRequired(HouseholdRuleViolation):
    """重複の恐れ — persons of the intake match a household already known: the caseworker must
    choose it (household_id) or a new one (new_household) before anything is recorded."""


class ConsentRuleViolation(DomainRuleViolation):
    """A consent (本人同意) command broke a rule (e.g. withdrawing a consent twice)."""


class ConsentRequired(ConsentRuleViolation):
    """同意なし — the persons' recorded, unwithdrawn consent does not cover this sharing."""


class UnknownAgency(DomainRuleViolation):
    """The agency named is not one this instance operates."""


class LeadRuleViolation(DomainRuleViolation):
    """A command on work awaiting intake (受付待ち) broke a rule (e.g. taking it in twice)."""
