"""規則違反 — the named errors the community building domain raises (kasane.errors.DomainRuleViolation)."""
from __future__ import annotations

from kasane.errors import DomainRuleViolation


class CommunityRuleViolation(DomainRuleViolation):
    """A command in 地域づくり事業 broke one of its rules."""


# the vocabulary check, refusing with this business line's error by default
check_codes = CommunityRuleViolation.check_codes


class PlaceRuleViolation(CommunityRuleViolation):
    """A command on a place or activity (居場所・通いの場) broke a rule."""


class SheetRuleViolation(CommunityRuleViolation):
    """A つなぐシート or 地域課題シート is incomplete or was used against its rules."""


class ConsentRequired(SheetRuleViolation):
    """同意なし — a つなぐシート leaves the place only with the person's consent (seed 001)."""


class CoordinatorRuleViolation(CommunityRuleViolation):
    """A 生活支援コーディネーター's appointment broke a rule of its layer."""


class TargetRuleViolation(CommunityRuleViolation):
    """A development target (社会資源の開発) was moved against its rules."""


class ActivityRuleViolation(CommunityRuleViolation):
    """A matching, training or community consultation record broke a rule."""
