"""地域課題 — the area issues (地域課題シート) that 地域づくり事業 shares with every agency and with
多機関協働 (seed 001 §10(4) 4.(1)), so that a 重層的支援会議 and every 相談支援機関 see what an area
lacks.

About no household: only the area, the committee, issue codes, what the issue is and who raised
it (by kind, never by name). One aggregate per instance keeps them all; a sheet already kept is
not recorded again. Shared by the services that take in community.area_issue_recorded v1
(collaboration, consultation); each may name its own rule-violation class and aggregate id.
"""
from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from kasane.errors import DomainRuleViolation, check_codes
from kasane_contracts.vocabulary import AREA_ISSUE_RAISERS, ISSUE_CATEGORIES

AREA_ISSUES_ID = uuid5(NAMESPACE_URL, "https://kasane.example/area-issues")


class AreaIssueRuleViolation(DomainRuleViolation):
    """地域課題 — an area issue (地域課題シート) is incomplete or uses unknown codes."""


class AreaIssues(Aggregate):
    """地域課題の一覧 — every area issue this instance learnt of."""

    # What record() raises on an incomplete sheet; a service may name its own subclass.
    rule_violation = AreaIssueRuleViolation

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
        violation = self.rule_violation
        if not area or not area.strip():
            raise violation("an area issue names its area (圏域・地区)")
        if not issue_categories:
            raise violation("an area issue has at least one issue category")
        if not description or not description.strip():
            raise violation("an area issue states what the issue is")
        check_codes("issue_categories", issue_categories, ISSUE_CATEGORIES, violation)
        check_codes("raised_by", [raised_by], AREA_ISSUE_RAISERS, violation)
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


def take_area_issue(app, envelope: dict, uow, kind: type[AreaIssues] = AreaIssues) -> None:
    """community.area_issue_recorded v1 — a 地域課題シート shared with every agency (broadcast,
    about no household), kept in the instance's area issues; a sheet already kept changes nothing.
    A handler of an integration table (kasane.integration): (app, envelope, uow)."""
    p = envelope["payload"]
    issues = uow.find_or_add(kind.create_id(), kind)
    issues.record(sheet_id=p["sheet_id"], area=p["area"], committee=p["committee"],
                  issue_categories=p["issue_categories"], description=p["description"],
                  raised_by=p["raised_by"], recorded_on=date.fromisoformat(p["recorded_on"]),
                  from_instance=envelope["origin"]["instance"])
