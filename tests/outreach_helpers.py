"""Helpers for issue 8's bus tests (支援会議の決定, アウトリーチの依頼, 引き継ぎ, 同意の撤回): the
commands the tests repeat (the bus tap and `take` are in bus_helpers)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

JST = timezone(timedelta(hours=9))


def ise_agencies(prefix: str) -> tuple[dict, dict, dict]:
    """伊勢's 生活サポートセンター (自立相談), 社協 CSW and 医師会, their ids under `prefix`."""
    return ({"agency_id": f"{prefix}-jiritsu", "name": "伊勢市 生活サポートセンター"},
            {"agency_id": f"{prefix}-shakyo-csw", "name": "伊勢市社会福祉協議会 CSW"},
            {"agency_id": f"{prefix}-ishikai", "name": "在宅医療・介護連携支援センター（医師会）"})


def outreach_network(platform, prefix: str, desk: bool = False) -> dict:
    """伊勢's outreach network named `prefix`: 社協 CSW and 医師会 (outreach, each its own
    organisation, their agencies as ise_agencies names them) and the city's 多機関協働; with
    `desk`, the 生活サポートセンター's consultation desk too ("jiritsu")."""
    jiritsu, shakyo, ishikai = ise_agencies(prefix)
    more = {"jiritsu": platform.instance("consultation", f"{prefix}-jiritsu", organisation=f"{prefix}-jiritsu",
                                         agencies=(jiritsu,))} if desk else {}
    return {
        "csw": platform.instance("outreach", f"{prefix}-csw", organisation=f"{prefix}-shakyo", agencies=(shakyo,)),
        "ishikai": platform.instance("outreach", f"{prefix}-ishikai", organisation=f"{prefix}-ishikai",
                                     agencies=(ishikai,)),
        "takikan": platform.instance("collaboration", f"{prefix}-takikan", organisation=f"{prefix}-city"),
        **more}


def network_fixture(prefix: str, desk: bool = False):
    """A module fixture `net`: the outreach network named `prefix` (outreach_network), running
    for the module."""
    @pytest.fixture(scope="module")
    def net(platform):
        deployed = outreach_network(platform, prefix, desk)
        with platform.running(*deployed.values()):
            yield deployed
    return net


def today_in_japan():
    return datetime.now(JST).date()


def about(events: list[dict], household_id: str, type_: str | None = None) -> list[dict]:
    return [e for e in events if e["household_id"] == household_id
            and (type_ is None or e["type"] == type_)]


def leads_of(rpc, instance: str, household_id: str) -> list:
    today = today_in_japan().isoformat()
    return [row for row in rpc[instance].open_leads({"today": today})["leads"]
            if row["household_id"] == household_id]


def awaiting(rpc, desk: str, agency_id: str, household_id: str) -> list:
    leads = rpc[desk].open_consultations(agency_id)["awaiting_intake"]
    return [lead for lead in leads if lead["household_id"] == household_id]


def take_lead(rpc, instance: str, household_id: str, name: str) -> dict:
    return rpc[instance].take_lead({
        "source": "minsei_iin", "noticed_on": today_in_japan().isoformat(), "worker_id": "csw-03",
        "household_id": household_id, "persons": [{"name": name, "relation": "self"}],
        "address": f"伊勢市 見本町 {name}", "description": "雨戸が閉まったまま"})


def meet_and_consent(rpc, instance: str, lead: dict, organisations=(), purposes=()) -> dict:
    today = today_in_japan().isoformat()
    rpc[instance].record_contact({"case_id": lead["case_id"], "contacted_on": today,
                                  "mode": "direct", "with_whom": "self", "outcome": "talked",
                                  "worker_id": "csw-03"})
    return rpc[instance].record_consent({
        "case_id": lead["case_id"], "person_id": lead["person_ids"][0], "given_by": "self",
        "method": "written", "organisations": list(organisations), "purposes": list(purposes),
        "given_at": datetime.now(timezone.utc).isoformat(), "worker_id": "csw-03"})


def outreach_requested_under_consent(rpc, desk: str, agency: dict, to: dict, person: dict, address: str,
                                     summary: str = "家から出ない") -> dict:
    """At the consultation desk `desk` (for `agency`): a new household's intake about `person` at
    `address`, the person's written consent to share with `to`'s organisation, and a request for
    outreach (ひきこもり, 中部地区) addressed to `to` ({instance, organisation}). Returns what the
    desk answered the intake (household_id, person_ids, consultation_id)."""
    taken = rpc[desk].receive_consultation({
        "persons": [person], "address": address, "agency": agency, "received_at": "2026-11-20T09:30:00+09:00",
        "channel": "phone", "consulted_by": "family", "summary": summary,
        "issue_categories": ["hikikomori"], "urgency": "normal", "caseworker_id": "sw-02",
        "new_household": True})
    rpc[desk].record_consent({
        "household_id": taken["household_id"], "person_id": taken["person_ids"][0], "given_by": "self",
        "organisations": [to["organisation"]], "method": "written", "caseworker_id": "sw-02", "agency": agency})
    rpc[desk].request_outreach({
        "consultation_id": taken["consultation_id"], "to": to,
        "noticed": ["hikikomori"], "area": "中部地区", "caseworker_id": "sw-02"})
    return taken

def decision_for(rpc, takikan: str, host: str, member: dict, household_id: str) -> None:
    """A 支援会議 decision from `takikan` addressed to the outreach instance `member`
    ({organisation, instance}), which opens a lead there: a later message from that origin that
    the member does consume. Once its lead is seen, whatever the origin published before has been
    consumed too (one relay publishes in commit order, one inbox queue keeps it): a barrier."""
    today = today_in_japan()
    rpc[takikan].hold_support_meeting({
        "held_on": today.isoformat(), "caseworker_id": "tk-1",
        "members": [{"organisation": host, "role": "host"},
                    {"organisation": member["organisation"], "role": "outreach"}],
        "household_ids": [household_id], "information_shared": "見守りの分担",
        "decisions": [{"household_id": household_id,
                       "roles": [{"organisation": member["organisation"], "role": "outreach_contact"}],
                       "sharing_allowed": True, "sharing_until": (today + timedelta(days=30)).isoformat(),
                       "recipients": [member],
                       "pass_on": {"persons": [{"name": "見本 八郎", "relation": "self"}]}}]})
