"""地域課題 — the area issues (地域課題シート) that 地域づくり事業 shares with every agency and with
多機関協働 (seed 001 §10(4) 4.(1)), so that a 重層的支援会議 sees what an area lacks.

About no household: only the area, the committee, issue codes, what the issue is and who raised
it (by kind, never by name). One aggregate per instance keeps them all; a sheet already kept is
not recorded again.
"""
from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from kasane.vocabulary import AREA_ISSUE_RAISERS, ISSUE_CATEGORIES

from collaboration.domain.rules import AreaIssueRuleViolation, check_codes

AREA_ISSUES_ID = uuid5(NAMESPACE_URL, "https://kasane.example/collaboration/area-issues")


class AreaIssues(Aggregate):
    """地域課題の一覧 — every area issue this 多機関協働 instance learnt of."""

    @staticmethod
    def create_id() -> UUID:
        return AREA_ISSUES_ID

    @event("Started")
    def __init__(self):
        self.issues: list[dict] = []

    def has(self, sheet_id: str) -> bool:
        return any(i["sheet_id"] == sheet_id for i in self.issues)

    def record(self, *, sheet_id: str, area: str, committee: str, issue_categories: list,
               description: str, raised_by: str, recorded_on: date, from_instance: str) -> bool:
        """地域課題シートの受理 — False (and nothing recorded) when the sheet is already kept."""
        if self.has(sheet_id):
            return False
        if not area or not area.strip():
            raise AreaIssueRuleViolation("an area issue names its area (圏域・地区)")
        if not issue_categories:
            raise AreaIssueRuleViolation("an area issue has at least one issue category")
        if not description or not description.strip():
            raise AreaIssueRuleViolation("an area issue states what the issue is")
        check_codes("issue_categories", issue_categories, ISSUE_CATEGORIES, AreaIssueRuleViolation)
        check_codes("raised_by", [raised_by], AREA_ISSUE_RAISERS, AreaIssueRuleViolation)
        self._recorded(issue={"sheet_id": sheet_id, "area": area, "committee": committee,
                              "issue_categories": list(issue_categories),
                              "description": description, "raised_by": raised_by,
                              "recorded_on": recorded_on, "from_instance": from_instance})
        return True

    @event("Recorded")
    def _recorded(self, issue: dict) -> None:
        self.issues.append(issue)

    def of(self, area: str | None = None) -> list[dict]:
        """The issues of one area (or of every area), the most recently recorded first."""
        chosen = [i for i in self.issues if area is None or i["area"] == area]
        return sorted(chosen, key=lambda i: i["recorded_on"], reverse=True)
