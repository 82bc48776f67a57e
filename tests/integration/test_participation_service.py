"""参加支援 over the real RabbitMQ and PostgreSQL (issue 9): a participation role in a
多機関協働 plan in force becomes a participation request in the running participation process;
its match and sessions count in the fiscal year; a host's problem report reaches the
collaboration instance that owns the plan, and no other."""
from datetime import datetime, timezone
from uuid import uuid4

import pytest
from kombu import Connection

from kasane.bus.envelope import event_id_for
from kasane.bus.topology import ADDRESSED, declare_consumer, routing_key
from kasane_contracts import validate_envelope

from tests.bus_helpers import consent_envelope, publish, publish_envelope, referral_envelope, stand_in, take
from tests.referral_helpers import meeting
from tests.servers import wait_until

pytestmark = pytest.mark.integration

HOST = {"name": "見本農園株式会社", "kind": "company", "offers": ["work_experience"],
        "area": "小俣", "capacity": 3, "contact_organisation": "見本農園株式会社",
        "conditions": {"days": ["tue", "thu"]},
        "developed": {"developed_on": "2026-05-20", "developed_by": "sanka-sw-2"},
        "registered_on": "2026-05-21", "caseworker_id": "sanka-sw-2"}
NEEDS = {"wished_offers": ["work_experience"], "area": "小俣", "available_days": ["tue"],
         "wishes": "土に触れる仕事がしたい", "limits": "朝が苦手"}


@pytest.fixture(scope="module")
def pair(platform):
    """A running collaboration instance and the participation instance its plans name."""
    suffix = uuid4().hex[:4]
    collaboration = platform.instance("collaboration", f"takikan-{suffix}")
    participation = platform.instance("participation", f"sanka-{suffix}")
    platform.start(collaboration, participation)
    yield collaboration, participation
    platform.stop(participation, collaboration)


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


def listen(platform, instance: str, event_type: str) -> None:
    """Declare the inbox a collaboration instance would have for an addressed event type."""
    stand_in(instance)
    with Connection(platform.broker.amqp_uri) as connection:
        declare_consumer(connection.channel(), instance, [(event_type, 1, ADDRESSED)])


def plan_and_match(rpc, sanka: str, support_id: str, matched_on: str) -> str:
    rpc[sanka].assess_needs({"support_id": support_id, "assessed_on": matched_on,
                             "caseworker_id": "sanka-sw-1", "needs": NEEDS})
    rpc[sanka].make_plan({"support_id": support_id, "made_on": matched_on, "caseworker_id": "sanka-sw-1",
                          "goals": ["週1回、農園の作業に参加する"], "review_dates": ["2027-06-30"]})
    host_id = rpc[sanka].register_host(HOST)["host_id"]
    proposed = {c["host_id"]: c for c in rpc[sanka].propose_hosts(support_id)["candidates"]}
    assert "本人と同じ圏域にある" in proposed[host_id]["reasons"]
    match = rpc[sanka].match({"support_id": support_id, "host_id": host_id, "offer": "work_experience",
                              "matched_on": matched_on, "caseworker_id": "sanka-sw-1"})
    rpc[sanka].start_match({"match_id": match["match_id"], "started_on": matched_on,
                            "caseworker_id": "sanka-sw-1"})
    return match["match_id"]


def test_a_participation_role_in_a_plan_becomes_a_request_whose_sessions_count(platform, pair):
    collaboration, participation = pair
    takikan, sanka = collaboration.settings.instance, participation.settings.instance
    desk, person = f"desk-{uuid4().hex[:4]}", str(uuid4())
    referral = referral_envelope(desk, position=2)
    household_id = referral["household_id"]
    publish_envelope(platform.broker, consent_envelope(desk, household_id, ("collaboration", "participation"), person))
    publish_envelope(platform.broker, referral)
    with platform.rpc() as rpc:
        case = wait_until(lambda: rpc[takikan].open_case_of(household_id), message="the case")
        rpc[takikan].draft_plan({
            "case_id": case["case_id"], "drafted_on": "2026-06-10", "caseworker_id": "tk-1",
            "person_goals": [{"person_id": person, "goal": "週に一度は外出する"}],
            "roles": [{"service": "participation", "task": "participation_matching",
                       "organisation": participation.settings.organisation,
                       "agency": {"agency_id": "sanka", "name": "社協 参加支援"}, "instance": sanka,
                       "starts_on": "2026-07-01", "description": "農作業の体験先を探す"}],
            "monitoring_dates": ["2026-08-31"]})
        rpc[takikan].hold_multi_layered_meeting(
            meeting(case["case_id"], "plan_appropriate", host=collaboration.settings.organisation))
        [listed] = wait_until(lambda: rpc[sanka].supports_of(household_id), timeout=40,
                              message="the participation request from the role")
        support = rpc[sanka].get_support(listed["support_id"])
        assert support["source"] == "collaboration_role" and support["plan_owner"] == takikan
        assert support["request"]["case_id"] == case["case_id"]
        assert support["background"]["goals"][0]["goal"] == "週に一度は外出する"
        match_id = plan_and_match(rpc, sanka, listed["support_id"], "2026-07-07")
        for day in ("2026-07-07", "2026-07-14", "2026-07-21"):
            rpc[sanka].record_session({"match_id": match_id, "attended_on": day,
                                       "caseworker_id": "sanka-sw-1"})
        counts = rpc[sanka].fiscal_year_counts({"fiscal_year": 2026})
    assert (counts["requests_received"], counts["plans_made"], counts["matches_made"]) == (1, 1, 1)
    assert counts["sessions"] == 3 and counts["sessions_by_offer"]["work_experience"]["count"] == 3
    assert counts["new_company_hosts"] >= 1


def test_a_host_problem_report_reaches_the_collaboration_instance_that_owns_the_plan(platform, pair):
    _, participation = pair
    sanka, owner, bystander = participation.settings.instance, f"owner-{uuid4().hex[:4]}", f"by-{uuid4().hex[:4]}"
    listen(platform, owner, "participation.host_problem_reported")
    listen(platform, bystander, "participation.host_problem_reported")
    household_id, request_id, case_id = str(uuid4()), str(uuid4()), str(uuid4())
    request = {
        "event_id": event_id_for(owner, 1), "type": "collaboration.role_requested", "version": 1,
        "occurred_at": now_iso(), "household_id": household_id,
        "origin": {"service": "collaboration", "organisation": "org-owner", "instance": owner},
        "position": 1, "correlation_id": str(uuid4()), "causation_id": str(uuid4()),
        "payload": {"request_id": request_id, "case_id": case_id, "plan_id": str(uuid4()),
                    "role_id": str(uuid4()), "service": "participation",
                    "task": "participation_matching", "organisation": participation.settings.organisation,
                    "agency": {"agency_id": "sanka", "name": "社協 参加支援"}, "starts_on": "2027-04-01",
                    "requested_at": now_iso(), "consent_ids": [str(uuid4())],
                    "personal": {"persons": [{"person_id": str(uuid4()), "name": "見本 三郎"}]}},
        "recipient": {"instance": sanka},
    }
    publish(platform.broker, request, routing_key(owner, request["type"], 1, recipient=sanka))
    with platform.rpc() as rpc:
        [listed] = wait_until(lambda: rpc[sanka].supports_of(household_id), message="the request")
        match_id = plan_and_match(rpc, sanka, listed["support_id"], "2027-04-06")
        sent = rpc[sanka].report_host_problem({
            "match_id": match_id, "kind": "attendance", "reported_on": "2027-04-20",
            "caseworker_id": "sanka-sw-1", "description": "連絡なく3回欠席"})
        assert sent["sent_to"] == owner
    [report] = wait_until(lambda: take(platform, owner), message="the host problem report")
    assert validate_envelope(report) == report
    assert report["type"] == "participation.host_problem_reported"
    assert report["recipient"] == {"instance": owner} and report["household_id"] == household_id
    assert (report["payload"]["case_id"], report["payload"]["request_id"]) == (case_id, request_id)
    assert report["payload"]["report_id"] == sent["report_id"]
    assert report["payload"]["personal"] == {"description": "連絡なく3回欠席"}
    assert take(platform, bystander) == []
