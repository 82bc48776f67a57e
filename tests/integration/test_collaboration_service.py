"""多機関協働 over the real RabbitMQ and PostgreSQL: a running collaboration process learns
consent and referrals from the bus, sends a plan's outreach role as a request addressed to the
outreach instance, hands the household back to the referring instance on closure, and keeps
its 支援会議 records from any organisation that was not a member."""
import json
from datetime import datetime, timezone
from uuid import uuid4

import pytest
from kombu import Connection

from kasane.errors import InvalidCommand
from kasane.bus.topology import ADDRESSED, EVERY_EVENT, declare_consumer
from kasane_contracts import validate_envelope

from tests.bus_helpers import admin_sql, consent_envelope, publish_envelope, referral_envelope, stand_in, take
from collaboration.domain.rules import ConsentRequired, NotAMember
from tests.servers import running_instance, wait_until
from tests.referral_helpers import meeting

pytestmark = pytest.mark.integration


takikan = running_instance("collaboration", "collab-takikan")


def listen(platform, instance: str, event_type: str) -> None:
    """Declare the inbox an outreach or consultation instance would have, for addressed events."""
    stand_in(instance)
    with Connection(platform.broker.amqp_uri) as connection:
        declare_consumer(connection.channel(), instance, [(event_type, 1, ADDRESSED)])


def consenting_case(platform, takikan, unique: str, person_id: str) -> dict:
    origin = f"collab-desk-{unique}"
    referral = referral_envelope(origin, position=2)
    publish_envelope(platform.broker, consent_envelope(origin, referral["household_id"],
                                                       ("collaboration", "outreach"), person_id))
    publish_envelope(platform.broker, referral)
    with platform.rpc() as rpc:
        return wait_until(lambda: rpc[takikan.settings.instance].open_case_of(referral["household_id"]),
                          message="the case from the referral")


def plan_command(case_id: str, outreach: str, person_id: str) -> dict:
    return {"case_id": case_id, "drafted_on": "2026-06-10", "caseworker_id": "tk-1",
            "person_goals": [{"person_id": person_id, "goal": "週に一度は外出する"}],
            "roles": [{"service": "outreach", "task": "outreach_visits", "organisation": "org-shakyo",
                       "agency": {"agency_id": "shakyo", "name": "社協アウトリーチ"},
                       "instance": outreach, "starts_on": "2026-07-01",
                       "description": "月2回の訪問"}],
            "monitoring_dates": ["2026-08-31"]}


def test_a_plan_in_force_sends_its_outreach_role_to_the_outreach_instance_only(platform, takikan, unique):
    instance, outreach, person = takikan.settings.instance, f"outreach-{unique}", str(uuid4())
    listen(platform, outreach, "collaboration.role_requested")
    listen(platform, f"bystander-{unique}", "collaboration.role_requested")
    case = consenting_case(platform, takikan, unique, person)
    with platform.rpc() as rpc:
        rpc[instance].draft_plan(plan_command(case["case_id"], outreach, person))
        rpc[instance].hold_multi_layered_meeting(meeting(case["case_id"], "plan_appropriate"))
        assert rpc[instance].get_case(case["case_id"])["status"] == "monitoring"
    [request] = wait_until(lambda: take(platform, outreach), message="the role request")
    assert validate_envelope(request) == request
    assert request["recipient"]["instance"] == outreach
    assert request["payload"]["service"] == "outreach" and request["payload"]["case_id"] == case["case_id"]
    assert request["payload"]["personal"]["goals"][0]["goal"] == "週に一度は外出する"
    assert take(platform, f"bystander-{unique}") == []


def test_closure_hands_the_household_back_to_the_referring_instance(platform, takikan, unique):
    instance, person = takikan.settings.instance, str(uuid4())
    case = consenting_case(platform, takikan, f"h{unique}", person)
    desk = case["referrals"][0]["origin_instance"]
    listen(platform, desk, "collaboration.household_handed_back")
    with platform.rpc() as rpc:
        rpc[instance].draft_plan(plan_command(case["case_id"], f"outreach-h{unique}", person))
        rpc[instance].hold_multi_layered_meeting(meeting(case["case_id"], "plan_appropriate"))
        rpc[instance].hold_multi_layered_meeting(
            meeting(case["case_id"], "closure", goals_met="met", follow_up_needed=True))
        closed = rpc[instance].close_case({"case_id": case["case_id"], "caseworker_id": "tk-1",
                                           "summary": "長男は週1回外出できるようになった"})
        assert rpc[instance].open_case_of(case["household_id"]) is None
    [hand_back] = wait_until(lambda: take(platform, desk), message="the hand-back")
    assert hand_back["payload"]["hand_back_id"] == closed["hand_back_id"]
    assert hand_back["payload"]["ending"] == "closed"
    assert hand_back["payload"]["personal"]["plan_summary"] == "長男は週1回外出できるようになった"


def test_a_meeting_for_a_household_without_consent_is_refused_and_stores_nothing(platform, takikan, unique):
    instance = takikan.settings.instance
    referral = referral_envelope(f"nc-desk-{unique}")
    publish_envelope(platform.broker, referral)
    with platform.rpc() as rpc:
        case = wait_until(lambda: rpc[instance].open_case_of(referral["household_id"]))
        rpc[instance].draft_plan(plan_command(case["case_id"], f"outreach-nc{unique}", str(uuid4())))
        before = admin_sql(takikan, "SELECT count(*) FROM kasane_events")[0][0]
        with pytest.raises(ConsentRequired):
            rpc[instance].hold_multi_layered_meeting(meeting(case["case_id"], "plan_appropriate"))
    assert admin_sql(takikan, "SELECT count(*) FROM kasane_events")[0][0] == before


def test_a_support_meeting_record_is_readable_only_by_its_member_persons(platform, takikan, unique):
    instance, everything = takikan.settings.instance, f"ledger-{unique}"
    with Connection(platform.broker.amqp_uri) as connection:  # hears every event, as the audit ledger
        declare_consumer(connection.channel(), everything, [EVERY_EVENT])
    with platform.rpc() as rpc:
        held = rpc[instance].hold_support_meeting({
            "held_on": "2026-07-10", "caseworker_id": "tk-1",
            "members": [{"organisation": "org-takikan", "role": "host"},
                        {"organisation": "org-hospital", "role": "related_agency",
                         "persons": [{"staff_id": "staff-msw", "secrecy_acknowledged_on": "2026-07-10"}]}],
            "information_shared": f"郵便物が溜まっている-{unique}", "watching_policy": "週1回声かけ"})
    read = {"meeting_id": held["meeting_id"]}
    # The reader is whoever the call's context names, of the organisation the broker vouches for
    # (its own bus user sent the call); a body naming an organisation is refused.
    outsider = {"name": "職員", "organisation": "org-outsider", "staff_id": "staff-x"}
    colleague = {"name": "職員", "organisation": "org-hospital", "staff_id": "staff-colleague"}
    member_person = {"name": "職員", "organisation": "org-hospital", "staff_id": "staff-msw"}
    with platform.rpc_of("org-outsider", outsider) as rpc, pytest.raises(NotAMember) as refused:
        rpc[instance].read_support_meeting(read)
    with platform.rpc_of("org-hospital", colleague) as rpc, pytest.raises(NotAMember):
        rpc[instance].read_support_meeting(read)
    # Naming the member person is not enough from another organisation's bus user, nor with the
    # administrator's (city IT's tools are no member's).
    with platform.rpc_of("org-outsider", member_person) as rpc, pytest.raises(NotAMember):
        rpc[instance].read_support_meeting(read)
    with platform.rpc(reader=member_person) as rpc, pytest.raises(NotAMember):
        rpc[instance].read_support_meeting(read)
    with platform.rpc_of("org-hospital", member_person) as rpc:
        with pytest.raises(InvalidCommand):
            rpc[instance].read_support_meeting({**read, "organisation": "org-hospital"})
        member = rpc[instance].read_support_meeting(read)
    assert f"郵便物が溜まっている-{unique}" not in str(refused.value)
    assert member["information_shared"] == f"郵便物が溜まっている-{unique}"
    # Recorded in this instance only: the relay went past it (a later checkpoint arrived)
    # and nothing it published names the meeting or repeats what was said there.
    heard: list = []
    read_at = datetime.now(timezone.utc)

    def checkpoint_after_meeting():
        heard.extend(take(platform, everything))
        return any(e["type"] == "audit.checkpoint_signed" and e["origin"]["instance"] == instance
                   and datetime.fromisoformat(e["occurred_at"].replace("Z", "+00:00")) > read_at
                   for e in heard)

    wait_until(checkpoint_after_meeting, timeout=40, message="a checkpoint of the collaboration log")
    published = json.dumps(heard, ensure_ascii=False)
    assert held["meeting_id"] not in published and "郵便物" not in published
