"""多機関協働 end to end: consultation (its own process) records consent and refers the household;
collaboration (its own process) opens the case, the plan comes into force at a 重層的支援会議, the
closure is judged there, and the household is handed back to the referring desk, which finds it
awaiting intake (受付待ち) with the plan's summary."""
import pytest

from tests.samples import AGENCY
from tests.servers import running_instances, wait_until

pytestmark = pytest.mark.e2e


pair = running_instances(("consultation", "hb-desk"), ("collaboration", "hb-takikan"))


def test_closure_hands_the_household_back_to_the_consultation_desk_that_referred_it(platform, pair, intake):
    desk, takikan = (deployed.settings.instance for deployed in pair)
    with platform.rpc() as rpc:
        received = rpc[desk].receive_consultation(intake())
        household = received["household_id"]
        for person_id in received["person_ids"]:
            rpc[desk].record_consent({
                "household_id": household, "person_id": person_id, "given_by": "self",
                "purposes": ["collaboration", "connection"], "method": "written",
                "caseworker_id": "sw-01", "agency": AGENCY})
        rpc[desk].refer_to_collaboration({"consultation_id": received["consultation_id"],
                                          "caseworker_id": "sw-01", "reasons": ["compound_issues"]})
        case = wait_until(lambda: rpc[takikan].open_case_of(household), message="the case")
        rpc[takikan].draft_plan({
            "case_id": case["case_id"], "drafted_on": "2026-06-10", "caseworker_id": "tk-1",
            "household_goal": "母の介護負担を減らす", "monitoring_dates": ["2026-08-31"],
            "roles": [{"service": "consultation", "task": "care_services", "organisation": "org-hb-desk",
                       "agency": AGENCY, "starts_on": "2026-07-01"}]})
        attendees = [{"organisation": "org-hb-takikan", "role": "host"},
                     {"organisation": "org-hb-desk", "role": "consultation"}]
        # The consent reaches collaboration over the bus too: wait until the meeting may be held.
        wait_until(lambda: _meeting_allowed(rpc, takikan, case["case_id"], attendees),
                   message="the consent in collaboration")
        rpc[takikan].hold_multi_layered_meeting({
            "held_on": "2027-03-15", "caseworker_id": "tk-1", "attendees": attendees,
            "agenda": [{"case_id": case["case_id"], "decision": "closure", "goals_met": "met",
                        "follow_up_needed": True}]})
        rpc[takikan].close_case({"case_id": case["case_id"], "caseworker_id": "tk-1",
                                 "summary": "母は介護保険サービスを利用開始。"})
        lead = wait_until(lambda: _hand_back_lead(rpc, desk, case["case_id"]), message="the hand-back")
    assert lead["kind"] == "hand_back" and lead["reference"]["ending"] == "closed"
    assert lead["reference"]["consultation_id"] == received["consultation_id"]
    assert lead["personal"]["summary"] == "母は介護保険サービスを利用開始。"


def _meeting_allowed(rpc, takikan, case_id, attendees) -> bool:
    from collaboration.domain.rules import ConsentRequired
    try:
        rpc[takikan].hold_multi_layered_meeting({
            "held_on": "2026-06-20", "caseworker_id": "tk-1", "attendees": attendees,
            "agenda": [{"case_id": case_id, "decision": "plan_appropriate"}]})
        return True
    except ConsentRequired:
        return False


def _hand_back_lead(rpc, desk, case_id):
    leads = rpc[desk].open_consultations(AGENCY["agency_id"])["awaiting_intake"]
    return next((lead for lead in leads if lead["kind"] == "hand_back"
                 and lead["reference"]["case_id"] == case_id), None)
