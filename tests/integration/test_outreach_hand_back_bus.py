"""多機関協働からのつなぎ戻し to アウトリーチ over the real RabbitMQ and PostgreSQL (issue 8,
continued): collaboration and two outreach instances (社協 CSW and 医師会), each its own process.

A consenting person handed over by the CSW opens a 多機関協働 case; caseworkers close it as a
重層的支援会議 judged, WITHOUT naming whom to hand the household back to. The hand-back then goes,
by default, to the referral's origin — the CSW's outreach instance — which records it on the
case it handed over: open again at 関係構築, with what the consent let 多機関協働 share. The
医師会's instance receives nothing, and the hand-back is not left unrouted (kasane.unrouted).
"""
import json
from datetime import timedelta
from uuid import uuid4

import pytest
from kombu import Connection

from kasane.bus.topology import UNROUTED_QUEUE

from tests.bus_helpers import inbox_rows
from tests.servers import wait_until
from tests.outreach_helpers import (decision_for, ise_agencies, leads_of, meet_and_consent, network_fixture,
                                    take_lead, today_in_japan)

pytestmark = pytest.mark.integration

_, SHAKYO, ISHIKAI = ise_agencies("ohb")
TAKIKAN = {"instance": "ohb-takikan", "organisation": "ohb-city"}


net = network_fixture("ohb")


def unrouted_about(platform, household_id: str) -> list[dict]:
    """The events about the household waiting in kasane.unrouted; read, then left there."""
    found = []
    with Connection(platform.broker.amqp_uri) as connection:
        channel = connection.channel()
        while (message := channel.basic_get(queue=UNROUTED_QUEUE, no_ack=False)) is not None:
            envelope = json.loads(message.body)
            if envelope.get("household_id") == household_id:
                found.append(envelope)
    return found  # unacked: closing the channel puts every message back


def meeting(case_id: str, decision: str, **item) -> dict:
    return {"held_on": today_in_japan().isoformat(), "caseworker_id": "tk-1",
            "attendees": [{"organisation": TAKIKAN["organisation"], "role": "host"}],
            "agenda": [{"case_id": case_id, "decision": decision, **item}]}


def close_with_default_hand_back(rpc, case_id: str) -> dict:
    """Plan, judged appropriate, then 終結 as the meeting judged: close_case with no hand_back_to."""
    today = today_in_japan()
    rpc["ohb-takikan"].draft_plan({
        "case_id": case_id, "drafted_on": today.isoformat(), "caseworker_id": "tk-1",
        "household_goal": "週に一度は外出する",
        "roles": [{"service": "consultation", "task": "continuing_consultation",
                   "organisation": "ohb-shakyo", "agency": SHAKYO, "starts_on": today.isoformat()}],
        "monitoring_dates": [(today + timedelta(days=60)).isoformat()]})
    rpc["ohb-takikan"].hold_multi_layered_meeting(meeting(case_id, "plan_appropriate"))
    rpc["ohb-takikan"].hold_multi_layered_meeting(
        meeting(case_id, "closure", goals_met="met", follow_up_needed=True))
    return rpc["ohb-takikan"].close_case({"case_id": case_id, "caseworker_id": "tk-1",
                                         "summary": "週1回外出できるようになった"})


def test_a_closed_case_goes_back_by_default_to_the_outreach_instance_that_handed_the_person_over(platform, net):
    household_id, unique = str(uuid4()), uuid4().hex[:6]
    name = f"見本 七郎{unique}"
    with platform.rpc() as rpc:
        lead = take_lead(rpc, "ohb-csw", household_id, name)
        meet_and_consent(rpc, "ohb-csw", lead, purposes=["collaboration", "connection"])
        handed = rpc["ohb-csw"].hand_over({
            "case_id": lead["case_id"], "to_service": "collaboration", "to": TAKIKAN,
            "issue_categories": ["hikikomori"], "worker_id": "csw-03"})
        assert handed["basis"] == "consent"
        assert [r["stage"] for r in leads_of(rpc, "ohb-csw", household_id)] == ["connected"]  # 見守り
        case = wait_until(lambda: rpc["ohb-takikan"].open_case_of(household_id), message="the case")
        assert case["referrals"][0]["origin_instance"] == "ohb-csw"
        wait_until(lambda: rpc["ohb-takikan"].household_consent(household_id)["allows_collaboration"],
                   message="collaboration learning the outreach consent")

        closed = close_with_default_hand_back(rpc, case["case_id"])
        assert closed["handed_back_to"] == "ohb-csw"  # the referral's origin, nobody named it

        record = wait_until(lambda: (r := rpc["ohb-csw"].case_record(lead["case_id"]))["hand_backs"] and r,
                            message="the hand-back recorded on the outreach case")
        [hand_back] = record["hand_backs"]
        assert hand_back["hand_back_id"] == closed["hand_back_id"]
        assert hand_back["collaboration_case_id"] == case["case_id"] and hand_back["ending_label"] == "終結"
        assert hand_back["label"] == "多機関協働からのつなぎ戻し" and hand_back["from_instance"] == "ohb-takikan"
        assert record["stage_label"] == "関係構築"
        assert [p["name"] for p in record["personal"]["persons"]] == [name]
        summaries = record["personal"]["hand_back_summaries"]
        assert summaries == {closed["hand_back_id"]: "週1回外出できるようになった"}
        [row] = leads_of(rpc, "ohb-csw", household_id)  # an open lead again, saying why
        assert row["case_id"] == lead["case_id"] and row["handed_back"]["label"] == "多機関協働からのつなぎ戻し"

        # The 医師会's instance got nothing but the later decision addressed to it (the barrier).
        barrier = str(uuid4())
        decision_for(rpc, "ohb-takikan", TAKIKAN["organisation"],
                     {"organisation": "ohb-ishikai", "instance": "ohb-ishikai"}, barrier)
        wait_until(lambda: leads_of(rpc, "ohb-ishikai", barrier), message="the later decision at the 医師会")
        assert leads_of(rpc, "ohb-ishikai", household_id) == []
    assert len(inbox_rows(net["ishikai"], "ohb-takikan")) == 1
    assert [e["type"] for e in unrouted_about(platform, household_id)
            if e["type"] == "collaboration.household_handed_back"] == []
