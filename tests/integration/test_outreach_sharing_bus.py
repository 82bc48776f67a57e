"""アウトリーチ's sharing over the real RabbitMQ and PostgreSQL (issue 8): a consultation desk,
collaboration and two outreach instances (社協 CSW and 医師会), each its own process.

- a desk's outreach request reaches only the addressed outreach instance, and carries the
  person's details only when the household's consent covers that outreach organisation;
- a consenting person handed over to 多機関協働 opens a case there; the consent's withdrawal in
  outreach reaches collaboration, which then refuses to discuss the household at a 重層的支援会議
  (so no role request with the person's details can follow).
"""
import json
from datetime import datetime, timezone
from uuid import uuid4

import pytest

from collaboration.domain.rules import ConsentRequired

from tests.bus_helpers import inbox_rows, take, tap
from tests.outreach_helpers import (about, decision_for, ise_agencies, leads_of, meet_and_consent,
                                    network_fixture, take_lead, today_in_japan)
from tests.servers import wait_until
from tests.referral_helpers import meeting

pytestmark = pytest.mark.integration

JIRITSU, SHAKYO, ISHIKAI = ise_agencies("os")


net = network_fixture("os", desk=True)


def consultation(rpc, name: str, consent_organisations: list | None) -> dict:
    taken = rpc["os-jiritsu"].receive_consultation({
        "persons": [{"name": name, "kana": "ミホン ゴロウ", "birth_date": "1975-04-01", "relation": "self"}],
        "agency": JIRITSU, "received_at": datetime.now(timezone.utc).isoformat(), "channel": "phone",
        "consulted_by": "family", "summary": f"母から：{name}が10年家から出ない",
        "issue_categories": ["hikikomori"], "urgency": "normal", "caseworker_id": "sw-02",
        "new_household": True})
    if consent_organisations:
        rpc["os-jiritsu"].record_consent({
            "household_id": taken["household_id"], "person_id": taken["person_ids"][0],
            "given_by": "self", "organisations": consent_organisations, "method": "written",
            "caseworker_id": "sw-02", "agency": JIRITSU})
    return taken


def request_outreach(rpc, taken: dict, to: dict | None = None) -> dict:
    return rpc["os-jiritsu"].request_outreach({
        "consultation_id": taken["consultation_id"], "to": to or {"instance": "os-csw", "organisation": "os-shakyo"},
        "noticed": ["hikikomori", "isolation"], "area": "中部地区", "caseworker_id": "sw-02"})


def test_a_desks_request_reaches_only_the_addressed_outreach_and_is_personal_only_under_consent(platform, net):
    unique = uuid4().hex[:6]
    wire = tap(platform, f"os-wire-{unique}")
    named, unnamed = f"見本 五郎{unique}", f"見本 六郎{unique}"
    with platform.rpc() as rpc:
        consented = consultation(rpc, named, ["os-shakyo"])
        not_consented = consultation(rpc, unnamed, None)
        assert len(request_outreach(rpc, consented)["shared_person_ids"]) == 1
        assert request_outreach(rpc, not_consented)["shared_person_ids"] == []
        [with_person] = wait_until(lambda: leads_of(rpc, "os-csw", consented["household_id"]), message="lead 1")
        [pseudonymous] = wait_until(lambda: leads_of(rpc, "os-csw", not_consented["household_id"]), message="lead 2")
        assert with_person["source"] == pseudonymous["source"] == "consultation_agency"
        record = rpc["os-csw"].case_record(with_person["case_id"])
        assert record["personal"]["persons"][0]["name"] == named
        bare = rpc["os-csw"].case_record(pseudonymous["case_id"])
        assert [p.get("name") for p in bare["personal"]["persons"]] == [None]
        assert bare["lead"]["noticed"] == ["hikikomori", "isolation"] and bare["lead"]["area"] == "中部地区"
        # The 医師会's instance got nothing but the later request addressed to it (the barrier).
        barrier = consultation(rpc, f"見本 九郎{unique}", None)
        request_outreach(rpc, barrier, to={"instance": "os-ishikai", "organisation": "os-ishikai"})
        wait_until(lambda: leads_of(rpc, "os-ishikai", barrier["household_id"]),
                   message="the later request at the 医師会")
        for household in (consented, not_consented):
            assert leads_of(rpc, "os-ishikai", household["household_id"]) == []
    assert len(inbox_rows(net["ishikai"], "os-jiritsu")) == 1
    heard = take(platform, wire)
    [sent] = about(heard, not_consented["household_id"], "consultation.outreach_requested")
    assert sent["recipient"] == {"instance": "os-csw"} and "personal" not in sent["payload"]
    assert unnamed not in json.dumps(heard, ensure_ascii=False)  # the name never left the desk


def test_consent_withdrawn_in_outreach_stops_collaboration_sharing(platform, net):
    household_id, unique = str(uuid4()), uuid4().hex[:6]
    wire = tap(platform, f"os-wire2-{unique}")
    with platform.rpc() as rpc:
        lead = take_lead(rpc, "os-csw", household_id, f"見本 四郎{unique}")
        consent = meet_and_consent(rpc, "os-csw", lead, purposes=["collaboration"])
        handed = rpc["os-csw"].hand_over({
            "case_id": lead["case_id"], "to_service": "collaboration",
            "to": {"instance": "os-takikan", "organisation": "os-city"},
            "issue_categories": ["hikikomori"], "worker_id": "csw-03", "summary": "多機関協働に同意"})
        assert handed["basis"] == "consent"
        case = wait_until(lambda: rpc["os-takikan"].open_case_of(household_id), message="the case")
        rows = [r for r in rpc["os-takikan"].open_cases()["cases"] if r["household_id"] == household_id]
        assert rows and rows[0]["referring_agencies"] == [SHAKYO["name"]]  # caseworkers see it
        wait_until(lambda: rpc["os-takikan"].household_consent(household_id)["allows_collaboration"],
                   message="collaboration learning the outreach consent")
        rpc["os-csw"].withdraw_consent({"case_id": lead["case_id"], "consent_id": consent["consent_id"],
                                        "worker_id": "csw-03"})
        wait_until(lambda: not rpc["os-takikan"].household_consent(household_id)["allows_collaboration"],
                   message="collaboration learning the withdrawal")
        rpc["os-takikan"].draft_plan({
            "case_id": case["case_id"], "drafted_on": today_in_japan().isoformat(), "caseworker_id": "tk-1",
            "household_goal": "週に一度は外出する",
            "roles": [{"service": "outreach", "task": "outreach_visits", "organisation": "os-ishikai",
                       "agency": ISHIKAI, "instance": "os-ishikai", "starts_on": "2027-01-01"}],
            "monitoring_dates": ["2027-03-31"]})
        with pytest.raises(ConsentRequired):
            rpc["os-takikan"].hold_multi_layered_meeting(
                meeting(case["case_id"], "plan_appropriate", host="os-city", held_on=today_in_japan().isoformat()))
        barrier = str(uuid4())  # a later message from collaboration that the 医師会 does consume
        decision_for(rpc, "os-takikan", "os-city", {"organisation": "os-ishikai", "instance": "os-ishikai"}, barrier)
        wait_until(lambda: leads_of(rpc, "os-ishikai", barrier), message="the later decision at the 医師会")
        assert leads_of(rpc, "os-ishikai", household_id) == []
    heard = about(take(platform, wire), household_id)
    withdrawn = [e for e in heard if e["type"] == "outreach.consent_withdrawn"]
    assert len(withdrawn) == 1 and "recipient" not in withdrawn[0] and "personal" not in withdrawn[0]["payload"]
    assert [e for e in heard if e["type"] == "collaboration.role_requested"] == []
