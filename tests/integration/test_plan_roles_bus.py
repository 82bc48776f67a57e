"""Providers see the plan, over the real RabbitMQ and PostgreSQL (000 §4, 002 §4(3)): a desk
refers a household; the plan a 支援会議 approves gives the desk a role, which reaches the desk's
instance; the referred consultation stays in the desk's caseload as 多機関協働中 with that
role until the hand-back, which ends it."""
from datetime import timedelta

import pytest

from tests.outreach_helpers import today_in_japan
from tests.referral_helpers import referred_household
from tests.servers import wait_until

pytestmark = pytest.mark.integration

HOKATSU = {"agency_id": "pr-hokatsu", "name": "常盤平高齢者いきいき安心センター"}
MEMBERS = [{"organisation": "org-pr-takikan", "role": "host"},
           {"organisation": "org-pr-hokatsu", "role": "consultation"}]


def meeting(rpc, takikan: str, case_id: str, decision: str, **item) -> None:
    rpc[takikan].hold_support_meeting({
        "held_on": today_in_japan().isoformat(), "caseworker_id": "tk-1", "members": MEMBERS,
        "information_shared": "介護サービスの調整を包括が担う",
        "agenda": [{"case_id": case_id, "decision": decision, **item}]})


def test_a_plan_role_reaches_the_consultation_desk_which_keeps_the_case_until_the_hand_back(platform, unique):
    with referred_household(platform, "pr", unique, HOKATSU) as referred:
        rpc, at_desk, at_takikan = referred.rpc, referred.desk, referred.takikan
        received, case, takikan = referred.received, referred.case, referred.takikan_instance
        at_takikan.draft_plan({
            "case_id": case["case_id"], "drafted_on": today_in_japan().isoformat(),
            "caseworker_id": "tk-1", "person_goals": [], "household_goal": "介護負担を減らす",
            "roles": [{"service": "consultation", "task": "care_services",
                       "organisation": "org-pr-hokatsu", "agency": HOKATSU,
                       "instance": referred.desk_instance,
                       "starts_on": today_in_japan().isoformat()}],
            "monitoring_dates": [(today_in_japan() + timedelta(days=30)).isoformat()]})
        meeting(rpc, takikan, case["case_id"], "plan_appropriate")

        def in_collaboration():
            rows = at_desk.open_consultations(HOKATSU["agency_id"])["in_collaboration"]
            return [r for r in rows if r["consultation_id"] == received["consultation_id"]
                    and r["plan_roles"]]
        [row] = wait_until(in_collaboration, message="the role at the desk")
        assert row["status_label"] == "多機関協働中" and row["plan_roles"][0]["task"] == "care_services"
        at_takikan.record_monitoring({"case_id": case["case_id"], "caseworker_id": "tk-1",
                                      "monitored_on": today_in_japan().isoformat(),
                                      "situation_changed": False})
        meeting(rpc, takikan, case["case_id"], "closure",
                goals_met="met", follow_up_needed=False)
        at_takikan.close_case({"case_id": case["case_id"], "caseworker_id": "tk-1"})
        wait_until(lambda: not at_desk.open_consultations(HOKATSU["agency_id"])["in_collaboration"],
                   message="the hand-back at the desk")
        [lead] = at_desk.open_consultations(HOKATSU["agency_id"])["awaiting_intake"]
        assert lead["kind"] == "hand_back"
