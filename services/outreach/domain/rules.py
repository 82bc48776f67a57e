"""規則違反 — the named errors the outreach domain raises (kasane.errors.DomainRuleViolation)."""
from __future__ import annotations

from kasane.errors import DomainRuleViolation


class OutreachRuleViolation(DomainRuleViolation):
    """A command in アウトリーチ broke one of its rules."""


# the vocabulary check, refusing with this business line's error by default
check_codes = OutreachRuleViolation.check_codes


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


class HandBackRuleViolation(OutreachRuleViolation):
    """つなぎ戻し — a hand-back from 多機関協働 does not fit the case it names."""


class CaseClosed(OutreachRuleViolation):
    """The outreach case has ended (つなぎ済 or 終了): nothing more is recorded on it."""


# -- 情報共有の根拠 (issue 8) ------------------------------------------------------------------
# Without the person's consent only pseudonymous facts leave an outreach instance, unless a
# 支援会議 (社会福祉法 art. 106-6) decided that its members may share what they know of the
# household, until a date, and the receiving organisation is one of those members (seed 000 §4:
# members are bound by secrecy; DOMAIN.md §4).


def decision_in_force(decisions: list, organisation: str, on) -> dict | None:
    """The 支援会議 decision that lets this instance share the household with `organisation` on
    the day `on`: sharing allowed, the organisation a member, the day within held_on…until."""
    for decision in decisions:
        if (decision["sharing_allowed"] and organisation in decision["members"]
                and decision["held_on"] <= on <= decision["sharing_until"]):
            return decision
    return None


def sharing_basis(consent: dict | None, decisions: list, organisation: str, on) -> dict | None:
    """共有の根拠 — the person's consent in force first, else a 支援会議 decision in force naming
    the receiver as a member; None means: pseudonymous facts only."""
    if consent is not None:
        return {"kind": "consent", "consent": consent}
    decision = decision_in_force(decisions, organisation, on)
    if decision is not None:
        return {"kind": "support_meeting", "decision": decision}
    return None
