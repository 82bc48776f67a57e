"""規則違反 — the named errors the outreach domain raises, and the vocabulary check.

Messages state the rule broken and never quote a personal detail (DOMAIN.md §10).
"""
from __future__ import annotations

from kasane.errors import DomainRuleViolation


class OutreachRuleViolation(DomainRuleViolation):
    """A command in アウトリーチ broke one of its rules."""


class StageRuleViolation(OutreachRuleViolation):
    """関係性の段階 — the relationship stage may not move that way."""


class ContactRuleViolation(OutreachRuleViolation):
    """関わりの記録 — a contact or visit record is incomplete."""


class ConsentRequired(OutreachRuleViolation):
    """同意なし — no unwithdrawn consent of the person covers what was asked."""


class PlanRuleViolation(OutreachRuleViolation):
    """アウトリーチ等事業プラン — a command on the plan broke a rule."""


class AreaWorkRuleViolation(OutreachRuleViolation):
    """地域での取組 — a survey, mapping, pop-up desk or follow-up record broke a rule."""


class CaseClosed(OutreachRuleViolation):
    """The outreach case has ended (つなぎ済 or 終了): nothing more is recorded on it."""


def check_codes(field: str, values, vocabulary: dict,
                error: type[DomainRuleViolation] = OutreachRuleViolation) -> None:
    """Refuse codes outside a vocabulary list, naming the field and how many (never the values)."""
    unknown = [v for v in values if v not in vocabulary]
    if unknown:
        raise error(f"{field}: {len(unknown)} code(s) not in the vocabulary")
