"""Households that have not consented, over the real RabbitMQ and PostgreSQL (seed 004 §6(2),
000 §4, 002 §4(3)): a referral without consent is carried by a 支援会議 from referral to 終結,
its role requests reaching only member instances (a non-member outreach instance receives
nothing, shown by a later decision addressed to it as a barrier); consent obtained midway moves
the case to the 重層的支援会議 path. The desk's events are published as its relay would."""
from datetime import timedelta
from uuid import uuid4

import pytest

from collaboration.domain.rules import CaseRuleViolation, ConsentRequired, MeetingRuleViolation

from tests.bus_helpers import consent_envelope, publish_envelope, referral_envelope, take, tap
from tests.outreach_helpers import about, decision_for, leads_of, today_in_japan
from tests.servers import wait_until

EVERY_LINE = ["collaboration", "outreach", "participation"]  # the purposes the desk's consent names

pytestmark = pytest.mark.integration

TAKIKAN, CSW, ISHIKAI = "smp-takikan", "smp-csw", "smp-ishikai"
MEMBERS = [{"organisation": "smp-city", "role": "host"},
           {"organisation": "smp-shakyo", "role": "outreach"}]


@pytest.fixture(scope="module")
def net(platform):
    deployed = [platform.instance("collaboration", TAKIKAN, organisation="smp-city"),
                platform.instance("outreach", CSW, organisation="smp-shakyo"),
                platform.instance("outreach", ISHIKAI, organisation="smp-ishikai")]
    platform.start(*deployed)
    yield deployed
    platform.stop(*deployed)


def outreach_role(organisation: str, instance: str) -> dict:
    return {"service": "outreach", "task": "outreach_visits", "organisation": organisation,
            "agency": {"agency_id": f"{instance}-agency", "name": "アウトリーチ"},
            "instance": instance, "starts_on": (today_in_japan() + timedelta(days=1)).isoformat()}


def support_meeting(rpc, case_id: str, decision: str, **item) -> dict:
    return rpc[TAKIKAN].hold_support_meeting({
        "held_on": today_in_japan().isoformat(), "caseworker_id": "tk-1", "members": MEMBERS,
        "information_shared": "同意はまだない。郵便物が溜まっている",
        "agenda": [{"case_id": case_id, "decision": decision, **item}]})


def referred_without_consent(platform, rpc, desk: str, roles: list) -> dict:
    referral = referral_envelope(desk)
    publish_envelope(platform.broker, referral)
    case = wait_until(lambda: rpc[TAKIKAN].open_case_of(referral["household_id"]),
                      message="the case from the referral")
    rpc[TAKIKAN].draft_plan({
        "case_id": case["case_id"], "drafted_on": today_in_japan().isoformat(),
        "caseworker_id": "tk-1", "person_goals": [], "household_goal": "安否を確かめ続ける",
        "roles": roles, "monitoring_dates": [(today_in_japan() + timedelta(days=30)).isoformat()]})
    return case


def test_a_support_meeting_carries_a_household_without_consent_from_referral_to_closure(platform, net, unique):
    wire, desk = tap(platform, f"smp-wire-{unique}"), f"smp-desk-{unique}"
    with platform.rpc() as rpc:
        case = referred_without_consent(platform, rpc, desk, [outreach_role("smp-ishikai", ISHIKAI)])
        with pytest.raises(MeetingRuleViolation):  # the 医師会 is no member of this 支援会議
            support_meeting(rpc, case["case_id"], "plan_appropriate")
        plan_id = rpc[TAKIKAN].case_record(case["case_id"])["draft_plan_id"]
        rpc[TAKIKAN].revise_plan({
            "plan_id": plan_id, "revised_on": today_in_japan().isoformat(), "caseworker_id": "tk-1",
            "person_goals": [], "household_goal": "安否を確かめ続ける",
            "roles": [outreach_role("smp-shakyo", CSW)],
            "monitoring_dates": [(today_in_japan() + timedelta(days=30)).isoformat()]})
        support_meeting(rpc, case["case_id"], "plan_appropriate")
        household = case["household_id"]
        [lead] = wait_until(lambda: leads_of(rpc, CSW, household), message="the role at the member")
        assert lead["source"] == "collaboration_role"
        barrier = str(uuid4())
        decision_for(rpc, TAKIKAN, "smp-city", {"organisation": "smp-ishikai", "instance": ISHIKAI}, barrier)
        wait_until(lambda: leads_of(rpc, ISHIKAI, barrier), message="the later decision at the 医師会")
        assert leads_of(rpc, ISHIKAI, household) == []
        rpc[TAKIKAN].record_monitoring({"case_id": case["case_id"], "caseworker_id": "tk-1",
                                        "monitored_on": today_in_japan().isoformat(),
                                        "situation_changed": False})
        support_meeting(rpc, case["case_id"], "closure", goals_met="partly_met", follow_up_needed=True)
        closed = rpc[TAKIKAN].close_case({"case_id": case["case_id"], "caseworker_id": "tk-1"})
    assert closed["status"] == "closed" and closed["handed_back_to"] == desk
    events = about(take(platform, wire), household)
    assert [e["recipient"]["instance"] for e in events if e["type"] == "collaboration.role_requested"] == [CSW]
    [hand_back] = [e for e in events if e["type"] == "collaboration.household_handed_back"]
    assert hand_back["recipient"] == {"instance": desk} and "personal" not in hand_back


def test_consent_obtained_midway_moves_the_case_to_the_multi_layered_meeting(platform, net, unique):
    desk = f"smp-desk2-{unique}"
    with platform.rpc() as rpc:
        case = referred_without_consent(platform, rpc, desk, [outreach_role("smp-shakyo", CSW)])
        with pytest.raises(ConsentRequired):
            rpc[TAKIKAN].hold_multi_layered_meeting({
                "held_on": today_in_japan().isoformat(), "caseworker_id": "tk-1",
                "attendees": [{"organisation": "smp-city", "role": "host"}],
                "agenda": [{"case_id": case["case_id"], "decision": "plan_appropriate"}]})
        support_meeting(rpc, case["case_id"], "plan_appropriate")
        publish_envelope(platform.broker, consent_envelope(desk, case["household_id"], EVERY_LINE, position=99))

        def multi_layered_suspension():
            try:
                return rpc[TAKIKAN].hold_multi_layered_meeting({
                    "held_on": today_in_japan().isoformat(), "caseworker_id": "tk-1",
                    "attendees": [{"organisation": "smp-city", "role": "host"}],
                    "agenda": [{"case_id": case["case_id"], "decision": "suspension",
                                "reason": "contact_lost"}]})
            except ConsentRequired:
                return None  # the consent is not learnt yet
        wait_until(multi_layered_suspension, message="the 重層的支援会議 once consent is learnt")
        with pytest.raises(CaseRuleViolation):
            support_meeting(rpc, case["case_id"], "suspension", reason="contact_lost")
        record = rpc[TAKIKAN].case_record(case["case_id"])
        suspended = rpc[TAKIKAN].suspend_case({"case_id": case["case_id"], "caseworker_id": "tk-1"})
    assert [d["body"] for d in record["decisions"]] == ["support_meeting", "multi_layered"]
    assert record["carried_by"] == "multi_layered" and suspended["status"] == "suspended"
