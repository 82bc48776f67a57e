"""地域課題シート — an area's issue as a 福祉のまちづくり委員会 recorded it (seed
001_ddff1cd5bed04970.txt §10(4) 地域づくり事業 4.(1): 「課題の共有、検討の経緯、取組内容については
地域課題シートを作成し、相談支援機関に情報提供する」).

The sheet is about an area, never a household: its categories, its description and the
committee that raised it are shared with every agency and with 多機関協働. Who raised it
(a resident's name, how to reach them) and any note naming someone stay in `personal`, here.
Its handling is tracked: 共有済 → 検討中 → 取組中 → 解決 (or 終了).
"""
from __future__ import annotations

from datetime import date

from eventsourcing.domain import Aggregate, event

from kasane_contracts.vocabulary import AREA_ISSUE_RAISERS, AREA_ISSUE_STATUSES, ISSUE_CATEGORIES

from community.domain.rules import SheetRuleViolation, check_codes

# The order handling moves forward in; "closed" (終了) may follow any open status.
_FORWARD = ("shared", "considering", "in_progress", "resolved")


class AreaIssueSheet(Aggregate):
    """One 地域課題シート and how its issue was handled."""

    @event("Recorded")
    def __init__(self, area: str, committee: str, issue_categories: list, description: str,
                 raised_by: str, recorded_on: date, recorded_by: str, personal: dict):
        check_codes("issue_categories", issue_categories, ISSUE_CATEGORIES, SheetRuleViolation)
        check_codes("raised_by", [raised_by], AREA_ISSUE_RAISERS, SheetRuleViolation)
        if not issue_categories:
            raise SheetRuleViolation("a 地域課題シート names at least one 地域生活課題 category")
        self.area, self.committee, self.issue_categories = area, committee, list(issue_categories)
        self.description, self.raised_by = description, raised_by
        self.recorded_on, self.recorded_by = recorded_on, recorded_by
        self.status = "shared"
        self.handling: list[dict] = []

    def record_handling(self, *, status: str, handled_on: date, handled_by: str,
                        personal: dict) -> None:
        """検討の経緯・取組内容 — the next step in the issue's handling."""
        check_codes("status", [status], AREA_ISSUE_STATUSES, SheetRuleViolation)
        if self.status in ("resolved", "closed"):
            raise SheetRuleViolation("a resolved or closed 地域課題 is not handled further; "
                                     "record a new sheet if the issue returns")
        if status != "closed" and _FORWARD.index(status) < _FORWARD.index(self.status):
            raise SheetRuleViolation("an issue's handling moves forward: 共有済 → 検討中 → 取組中 → 解決")
        if handled_on < self.recorded_on:
            raise SheetRuleViolation("handling is recorded on or after the day the sheet was recorded")
        self._handled(status=status, handled_on=handled_on, handled_by=handled_by,
                      personal=personal)

    @event("Handled")
    def _handled(self, status: str, handled_on: date, handled_by: str, personal: dict) -> None:
        self.status = status
        self.handling.append({"status": status, "handled_on": handled_on, "handled_by": handled_by})
