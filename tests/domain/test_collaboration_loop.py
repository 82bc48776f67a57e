"""多機関協働 closes the loop, in memory: 受入先からの課題報告 from 参加支援 and アウトリーチ等事業
プランの報告 come back onto the case whose plan asked for the roles, and 地域課題シート from
地域づくり are kept as the instance's area issues (about no household)."""
from uuid import uuid4

import pytest

from collaboration.domain.rules import AreaIssueRuleViolation, ReportRuleViolation
from tests.samples import three_area_issues
from tests.domain.collaboration_steps import ICHIRO, OUTREACH_ROLE, Takikan

PARTICIPATION_ROLE = {"service": "participation", "task": "participation_matching",
                      "organisation": "org-shakyo",
                      "agency": {"agency_id": "shakyo-sanka", "name": "社協参加支援"},
                      "instance": "shakyo-sanka", "starts_on": "2026-07-01"}
HOST = {"host_id": str(uuid4()), "name": "見本農園株式会社", "kind": "company"}


def deliver(takikan: Takikan, event_type: str, household_id, payload: dict, service: str,
            instance: str) -> dict:
    return takikan.deliver(event_type, household_id, payload,
                           {"service": service, "organisation": "org-shakyo", "instance": instance})


def in_force_with_roles(takikan: Takikan) -> tuple[str, str, dict, dict]:
    """A consenting household whose plan in force requested an outreach and a participation role."""
    household = str(uuid4())
    takikan.consent(household, person_id=ICHIRO, purposes=("collaboration", "outreach", "participation"))
    case_id = takikan.refer(household)["case_id"]
    takikan.draft(case_id, roles=[OUTREACH_ROLE, PARTICIPATION_ROLE])
    takikan.meet(case_id, "plan_appropriate")
    [plan] = takikan.app.case_record(case_id)["plans"]
    by_role = {r["role_id"]: r for r in plan["requests"]}
    roles = {role["service"]: {**by_role[role["role_id"]], "plan_id": plan["plan_id"]}
             for role in plan["roles"]}
    return household, case_id, roles["outreach"], roles["participation"]


def problem(case_id: str, request: dict, report_id: str | None = None, personal=None,
            reported_on: str = "2026-09-14", kind: str = "attendance") -> dict:
    payload = {"report_id": report_id or str(uuid4()), "match_id": str(uuid4()),
               "request_id": request["request_id"], "case_id": case_id,
               "plan_id": request["plan_id"], "role_id": request["role_id"], "host": HOST,
               "kind": kind, "reported_on": reported_on, "reported_at": "2026-09-14T01:15:00Z",
               "caseworker_id": "sanka-sw-2"}
    if personal is not None:
        payload["personal"] = personal
    return payload


def plan_report(case_id: str, request: dict, change: str, revision: int, plan_id: str,
                changed_on: str = "2026-07-10", review_dates=("2026-10-10",)) -> dict:
    return {"plan_id": plan_id, "outreach_case_id": str(uuid4()), "request_id": request["request_id"],
            "collaboration_case_id": case_id, "change": change, "revision": revision,
            "changed_on": changed_on, "review_dates": list(review_dates), "worker_id": "csw-03"}


def report_problem(takikan, household, payload):
    return deliver(takikan, "participation.host_problem_reported",
                   household, payload, "participation", "shakyo-sanka")


def report_plan(takikan, household, payload):
    return deliver(takikan, "outreach.plan_reported", household,
                   payload, "outreach", "shakyo-outreach")


def area_issue(sheet_id: str | None = None, area: str = "狛江第1圏域", **overrides) -> dict:
    return {"sheet_id": sheet_id or str(uuid4()), "area": area,
            "committee": "福祉のまちづくり委員会（第1圏域）", "issue_categories": ["isolation"],
            "description": "団地の高齢者が集まれる場所がない", "raised_by": "neighbourhood_association",
            "recorded_on": "2026-07-10", **overrides}


def record_area_issue(takikan, payload):
    return deliver(takikan, "community.area_issue_recorded", None,
                   payload, "community", "komae-chiiki")


@pytest.fixture
def takikan():
    return Takikan()


def test_a_host_problem_becomes_a_monitoring_note_and_an_open_issue_of_the_case(takikan):
    household, case_id, _, participation = in_force_with_roles(takikan)
    payload = problem(case_id, participation, personal={"description": "3回続けて連絡なく欠席"})
    report_problem(takikan, household, payload)
    record = takikan.app.case_record(case_id)
    [note] = record["host_problems"]
    assert note["report_id"] == payload["report_id"] and note["label"] == "受入先からの課題報告"
    assert (note["kind"], note["kind_label"]) == ("attendance", "出席・遅刻・欠席")
    assert note["host"]["name"] == "見本農園株式会社" and note["host"]["kind_label"] == "企業等"
    assert note["reported_on"] == "2026-09-14" and note["open"] is True
    assert note["personal"] == {"description": "3回続けて連絡なく欠席"}
    assert record["open_issues"] == 1 and takikan.app.case(case_id)["open_issues"] == 1


def test_the_description_stays_in_the_personal_part_of_the_stored_event(takikan):
    household, case_id, _, participation = in_force_with_roles(takikan)
    report_problem(takikan, household, problem(case_id, participation, personal={"description": "欠席が続く"}))
    [stored] = [n for n in takikan.app.recorder.select_notifications(start=0, limit=10_000)
                if n.topic.endswith("Case.HostProblemNoted")]
    noted = takikan.app.mapper.to_domain_event(stored)
    assert noted.personal == {"description": "欠席が続く"}
    assert "description" not in noted.report
    assert takikan.outgoing("participation.host_problem_reported") == []  # nothing goes back out


def test_without_consent_the_report_is_noted_without_a_description(takikan):
    household, case_id, _, participation = in_force_with_roles(takikan)
    report_problem(takikan, household, problem(case_id, participation))
    [note] = takikan.app.case_record(case_id)["host_problems"]
    assert note["personal"] == {}


def test_a_duplicate_report_id_changes_nothing(takikan):
    household, case_id, _, participation = in_force_with_roles(takikan)
    payload = problem(case_id, participation, personal={"description": "欠席"})
    report_problem(takikan, household, payload)
    before = takikan.stored()
    report_problem(takikan, household, {**payload, "match_id": str(uuid4())})
    assert takikan.stored() == before
    assert len(takikan.app.case_record(case_id)["host_problems"]) == 1


def test_a_monitoring_on_or_after_the_report_reviews_the_open_issue(takikan):
    household, case_id, _, participation = in_force_with_roles(takikan)
    report_problem(takikan, household, problem(case_id, participation, reported_on="2026-08-20"))
    report_problem(takikan, household, problem(case_id, participation, reported_on="2026-09-14"))
    assert takikan.app.case(case_id)["open_issues"] == 2
    takikan.monitor(case_id, False, on="2026-08-31", next_monitoring_on="2026-10-31")
    record = takikan.app.case_record(case_id)
    assert record["open_issues"] == 1
    assert [n["reviewed_on"] for n in record["host_problems"]] == ["2026-08-31", None]


def test_a_problem_report_must_answer_a_role_request_of_the_case(takikan):
    household, case_id, outreach, participation = in_force_with_roles(takikan)
    before = takikan.stored()
    with pytest.raises(ReportRuleViolation, match="no case of this instance"):
        report_problem(takikan, household, {**problem(case_id, participation), "case_id": str(uuid4())})
    with pytest.raises(ReportRuleViolation, match="another household"):
        report_problem(takikan, str(uuid4()), problem(case_id, participation))
    with pytest.raises(ReportRuleViolation, match="no role request"):
        report_problem(takikan, household, {**problem(case_id, participation), "request_id": str(uuid4())})
    with pytest.raises(ReportRuleViolation, match="another plan or role"):
        report_problem(takikan, household, {**problem(case_id, participation), "role_id": outreach["role_id"]})
    assert takikan.stored() == before


def test_outreach_plan_reports_are_recorded_on_the_case(takikan):
    household, case_id, outreach, _ = in_force_with_roles(takikan)
    plan_id = str(uuid4())
    report_plan(takikan, household, plan_report(case_id, outreach, "made", 1, plan_id))
    report_plan(takikan, household, plan_report(case_id, outreach, "revised", 2, plan_id,
                                                changed_on="2026-10-10", review_dates=["2027-01-10"]))
    report_plan(takikan, household, plan_report(case_id, outreach, "closed", 2, plan_id,
                                                changed_on="2027-01-10", review_dates=[]))
    reports = takikan.app.case_record(case_id)["outreach_plan_reports"]
    assert [(r["change"], r["change_label"], r["revision"], r["changed_on"]) for r in reports] == [
        ("made", "作成", 1, "2026-07-10"), ("revised", "見直し", 2, "2026-10-10"),
        ("closed", "終了", 2, "2027-01-10")]
    assert reports[0]["review_dates"] == ["2026-10-10"] and reports[0]["label"] == "アウトリーチ等事業プランの報告"
    assert {r["request_id"] for r in reports} == {outreach["request_id"]}


def test_a_repeated_plan_report_changes_nothing_and_a_closed_plan_takes_no_more(takikan):
    household, case_id, outreach, _ = in_force_with_roles(takikan)
    plan_id = str(uuid4())
    made = plan_report(case_id, outreach, "made", 1, plan_id)
    report_plan(takikan, household, made)
    before = takikan.stored()
    report_plan(takikan, household, made)
    assert takikan.stored() == before
    with pytest.raises(ReportRuleViolation, match="already reported made"):
        report_plan(takikan, household, plan_report(case_id, outreach, "made", 2, plan_id))
    report_plan(takikan, household, plan_report(case_id, outreach, "closed", 1, plan_id))
    with pytest.raises(ReportRuleViolation, match="already reported closed"):
        report_plan(takikan, household, plan_report(case_id, outreach, "revised", 2, plan_id))
    with pytest.raises(ReportRuleViolation, match="no role request"):
        report_plan(takikan, household, {**plan_report(case_id, outreach, "made", 1, str(uuid4())),
                                         "request_id": str(uuid4())})
    assert len(takikan.app.case_record(case_id)["outreach_plan_reports"]) == 2


def test_area_issues_are_kept_and_listed_by_area_without_any_household(takikan):
    first, later, elsewhere = three_area_issues(area_issue)
    for payload in (first, later, elsewhere):
        record_area_issue(takikan, payload)
    listed = takikan.app.area_issues("狛江第1圏域")
    assert listed["area"] == "狛江第1圏域"
    assert [i["sheet_id"] for i in listed["issues"]] == [later["sheet_id"], first["sheet_id"]]
    issue = listed["issues"][0]
    assert issue["label"] == "地域課題" and issue["raised_by_label"] == "民生委員・児童委員"
    assert len(issue["issue_category_labels"]) == 2 and issue["recorded_on"] == "2026-09-01"
    assert "household_id" not in issue
    assert len(takikan.app.area_issues()["issues"]) == 3
    assert takikan.app.area_issues("どこにもない圏域")["issues"] == []


def test_an_area_issue_sheet_already_kept_changes_nothing(takikan):
    payload = area_issue()
    record_area_issue(takikan, payload)
    before = takikan.stored()
    record_area_issue(takikan, payload)
    assert takikan.stored() == before
    assert len(takikan.app.area_issues()["issues"]) == 1


def test_an_area_issue_with_unknown_codes_is_refused(takikan):
    with pytest.raises(AreaIssueRuleViolation, match="raised_by"):
        record_area_issue(takikan, area_issue(raised_by="somebody"))
    with pytest.raises(AreaIssueRuleViolation, match="at least one"):
        record_area_issue(takikan, area_issue(issue_categories=[]))
    assert takikan.app.area_issues()["issues"] == []


def test_no_area_issues_yet_lists_none(takikan):
    assert takikan.app.area_issues() == {"area": None, "issues": []}


def test_a_report_from_another_instance_than_the_role_was_sent_to_is_refused(takikan):
    household, case_id, outreach, participation = in_force_with_roles(takikan)
    with pytest.raises(ReportRuleViolation, match="another instance"):
        deliver(takikan, "participation.host_problem_reported",
                household, problem(case_id, participation), "participation", "elsewhere-sanka")
    with pytest.raises(ReportRuleViolation, match="another instance"):
        deliver(takikan, "outreach.plan_reported", household,
                plan_report(case_id, outreach, "made", 1, str(uuid4())), "outreach", "elsewhere-csw")
    assert takikan.app.case_record(case_id)["host_problems"] == []
