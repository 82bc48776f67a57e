"""支援会議の決定 over the real RabbitMQ and PostgreSQL (issue 8; 社会福祉法 art. 106-6, seed
000 §4): collaboration, two outreach instances (社協 CSW, 医師会) and a consultation desk.

- a decision goes only to the member instance it names: the 医師会's outreach instance, not a
  member, receives nothing; the member opens a lead (source 支援会議) with what was passed on;
- under a decision in force naming the desk's organisation as a member, outreach hands the
  person over to the desk with their details; without consent and without a decision, the
  desk receives nothing personal (the hand-over is refused and nothing is published).
"""
import json
from datetime import timedelta
from uuid import uuid4

import pytest

from outreach.domain.rules import ConsentRequired

from tests.bus_helpers import inbox_rows, take, tap
from tests.outreach_helpers import (about, awaiting, decision_for, ise_agencies, leads_of, network_fixture,
                                    take_lead, today_in_japan)
from tests.servers import wait_until

pytestmark = pytest.mark.integration

JIRITSU, SHAKYO, ISHIKAI = ise_agencies("sm")
SECRET = "会議での話：長男と父の関係が悪い"


net = network_fixture("sm", desk=True)


def hold(rpc, household_id: str, unique: str, sharing_until) -> dict:
    today = today_in_japan()
    return rpc["sm-takikan"].hold_support_meeting({
        "held_on": today.isoformat(), "caseworker_id": "tk-1",
        "members": [{"organisation": "sm-city", "role": "host"},
                    {"organisation": "sm-shakyo", "role": "outreach"},
                    {"organisation": "sm-jiritsu", "role": "consultation"}],
        "household_ids": [household_id], "information_shared": SECRET,
        "decisions": [{
            "household_id": household_id,
            "roles": [{"organisation": "sm-shakyo", "role": "outreach_contact"},
                      {"organisation": "sm-jiritsu", "role": "consultation"}],
            "sharing_allowed": True, "sharing_until": sharing_until.isoformat(),
            "recipients": [{"organisation": "sm-shakyo", "instance": "sm-csw"}],
            "pass_on": {"persons": [{"name": f"見本 三郎{unique}", "relation": "self"}],
                        "address": f"伊勢市 見本町{unique}", "description": "ごみが庭にあふれている"}}]})


def test_a_decision_reaches_only_the_member_instance_which_opens_a_lead(platform, net):
    household_id, unique = str(uuid4()), uuid4().hex[:6]
    wire = tap(platform, f"sm-wire-{unique}")
    with platform.rpc() as rpc:
        held = hold(rpc, household_id, unique, today_in_japan() + timedelta(days=90))
        assert held["decisions"][0]["sent_to"] == ["sm-csw"]
        [lead] = wait_until(lambda: leads_of(rpc, "sm-csw", household_id), message="the lead at the CSW")
        assert lead["source"] == "support_meeting" and lead["stage_label"] == "把握"
        record = rpc["sm-csw"].case_record(lead["case_id"])
        assert record["personal"]["address"] == f"伊勢市 見本町{unique}"
        assert record["support_meeting_decisions"][0]["role"] == "outreach_contact"
        # The 医師会's instance got nothing but the later decision addressed to it (the barrier).
        barrier = str(uuid4())
        decision_for(rpc, "sm-takikan", "sm-city", {"organisation": "sm-ishikai", "instance": "sm-ishikai"},
                     barrier)
        wait_until(lambda: leads_of(rpc, "sm-ishikai", barrier), message="the later decision at the 医師会")
        assert leads_of(rpc, "sm-ishikai", household_id) == []
    assert len(inbox_rows(net["ishikai"], "sm-takikan")) == 1
    [decided] = about(take(platform, wire), household_id, "collaboration.support_meeting_decided")
    assert decided["recipient"] == {"instance": "sm-csw"}  # one message, for the member only
    assert decided["payload"]["members"] == ["sm-city", "sm-jiritsu", "sm-shakyo"]
    assert SECRET not in json.dumps(decided, ensure_ascii=False)  # the discussion stays home


def handed_over_under_a_decision(rpc, household_id: str, unique: str, desk: dict) -> dict:
    """A decision's lead at the CSW handed over to the desk; returns it as the desk awaits it."""
    hold(rpc, household_id, unique, today_in_japan() + timedelta(days=30))
    [lead] = wait_until(lambda: leads_of(rpc, "sm-csw", household_id), message="the lead")
    handed = rpc["sm-csw"].hand_over({
        "case_id": lead["case_id"], "to_service": "consultation", "to": desk,
        "issue_categories": ["hikikomori"],
        "worker_id": "csw-03", "summary": f"支援会議の決定で引き継ぎ{unique}"})
    assert handed["basis"] == "support_meeting"
    [arrived] = wait_until(lambda: awaiting(rpc, "sm-jiritsu", JIRITSU["agency_id"], household_id),
                           message="the hand-over at the desk")
    return arrived


def test_a_member_desk_receives_the_person_under_the_decision_and_without_one_receives_nothing(platform, net):
    decided_household, lone_household, unique = str(uuid4()), str(uuid4()), uuid4().hex[:6]
    wire = tap(platform, f"sm-wire2-{unique}")
    desk = {"instance": "sm-jiritsu", "organisation": "sm-jiritsu", "agency": JIRITSU}
    with platform.rpc() as rpc:
        arrived = handed_over_under_a_decision(rpc, decided_household, unique, desk)
        assert arrived["kind"] == "outreach"
        assert arrived["personal"]["persons"][0]["name"] == f"見本 三郎{unique}"

        # No consent, no decision: refused at outreach, nothing leaves.
        lone = take_lead(rpc, "sm-csw", lone_household, f"見本 七郎{unique}")
        with pytest.raises(ConsentRequired):
            rpc["sm-csw"].hand_over({"case_id": lone["case_id"], "to_service": "consultation",
                                     "to": desk, "issue_categories": ["hikikomori"],
                                     "worker_id": "csw-03", "summary": f"同意なし{unique}"})
        handed_over_under_a_decision(rpc, str(uuid4()), unique, desk)  # later, from the same CSW: a barrier
        assert awaiting(rpc, "sm-jiritsu", JIRITSU["agency_id"], lone_household) == []
    heard = take(platform, wire)
    assert about(heard, lone_household) == []
    [handover] = about(heard, decided_household, "outreach.person_handed_over")
    assert handover["recipient"] == {"instance": "sm-jiritsu"}
    assert f"見本 七郎{unique}" not in json.dumps(heard, ensure_ascii=False)
