"""本人同意 reaches a contractor or it does not (issue 7): 多機関協働 and an outreach contractor
(the 医師会) each run with nothing but their own organisation's RabbitMQ user. A plan role sent to
the contractor carries the person's details only for a household whose consent covers outreach;
for a household whose consent does not, the contractor's instance receives the request (it must
act) but not one personal detail. (That the contractor's user can bind no other queue or key is
proven in test_bus_access.py.)"""
import json
from uuid import uuid4

import pytest

from kasane.bus.access import OrganisationAccess
from kasane.bus.organisations import admit

from tests.bus_helpers import consent_envelope, publish_envelope, referral_envelope
from tests.servers import wait_until
from tests.outreach_helpers import leads_of
from tests.referral_helpers import meeting

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def contractors(platform):
    takikan = platform.instance("collaboration", "scope-takikan", organisation="org-scope-city")
    ishikai = platform.instance("outreach", "scope-ishikai", organisation="org-scope-ishikai",
                                agencies=({"agency_id": "scope-ishikai", "name": "在宅医療・介護連携支援センター"},))
    for deployed in (takikan, ishikai):
        creds = admit(platform.broker, OrganisationAccess(deployed.settings.organisation,
                                                          (deployed.settings.instance,)))
        platform.start(deployed, kasane_amqp_user=creds["user"], kasane_amqp_password=creds["password"])
    yield takikan, ishikai
    platform.stop(ishikai, takikan)


def role_for(platform, rpc, takikan: str, ishikai: str, purposes: list, marker: str) -> dict:
    desk = f"scope-desk-{uuid4().hex[:6]}"
    referral = referral_envelope(desk, position=2)
    household_id = referral["household_id"]
    publish_envelope(platform.broker, consent_envelope(desk, household_id, purposes))
    publish_envelope(platform.broker, referral)
    case = wait_until(lambda: rpc[takikan].open_case_of(household_id), message="the case")
    rpc[takikan].draft_plan({
        "case_id": case["case_id"], "drafted_on": "2026-06-10", "caseworker_id": "tk-1",
        "household_goal": f"長男が週に一度は外出する{marker}",
        "roles": [{"service": "outreach", "task": "outreach_visits", "organisation": "org-scope-ishikai",
                   "agency": {"agency_id": "scope-ishikai", "name": "在宅医療・介護連携支援センター"},
                   "instance": ishikai, "starts_on": "2026-07-01", "description": f"訪問診療の調整{marker}"}],
        "monitoring_dates": ["2026-08-31"]})
    rpc[takikan].hold_multi_layered_meeting(meeting(case["case_id"], "plan_appropriate", host="org-scope-city"))
    [lead] = wait_until(lambda: leads_of(rpc, ishikai, household_id), message="the role request at the 医師会")
    return rpc[ishikai].case_record(lead["case_id"])


def test_a_contractor_receives_the_persons_details_only_where_the_consent_reaches_it(platform, contractors):
    takikan, ishikai = (d.settings.instance for d in contractors)
    outside, inside = f"同意外-{uuid4().hex[:6]}", f"同意内-{uuid4().hex[:6]}"
    with platform.rpc() as rpc:
        without = role_for(platform, rpc, takikan, ishikai, ["collaboration"], outside)
        with_consent = role_for(platform, rpc, takikan, ishikai, ["collaboration", "outreach"], inside)
    assert without["lead"]["collaboration_case_id"]  # the request arrived: the contractor must act
    assert outside not in json.dumps(without, ensure_ascii=False)
    assert inside in json.dumps(with_consent, ensure_ascii=False)  # the same path carries them under consent
