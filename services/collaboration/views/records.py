"""ケース記録 — how a case, its assessment and its plans read when queried: codes with their
日本語 labels, dates and times as ISO text. This is the instance's own record, read by its own
staff, so it carries the personal parts; nothing of a 支援会議 is ever in it."""
from __future__ import annotations

from kasane.jsonable import jsonable
from kasane_contracts.vocabulary import (AREA_ISSUE_RAISERS, CASE_STATUSES, HOST_KINDS, HOST_PROBLEM_KINDS,
                               ISSUE_CATEGORIES, MEETING_DECISIONS, OUTREACH_PLAN_CHANGES,
                               PLAN_STATUSES, label)
from kasane_contracts.vocabulary import JUDGED_PLAN_SERVICES, PLAN_JUDGEMENTS

from collaboration.domain.assessment import Assessment
from collaboration.domain.case import Case
from collaboration.domain.plan import SupportPlan
from collaboration.domain.proposals import PlanProposal


def case_view(case: Case) -> dict:
    return jsonable({
        "case_id": case.id, "household_id": case.household_id,
        "status": case.status, "status_label": CASE_STATUSES[case.status],
        "opened_at": case.opened_at,
        "referring_agency": case.first_referral["referring_agency"],
        "referrals": [{**r, "returned_reason": case.returned.get(r["referral_id"])}
                      for r in case.referrals],
        "plan_in_force_id": case.plan_in_force_id, "draft_plan_id": case.draft_plan_id,
        "next_monitoring_on": case.next_monitoring_on,
        "monitorings": case.monitorings,
        "open_issues": len(case.open_issues),
        "carried_by": case.path,  # the meeting of its last decision: 重層的支援会議 or 支援会議
        "decisions": [{**d, "label": label(MEETING_DECISIONS, d["decision"])} for d in case.decisions],
        "pending_ending": case.pending_ending,
        "ended": case.ended,
    })


def full_record(case: Case, assessment: Assessment | None, plans: list[SupportPlan]) -> dict:
    """The case with every assessment revision and every plan version (history kept)."""
    return {**case_view(case),
            "persons": jsonable(list(case.persons.values())),
            "assessments": jsonable(assessment.revisions if assessment else []),
            "plans": [plan_view(p) for p in plans],
            "host_problems": [host_problem_view(p) for p in case.host_problems],
            "outreach_plan_reports": [outreach_plan_view(r) for r in case.outreach_plan_reports],
            "carried_plans": jsonable([{**p, "label": "統合で引き継いだプラン"} for p in case.carried_plans])}


def host_problem_view(problem: dict) -> dict:
    """受入先からの課題報告 — a monitoring note, with what the host said (under consent only)."""
    return jsonable({**problem, "label": "受入先からの課題報告",
                     "kind_label": label(HOST_PROBLEM_KINDS, problem["kind"]),
                     "host": {**problem["host"], "kind_label": label(HOST_KINDS, problem["host"]["kind"])},
                     "open": problem["reviewed_on"] is None})


def outreach_plan_view(report: dict) -> dict:
    """アウトリーチ等事業プランの報告 — made (作成), revised (見直し) or closed (終了)."""
    return jsonable({**report, "label": "アウトリーチ等事業プランの報告",
                     "change_label": label(OUTREACH_PLAN_CHANGES, report["change"])})


def area_issue_view(issue: dict) -> dict:
    """地域課題 — an area issue with its categories and who raised it in 日本語."""
    return jsonable({**issue, "label": "地域課題",
                     "issue_category_labels": [label(ISSUE_CATEGORIES, c) for c in issue["issue_categories"]],
                     "raised_by_label": label(AREA_ISSUE_RAISERS, issue["raised_by"])})


def plan_view(plan: SupportPlan) -> dict:
    return jsonable({
        "plan_id": plan.id, "case_id": plan.case_id, "version": plan.version,
        "revision": plan.revision, "status": plan.status,
        "status_label": PLAN_STATUSES[plan.status], "drafted_on": plan.drafted_on,
        **plan.content, "personal": plan.personal, "approval": plan.approval,
        "requests": plan.requests,
        "roles_without_instance": [r["role_id"] for r in plan.roles_without_instance()],
    })


def proposal_view(proposal: PlanProposal) -> dict:
    """提出されたプラン — what the meeting reads: the plan's ids, dates and (under consent) goals."""
    judged = proposal.judgement
    return jsonable({"proposal_id": proposal.id, "service": proposal.service,
                     "service_label": label(JUDGED_PLAN_SERVICES, proposal.service),
                     "household_id": proposal.household_id, "from_instance": proposal.from_instance,
                     "from_organisation": proposal.from_organisation, **proposal.proposal,
                     "personal": proposal.personal,
                     "judgement": judged and {**judged, "label": label(PLAN_JUDGEMENTS, judged["judgement"])}})
