"""多機関協働 hears back, over the real RabbitMQ and PostgreSQL: a running collaboration process
takes 受入先からの課題報告 (participation.host_problem_reported v1) and アウトリーチ等事業プランの報告
(outreach.plan_reported v1), both addressed to it, onto the case whose plan asked for the roles,
and keeps 地域課題シート (community.area_issue_recorded v1, broadcast) as area issues. Each event
is published straight onto the exchange as the other services' relays would; a redelivered copy
changes nothing."""
from datetime import datetime, timezone
from uuid import uuid4

import pytest

from kasane.bus.envelope import event_id_for
from kasane.bus.topology import routing_key
from kasane_contracts import validate_envelope

from tests.bus_helpers import (admin_sql, area_issues_of, consent_envelope,
                               inbox_rows, publish, publish_envelope, referral_envelope)
from tests.servers import running_instance, wait_until
from tests.referral_helpers import meeting

pytestmark = pytest.mark.integration


takikan = running_instance("collaboration", "loop-takikan")


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


def envelope(service: str, origin: str, position: int, event_type: str, household_id,
             payload: dict, recipient: str | None = None) -> dict:
    """A valid integration event from a (pretend) instance of another service."""
    body = {"event_id": event_id_for(origin, position), "type": event_type, "version": 1,
            "occurred_at": now_iso(), "household_id": household_id,
            "origin": {"service": service, "organisation": "org-shakyo", "instance": origin},
            "position": position, "correlation_id": str(uuid4()), "causation_id": str(uuid4()),
            "payload": payload}
    if recipient:
        body["recipient"] = {"instance": recipient}
    assert validate_envelope(body) == body
    return body


def send(platform, body: dict) -> None:
    recipient = (body.get("recipient") or {}).get("instance")
    publish(platform.broker, body, routing_key(body["origin"]["instance"], body["type"], 1, recipient))


def role(service: str, task: str, instance: str) -> dict:
    return {"service": service, "task": task, "organisation": "org-shakyo",
            "agency": {"agency_id": f"shakyo-{service}", "name": f"社協 {service}"},
            "instance": instance, "starts_on": "2026-07-01"}


def plan_in_force(platform, takikan, unique: str, outreach: str, sanka: str) -> tuple[dict, dict]:
    """A consenting household's case whose plan in force requested an outreach and a
    participation role; the case record and the requests by service."""
    instance, desk, person = takikan.settings.instance, f"loop-desk-{unique}", str(uuid4())
    referral = referral_envelope(desk, position=2)
    publish_envelope(platform.broker, consent_envelope(desk, referral["household_id"],
                                                       ("collaboration", "outreach", "participation"), person))
    publish_envelope(platform.broker, referral)
    with platform.rpc() as rpc:
        case = wait_until(lambda: rpc[instance].open_case_of(referral["household_id"]),
                          message="the case from the referral")
        rpc[instance].draft_plan({
            "case_id": case["case_id"], "drafted_on": "2026-06-10", "caseworker_id": "tk-1",
            "person_goals": [{"person_id": person, "goal": "週に一度は外出する"}],
            "roles": [role("outreach", "outreach_visits", outreach),
                      role("participation", "participation_matching", sanka)],
            "monitoring_dates": ["2026-08-31"]})
        rpc[instance].hold_multi_layered_meeting(meeting(case["case_id"], "plan_appropriate"))
        record = rpc[instance].case_record(case["case_id"])
    [plan] = record["plans"]
    by_role = {r["role_id"]: r for r in plan["requests"]}
    requests = {r["service"]: {**by_role[r["role_id"]], "plan_id": plan["plan_id"]} for r in plan["roles"]}
    return record, requests


def case_record(platform, takikan, case_id: str) -> dict:
    with platform.rpc() as rpc:
        return rpc[takikan.settings.instance].case_record(case_id)


def test_host_problems_and_outreach_plans_come_back_onto_the_case_once(platform, takikan, unique):
    instance = takikan.settings.instance
    outreach, sanka = f"loop-csw-{unique}", f"loop-sanka-{unique}"
    record, requests = plan_in_force(platform, takikan, unique, outreach, sanka)
    case_id, household = record["case_id"], record["household_id"]
    p = requests["participation"]
    problem = envelope("participation", sanka, 1, "participation.host_problem_reported", household, {
        "report_id": str(uuid4()), "match_id": str(uuid4()), "request_id": p["request_id"],
        "case_id": case_id, "plan_id": p["plan_id"], "role_id": p["role_id"],
        "host": {"host_id": str(uuid4()), "name": "見本農園株式会社", "kind": "company"},
        "kind": "attendance", "reported_on": "2026-09-14", "reported_at": "2026-09-14T01:15:00Z",
        "caseworker_id": "sanka-sw-2", "personal": {"description": "3回続けて連絡なく欠席"}},
        recipient=instance)
    outreach_plan_id = str(uuid4())

    def plan_report(position: int, change: str, revision: int, changed_on: str) -> dict:
        return envelope("outreach", outreach, position, "outreach.plan_reported", household, {
            "plan_id": outreach_plan_id, "outreach_case_id": str(uuid4()),
            "request_id": requests["outreach"]["request_id"], "collaboration_case_id": case_id,
            "change": change, "revision": revision, "changed_on": changed_on,
            "review_dates": ["2026-10-10"], "worker_id": "csw-03"}, recipient=instance)

    made, revised = plan_report(1, "made", 1, "2026-07-10"), plan_report(2, "revised", 2, "2026-10-10")
    assert routing_key(sanka, problem["type"], 1, instance).endswith(f".v1.to.{instance}")
    for body in (problem, made):
        send(platform, body)
    record = wait_until(lambda: (r := case_record(platform, takikan, case_id))
                        and r["host_problems"] and r["outreach_plan_reports"] and r,
                        message="the two reports on the case")
    [note] = record["host_problems"]
    assert note["report_id"] == problem["payload"]["report_id"]
    assert (note["label"], note["kind_label"]) == ("受入先からの課題報告", "出席・遅刻・欠席")
    assert note["host"]["name"] == "見本農園株式会社" and note["reported_on"] == "2026-09-14"
    assert note["personal"] == {"description": "3回続けて連絡なく欠席"}
    assert record["open_issues"] == 1
    [report] = record["outreach_plan_reports"]
    assert (report["change"], report["change_label"], report["revision"]) == ("made", "作成", 1)
    assert report["changed_on"] == "2026-07-10" and report["review_dates"] == ["2026-10-10"]

    # Redelivered copies change nothing; a later report from the same origin proves they were handled.
    send(platform, problem)
    send(platform, made)
    send(platform, revised)
    record = wait_until(lambda: (r := case_record(platform, takikan, case_id))
                        and len(r["outreach_plan_reports"]) == 2 and r, message="the revision")
    assert len(record["host_problems"]) == 1 and record["open_issues"] == 1
    assert [r["change_label"] for r in record["outreach_plan_reports"]] == ["作成", "見直し"]
    assert [row[0] for row in inbox_rows(takikan, outreach)] == [1, 2]
    assert [row[0] for row in inbox_rows(takikan, sanka)] == [1]
    again = envelope("participation", sanka, 2, "participation.host_problem_reported", household,
                     {**problem["payload"], "match_id": str(uuid4())}, recipient=instance)
    send(platform, again)  # the same report id under a new position: the case keeps one note
    wait_until(lambda: [row[0] for row in inbox_rows(takikan, sanka)] == [1, 2], message="the re-sent report")
    assert len(case_record(platform, takikan, case_id)["host_problems"]) == 1
    # Stored once each: one note for the report id, one event per plan report.
    assert stored_events(takikan, case_id, "Case.HostProblemNoted") == 1
    assert stored_events(takikan, case_id, "Case.OutreachPlanReported") == 2


def stored_events(takikan, case_id: str, topic_end: str) -> int:
    return admin_sql(takikan, "SELECT count(*) FROM kasane_events WHERE originator_id = %s "
                              "AND topic LIKE %s", (case_id, f"%{topic_end}"))[0][0]


def test_area_issues_are_kept_and_listed_by_area(platform, takikan, unique):
    instance, chiiki, area = takikan.settings.instance, f"loop-chiiki-{unique}", f"第1圏域-{unique}"

    def sheet(position: int, recorded_on: str, area_name: str = area) -> dict:
        return envelope("community", chiiki, position, "community.area_issue_recorded", None, {
            "sheet_id": str(uuid4()), "area": area_name, "committee": "福祉のまちづくり委員会",
            "issue_categories": ["isolation"], "description": "団地の高齢者が集まれる場所がない",
            "raised_by": "neighbourhood_association", "recorded_on": recorded_on})

    first, later, elsewhere = sheet(1, "2026-07-10"), sheet(2, "2026-09-01"), sheet(3, "2026-08-01", f"他-{unique}")
    send(platform, first)
    send(platform, first)  # redelivered
    send(platform, later)
    send(platform, elsewhere)

    listed = area_issues_of(platform, instance, f"他-{unique}")
    issues = listed(area)["issues"]
    assert [i["sheet_id"] for i in issues] == [later["payload"]["sheet_id"], first["payload"]["sheet_id"]]
    assert issues[0]["raised_by_label"] == "町会・自治会" and issues[0]["label"] == "地域課題"
    assert issues[0]["area"] == area and "household_id" not in issues[0]
    everywhere = {i["sheet_id"] for i in listed(None)["issues"]}
    assert {b["payload"]["sheet_id"] for b in (first, later, elsewhere)} <= everywhere
    assert [row[0] for row in inbox_rows(takikan, chiiki)] == [1, 2, 3]
