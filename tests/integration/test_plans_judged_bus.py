"""プランの適切性の協議 over the real RabbitMQ and PostgreSQL (issue 19; seed 001 §1(5)イ(イ)①):
a directory applying Komae's profile (whose 重層的支援会議 judges outreach and participation
plans), a 多機関協働, an outreach and a participation instance, each its own process.

An outreach plan of a consenting household is proposed to 多機関協働 and is not in force; the
meeting sends it back with a reason, the worker revises it, the meeting approves the revision,
and only then is it in force at outreach. A participation plan is proposed likewise and the
person can be registered for work experience only once the meeting approved it.
"""
from datetime import timedelta
from uuid import uuid4

import pytest

from participation.domain.rules import PlanRuleViolation

from tests.outreach_helpers import meet_and_consent, take_lead, today_in_japan
from tests.servers import wait_until

pytestmark = pytest.mark.integration

KOMAYELL = {"agency_id": "komae-komayell", "name": "こまYELL"}


def judge(rpc, takikan: str, judgement: str, **more) -> None:
    [proposal] = wait_until(lambda: rpc[takikan].plan_proposals({})["proposals"],
                            message="the plan proposed to 多機関協働")
    rpc[takikan].hold_multi_layered_meeting({
        "held_on": today_in_japan().isoformat(), "caseworker_id": "tk-1",
        "attendees": [{"organisation": "pj-city", "role": "host"}, {"organisation": "pj-shakyo", "role": "outreach"}],
        "plan_judgements": [{"proposal_id": proposal["proposal_id"], "judgement": judgement, **more}]})


def plan_at(rpc, csw: str, case_id: str, status: str) -> dict | None:
    plan = rpc[csw].case_record(case_id)["plan"]
    return plan if plan and plan["status"] == status else None


def test_komaes_outreach_and_participation_plans_are_in_force_only_once_a_meeting_approved_them(platform, unique):
    directory = platform.instance("directory", f"pj-dir-{unique}", organisation="狛江市")
    takikan = platform.instance("collaboration", f"pj-takikan-{unique}", organisation="pj-city")
    csw = platform.instance("outreach", f"pj-csw-{unique}", organisation="pj-shakyo")
    sanka = platform.instance("participation", f"pj-sanka-{unique}", organisation="pj-shakyo")
    platform.start(directory, kasane_profile_paths="1")
    lines = (takikan, csw, sanka)
    platform.start(*lines, kasane_collaboration_instance=takikan.settings.instance)
    t, c, s = (d.settings.instance for d in lines)
    try:
        with platform.rpc() as rpc:
            rpc[directory.settings.instance].apply_profile({"profile": "komae"})
            for instance in (t, c, s):
                wait_until(lambda i=instance: [x for x in rpc[i].directory_cities() if x["complete"]],
                           timeout=60, message="Komae's directory in each copy")
            household_id = str(uuid4())
            lead = take_lead(rpc, c, household_id, "見本 一郎")
            meet_and_consent(rpc, c, lead, purposes=["collaboration"])
            wait_until(lambda: rpc[t].household_consent(household_id)["allows_collaboration"],
                       message="多機関協働 learning the consent")
            today = today_in_japan()
            made = rpc[c].make_plan({"case_id": lead["case_id"], "made_on": today.isoformat(), "worker_id": "csw-03",
                                     "goals": ["週に一度は外出する"], "review_dates": [(today + timedelta(90)).isoformat()]})
            assert made["status"] == "proposed"
            judge(rpc, t, "sent_back", reasons=["goals_unclear"], comment="本人の希望を目標に")
            sent_back = wait_until(lambda: plan_at(rpc, c, lead["case_id"], "sent_back"), message="sent back")
            assert sent_back["in_force_revision"] is None and sent_back["judgements"][0]["reasons"] == ["goals_unclear"]
            rpc[c].revise_plan({"plan_id": made["plan_id"], "revised_on": today.isoformat(), "worker_id": "csw-03",
                                "goals": ["月に一度、釣りに一緒に行く"], "review_dates": [(today + timedelta(60)).isoformat()]})
            judge(rpc, t, "approved")
            in_force = wait_until(lambda: plan_at(rpc, c, lead["case_id"], "in_force"), message="approved")
            assert in_force["in_force_revision"] == 2

            support = rpc[s].receive_request({
                "household_id": household_id, "caseworker_id": "sw-9", "agency": KOMAYELL,
                "consent": {"given_by": "self", "method": "written", "given_at": "2026-06-01T01:00:00Z"},
                "persons": [{"person_id": lead["person_ids"][0], "name": "見本 一郎"}]})
            support_id = support["support_id"]
            rpc[s].assess_needs({"support_id": support_id, "assessed_on": today.isoformat(), "caseworker_id": "sw-1",
                                 "needs": {"wished_offers": ["work_experience"]}})
            rpc[s].make_plan({"support_id": support_id, "made_on": today.isoformat(), "caseworker_id": "sw-1",
                              "goals": ["週1回、農園の作業に参加する"], "review_dates": [(today + timedelta(30)).isoformat()]})
            register = {"support_id": support_id, "registered_on": today.isoformat(), "caseworker_id": "sw-1"}
            with pytest.raises(PlanRuleViolation):
                rpc[s].register_work_experience(register)
            judge(rpc, t, "approved")
            wait_until(lambda: rpc[s].get_support(support_id)["plan"]["status"] == "in_force", message="approved")
            assert rpc[s].register_work_experience(register)["registered_on"] == today.isoformat()
    finally:
        platform.stop(directory, *lines)
