"""アウトリーチ over the real RabbitMQ and PostgreSQL: two outreach instances (a 社協 CSW and a
医師会, seed 000 §5), collaboration and a consultation desk, each its own process and database.

- a collaboration role request addressed to one of two outreach instances reaches only that one;
- consent obtained in outreach lets the consultation desk open an intake from the connection;
- without consent covering the desk, the desk receives nothing, and no personal detail of the
  person leaves the outreach instance at all.
"""
import json
from uuid import uuid4

import pytest


from tests.bus_helpers import consent_envelope, inbox_rows, publish_envelope, referral_envelope, take, tap
from tests.outreach_helpers import decision_for, ise_agencies, leads_of as leads_today
from tests.referral_helpers import meeting
from tests.servers import wait_until
from outreach.domain.rules import CaseClosed, ConsentRequired

pytestmark = pytest.mark.integration

JIRITSU, SHAKYO, ISHIKAI = ise_agencies("or")


class Net:
    def __init__(self, csw, ishikai, takikan, jiritsu):
        self.csw, self.ishikai, self.takikan, self.jiritsu = csw, ishikai, takikan, jiritsu

    def name(self, deployed) -> str:
        return deployed.settings.instance


@pytest.fixture(scope="module")
def net(platform):
    csw = platform.instance("outreach", "or-csw", organisation="org-shakyo", agencies=(SHAKYO,))
    ishikai = platform.instance("outreach", "or-ishikai", organisation="org-ishikai", agencies=(ISHIKAI,))
    takikan = platform.instance("collaboration", "or-takikan", organisation="org-takikan")
    jiritsu = platform.instance("consultation", "or-jiritsu", organisation="org-jiritsu", agencies=(JIRITSU,))
    deployed = (csw, ishikai, takikan, jiritsu)
    platform.start(*deployed)
    yield Net(*deployed)
    platform.stop(*deployed)


def role(organisation: str, agency: dict, instance: str, note: str) -> dict:
    return {"service": "outreach", "task": "outreach_visits", "organisation": organisation,
            "agency": agency, "instance": instance, "starts_on": "2026-07-01", "description": note}


def leads_of(rpc, instance: str, household_id: str) -> list:
    return [row for row in rpc[instance].open_leads({"today": "2026-07-01"})["leads"]
            if row["household_id"] == household_id]


def test_a_role_request_addressed_to_one_of_two_outreach_instances_reaches_only_that_one(platform, net):
    takikan, csw, ishikai = net.name(net.takikan), net.name(net.csw), net.name(net.ishikai)
    desk = f"or-desk-{uuid4().hex[:6]}"
    referral = referral_envelope(desk, position=2)
    household_id = referral["household_id"]
    publish_envelope(platform.broker, consent_envelope(desk, household_id, ("collaboration", "outreach")))
    publish_envelope(platform.broker, referral)
    with platform.rpc() as rpc:
        case = wait_until(lambda: rpc[takikan].open_case_of(household_id), message="the case")
        rpc[takikan].draft_plan({
            "case_id": case["case_id"], "drafted_on": "2026-06-10", "caseworker_id": "tk-1",
            "household_goal": "長男が週に一度は外出する",
            "roles": [role("org-shakyo", SHAKYO, csw, "月2回の訪問")],
            "monitoring_dates": ["2026-08-31"]})
        rpc[takikan].hold_multi_layered_meeting(meeting(case["case_id"], "plan_appropriate"))
        [lead] = wait_until(lambda: leads_of(rpc, csw, household_id), message="the lead at the CSW")
        assert lead["source"] == "collaboration_role" and lead["stage_label"] == "把握"
        record = rpc[csw].case_record(lead["case_id"])
        assert record["lead"]["collaboration_case_id"] == case["case_id"]
        assert record["lead"]["agency"] == SHAKYO and record["lead"]["origin_instance"] == takikan
        # The 医師会's instance got nothing: no lead, and no inbox entry from collaboration but
        # the later decision addressed to it (the barrier).
        barrier = str(uuid4())
        decision_for(rpc, takikan, "org-takikan", {"organisation": "org-ishikai", "instance": ishikai}, barrier)
        wait_until(lambda: leads_today(rpc, ishikai, barrier), message="the later decision at the 医師会")
        assert leads_of(rpc, ishikai, household_id) == []
    assert len(inbox_rows(net.csw, takikan)) == 1
    assert len(inbox_rows(net.ishikai, takikan)) == 1


def take_lead(rpc, instance: str, household_id: str, unique: str) -> dict:
    return rpc[instance].take_lead({
        "source": "minsei_iin", "noticed_on": "2026-05-01", "worker_id": "csw-03",
        "household_id": household_id,
        "persons": [{"name": f"見本 次郎{unique}", "kana": "ミホン ジロウ", "relation": "self"}],
        "address": f"伊勢市 見本町{unique}", "description": "雨戸が閉まったまま"})


def meet_and_consent(rpc, instance: str, lead: dict, organisations: list) -> dict:
    rpc[instance].record_contact({"case_id": lead["case_id"], "contacted_on": "2026-05-10",
                                  "mode": "direct", "with_whom": "self", "outcome": "talked",
                                  "worker_id": "csw-03", "note": "玄関先で話せた"})
    return rpc[instance].record_consent({
        "case_id": lead["case_id"], "person_id": lead["person_ids"][0], "given_by": "self",
        "method": "written", "organisations": organisations, "purposes": [],
        "given_at": "2026-05-20T10:00:00+09:00", "worker_id": "csw-03"})


def connect(rpc, net, lead: dict, summary: str) -> dict:
    return rpc[net.name(net.csw)].connect_to_consultation({
        "case_id": lead["case_id"], "issue_categories": ["hikikomori"], "worker_id": "csw-03",
        "summary": summary,
        "to": {"instance": net.name(net.jiritsu), "organisation": "org-jiritsu", "agency": JIRITSU}})


def awaiting(rpc, net, household_id: str) -> list:
    leads = rpc[net.name(net.jiritsu)].open_consultations(JIRITSU["agency_id"])["awaiting_intake"]
    return [lead for lead in leads if lead["household_id"] == household_id]


def test_consent_obtained_in_outreach_lets_the_desk_open_an_intake(platform, net):
    csw, household_id, unique = net.name(net.csw), str(uuid4()), uuid4().hex[:6]
    with platform.rpc() as rpc:
        lead = take_lead(rpc, csw, household_id, unique)
        assert meet_and_consent(rpc, csw, lead, ["org-jiritsu"])["stage"] == "consent_obtained"
        assert connect(rpc, net, lead, f"訪問5回目で同意-{unique}")["stage"] == "connected"
        [arrived] = wait_until(lambda: awaiting(rpc, net, household_id), message="the outreach lead")
        assert arrived["kind"] == "outreach"
        assert arrived["personal"]["summary"] == f"訪問5回目で同意-{unique}"
        assert arrived["personal"]["persons"][0]["name"] == f"見本 次郎{unique}"
        taken = rpc[net.name(net.jiritsu)].receive_consultation({
            "lead_id": arrived["lead_id"], "agency": JIRITSU, "received_at": "2026-05-21T10:00:00+09:00",
            "channel": "home_visit", "consulted_by": "agency", "caseworker_id": "sw-02"})
        assert taken["household_id"] == household_id
        assert rpc[net.name(net.jiritsu)].get_consultation(taken["consultation_id"])["source"]["kind"] == "outreach"
        # つながり続ける支援: a visit after つなぎ is recorded, then the case is closed with a reason
        visit = rpc[csw].record_contact({"case_id": lead["case_id"], "contacted_on": "2026-06-15",
                                         "mode": "direct", "with_whom": "self", "outcome": "talked",
                                         "worker_id": "csw-03", "note": "窓口に通えている"})
        assert visit["stage"] == "connected"
        assert [r["stage"] for r in leads_of(rpc, csw, household_id)] == ["connected"]
        closed = rpc[csw].close_case({"case_id": lead["case_id"], "reason": "handed_to_agency_watch_ended",
                                      "closed_on": "2026-06-30", "worker_id": "csw-03"})
        assert closed["closed"] is True and leads_of(rpc, csw, household_id) == []
        with pytest.raises(CaseClosed):
            rpc[csw].record_contact({"case_id": lead["case_id"], "contacted_on": "2026-07-01",
                                     "mode": "direct", "with_whom": "self", "outcome": "talked",
                                     "worker_id": "csw-03"})


def test_without_consent_covering_the_desk_it_receives_no_personal_detail(platform, net):
    csw, household_id, unique = net.name(net.csw), str(uuid4()), uuid4().hex[:6]
    wire = tap(platform, f"or-wire-{unique}")
    before = inbox_rows(net.jiritsu, csw)
    with platform.rpc() as rpc:
        lead = take_lead(rpc, csw, household_id, unique)
        meet_and_consent(rpc, csw, lead, ["org-hospital"])  # consent names another organisation
        with pytest.raises(ConsentRequired):
            connect(rpc, net, lead, f"同意なしのメモ-{unique}")
        # What did leave: the pseudonymous consent, broadcast, with no personal part.
        heard = wait_until(lambda: [e for e in take(platform, wire)
                                    if e["origin"]["instance"] == csw and e["household_id"] == household_id],
                           message="the consent obtained on the wire")
        assert [e["type"] for e in heard] == ["outreach.consent_obtained"]
        assert "personal" not in heard[0]["payload"] and "recipient" not in heard[0]
        assert unique not in json.dumps(heard, ensure_ascii=False)  # no name, address or note
        assert awaiting(rpc, net, household_id) == []
        assert rpc[csw].case_record(lead["case_id"])["stage"] == "consent_obtained"
        # A later connection the consent does cover: once the desk has it, a (wrongly) published
        # earlier one would have arrived too (the barrier).
        barrier_household = str(uuid4())
        barrier = take_lead(rpc, csw, barrier_household, f"{unique}b")
        meet_and_consent(rpc, csw, barrier, ["org-jiritsu"])
        connect(rpc, net, barrier, "後の同意")
        wait_until(lambda: awaiting(rpc, net, barrier_household), message="the later connection at the desk")
        assert awaiting(rpc, net, household_id) == []
    assert len(inbox_rows(net.jiritsu, csw)) == len(before) + 1
