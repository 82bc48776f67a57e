"""規則違反 — the named errors the collaboration domain raises (kasane.errors.DomainRuleViolation)."""
from __future__ import annotations

from kasane.errors import DomainRuleViolation


class CollaborationRuleViolation(DomainRuleViolation):
    """A command in 多機関協働 broke one of its rules."""


# the vocabulary check, refusing with this business line's error by default
check_codes = CollaborationRuleViolation.check_codes


class CaseRuleViolation(CollaborationRuleViolation):
    """A command on a case (ケース) broke a rule of its life (DOMAIN.md §5)."""


class AssessmentRuleViolation(CollaborationRuleViolation):
    """An assessment (インテーク・アセスメント) is incomplete or inconsistent."""


class PlanRuleViolation(CollaborationRuleViolation):
    """A command on a support plan (支援プラン) broke a rule."""


class MeetingRuleViolation(CollaborationRuleViolation):
    """A meeting record (重層的支援会議・支援会議) broke a rule."""


class ReportRuleViolation(CaseRuleViolation):
    """報告の不整合 — a report from 参加支援 or アウトリーチ等 (受入先からの課題報告, プランの報告)
    does not fit the case, plan or role request it names."""


class AreaIssueRuleViolation(CollaborationRuleViolation):
    """地域課題 — an area issue (地域課題シート) is incomplete or uses unknown codes."""


class ConsentRequired(CollaborationRuleViolation):
    """同意なし — the household has no recorded, unwithdrawn consent for what was asked."""


class NotAMember(CollaborationRuleViolation):
    """守秘義務 — only the organisations that were members of a 支援会議 may read its record."""
