"""地域課題 — a 地域課題シート (community.area_issue_recorded v1, broadcast, about no household)
is shared with the consultation agencies too: each consultation instance keeps the sheets as its
area issues, lists them newest first with 日本語 labels, and a sheet already kept changes nothing
(in memory)."""
from datetime import date
from uuid import uuid4

import pytest

from kasane.area_issues import AreaIssueRuleViolation, AreaIssues
from kasane.store.trace import Trace
from kasane.store.unit_of_work import UnitOfWork
from kasane_contracts.vocabulary import ISSUE_CATEGORIES

from consultation.application import ConsultationApplication
from consultation.integration import SUBSCRIPTIONS, handlers
from tests.samples import three_area_issues

AGENCY = {"agency_id": "hokatsu", "name": "常盤平高齢者いきいき安心センター"}


def sheet(sheet_id: str | None = None, area: str = "狛江第1圏域", **overrides) -> dict:
    return {"sheet_id": sheet_id or str(uuid4()), "area": area,
            "committee": "福祉のまちづくり委員会（第1圏域）", "issue_categories": ["isolation"],
            "description": "団地の高齢者が集まれる場所がない", "raised_by": "neighbourhood_association",
            "recorded_on": "2026-07-10", **overrides}


@pytest.fixture
def app():
    return ConsultationApplication(instance="desk", organisation="org-desk", agencies=[AGENCY])


def deliver(app, payload: dict) -> int:
    """The event as the inbox consumer hands it to the handler (one unit of work); events saved."""
    envelope = {"event_id": str(uuid4()), "type": "community.area_issue_recorded", "version": 1,
                "household_id": None, "correlation_id": str(uuid4()),
                "origin": {"service": "community", "organisation": "org-shakyo",
                           "instance": "komae-chiiki"},
                "position": 1, "payload": payload}
    uow = UnitOfWork(app)
    handlers(app)[("community.area_issue_recorded", 1)](envelope, uow)
    events = uow.take_events(Trace.caused_by(envelope))
    app.save_events(events)
    return len(events)


def test_the_consultation_service_subscribes_to_area_issues_broadcast():
    assert ("community.area_issue_recorded", 1) in SUBSCRIPTIONS


def test_area_issues_are_kept_and_listed_newest_first_with_japanese_labels(app):
    first, later, elsewhere = three_area_issues(sheet)
    for payload in (first, later, elsewhere):
        deliver(app, payload)
    listed = app.area_issues("狛江第1圏域")
    assert listed["area"] == "狛江第1圏域"
    assert [i["sheet_id"] for i in listed["issues"]] == [later["sheet_id"], first["sheet_id"]]
    newest = listed["issues"][0]
    assert newest["label"] == "地域課題" and newest["raised_by_label"] == "民生委員・児童委員"
    assert newest["issue_category_labels"] == [ISSUE_CATEGORIES["isolation"], ISSUE_CATEGORIES["care_prevention"]]
    assert newest["recorded_on"] == "2026-09-01" and newest["from_instance"] == "komae-chiiki"
    assert "household_id" not in newest
    assert len(app.area_issues()["issues"]) == 3
    assert app.area_issues("どこにもない圏域")["issues"] == []


def test_a_sheet_already_kept_changes_nothing(app):
    payload = sheet()
    assert deliver(app, payload) == 2  # Started, Recorded
    assert deliver(app, payload) == 0
    assert deliver(app, {**payload, "description": "別の記述"}) == 0
    assert len(app.area_issues()["issues"]) == 1


def test_an_incomplete_sheet_is_refused(app):
    with pytest.raises(AreaIssueRuleViolation, match="raised_by"):
        deliver(app, sheet(raised_by="somebody"))
    with pytest.raises(AreaIssueRuleViolation, match="at least one"):
        deliver(app, sheet(issue_categories=[]))
    assert app.area_issues()["issues"] == []


def test_no_area_issues_yet_lists_none(app):
    assert app.area_issues() == {"area": None, "issues": []}


def test_the_aggregate_is_about_no_household():
    issues = AreaIssues()
    assert issues.record(sheet_id="s-1", area="第1圏域", committee="委員会", issue_categories=["isolation"],
                         description="居場所がない", raised_by="csw", recorded_on=date(2026, 7, 1),
                         from_instance="chiiki")
    assert not issues.record(sheet_id="s-1", area="第1圏域", committee="委員会",
                             issue_categories=["isolation"], description="居場所がない",
                             raised_by="csw", recorded_on=date(2026, 7, 1), from_instance="chiiki")
    assert not hasattr(issues, "household_id") and len(issues.of()) == 1
