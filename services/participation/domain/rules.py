"""規則違反 — the named errors the participation domain raises (kasane.errors.DomainRuleViolation)."""
from __future__ import annotations

from kasane.errors import DomainRuleViolation


class ParticipationRuleViolation(DomainRuleViolation):
    """A command in 参加支援 broke one of its rules."""


# the vocabulary check, refusing with this business line's error by default
check_codes = ParticipationRuleViolation.check_codes


class RequestRuleViolation(ParticipationRuleViolation):
    """A participation request (参加支援の依頼) broke a rule."""


class ConsentRequired(RequestRuleViolation):
    """同意なし — a consultation agency's request comes only with the person's consent."""


class PlanRuleViolation(ParticipationRuleViolation):
    """Needs or a 参加支援事業プラン broke a rule."""


class HostRuleViolation(ParticipationRuleViolation):
    """A host (受入先) record broke a rule."""


class MatchRuleViolation(ParticipationRuleViolation):
    """A match (マッチング), its sessions or its end broke a rule."""


class FollowUpRuleViolation(ParticipationRuleViolation):
    """A follow-up (フォローアップ) or a host's problem report broke a rule."""
