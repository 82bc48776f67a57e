"""地域課題 — 多機関協働's area issues (地域課題シート from 地域づくり, about no household).

The aggregate itself lives in kasane.area_issues (shared with consultation); this instance keeps
its own aggregate id and raises its own AreaIssueRuleViolation. The class keeps its name and
module, so the events already stored under this topic still resolve.
"""
from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from kasane import area_issues as shared

from collaboration.domain.rules import AreaIssueRuleViolation

AREA_ISSUES_ID = uuid5(NAMESPACE_URL, "https://kasane.example/collaboration/area-issues")


class AreaIssues(shared.AreaIssues):
    """地域課題の一覧 — every area issue this 多機関協働 instance learnt of."""

    # Not annotated in the base: eventsourcing makes an annotated class attribute an event field.
    rule_violation = AreaIssueRuleViolation  # type: ignore[assignment]

    @staticmethod
    def create_id() -> UUID:
        return AREA_ISSUES_ID
