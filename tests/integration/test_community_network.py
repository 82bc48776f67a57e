"""地域づくり事業 over the real RabbitMQ and PostgreSQL: a community instance and a consultation
instance (a 地域包括支援センター, seed 001 §10(4)), each its own process and database.

- a つなぐシート with the person's consent becomes work awaiting intake at the chosen agency's
  instance; without consent nothing of it leaves — until the person agrees and it is sent;
- a 地域課題シート is broadcast, without personal part, on the key 多機関協働 binds to receive it;
- a 社会資源の不足 from collaboration becomes a development target;
- visitor counts roll into the fiscal-year report.
"""
import json
from datetime import datetime, timezone
from uuid import uuid4

import pytest
from kombu import Connection, Queue, binding

from kasane.bus.envelope import event_id_for
from kasane.bus.topology import binding_key, declare_exchanges, events_exchange
from kasane.errors import InvalidCommand

from tests.bus_helpers import publish_envelope
from community.domain.rules import ConsentRequired
from tests.servers import wait_until

pytestmark = pytest.mark.integration

HOKATSU = {"agency_id": "cm-hokatsu-1", "name": "狛江第1地域包括支援センター"}
CONSENT = {"given_by": "self", "method": "written", "given_at": "2026-07-01T10:00:00+09:00"}
PERSON = {"name": "見本 タロウ", "kana": "ミホン タロウ", "birth_date": "1950-03-04"}
TAP = "cm-area-issue-tap"


@pytest.fixture(scope="module")
def net(platform):
    desk = platform.instance("consultation", "cm-hokatsu", organisation="org-hokatsu", agencies=(HOKATSU,))
    chiiki = platform.instance("community", "cm-chiiki", organisation="org-shakyo")
    with Connection(platform.broker.amqp_uri) as connection:
        # Where 多機関協働 would receive area issues from: the broadcast key (not consumed yet).
        channel = connection.channel()
        declare_exchanges(channel)
        Queue(TAP, durable=False, bindings=[binding(
            events_exchange, routing_key=binding_key("community.area_issue_recorded", 1))])(channel).declare()
    platform.start(desk, chiiki)
    yield {"desk": desk.settings.instance, "chiiki": chiiki.settings.instance}
    platform.stop(chiiki, desk)


def write_sheet(rpc, net, summary: str | None, **extra) -> dict:
    """A sheet at a new place; `summary` None: written without consent, facts only."""
    place_id = rpc[net["chiiki"]].register_place({
        "kind": "salon", "name": "いちょうサロン", "area": "第1圏域", "operator": "狛江市社会福祉協議会"})["place_id"]
    personal = {"persons": [PERSON], "summary": summary} if summary else None
    return rpc[net["chiiki"]].write_tsunagu_sheet({
        "place_id": place_id, "liaison_id": "liaison-07", "issue_categories": ["isolation"],
        "personal": personal, **extra})


def leads_of(rpc, net, sheet_id: str) -> list:
    leads = rpc[net["desk"]].open_consultations(HOKATSU["agency_id"])["awaiting_intake"]
    return [lead for lead in leads if lead["reference"].get("sheet_id") == sheet_id]


def test_a_sheet_with_consent_becomes_an_incoming_consultation_and_without_consent_it_does_not(platform, net):
    to = {"agency": HOKATSU, "instance": net["desk"]}
    with platform.rpc() as rpc:
        kept = write_sheet(rpc, net, None)
        assert (kept["area"], rpc[net["chiiki"]].get_tsunagu_sheet(kept["sheet_id"])["personal"]) == ("第1圏域", None)
        with pytest.raises(ConsentRequired):  # no details on a sheet without consent
            write_sheet(rpc, net, "同意なし: 最近元気がない")
        sent = write_sheet(rpc, net, "サロンに来なくなった。", consent=CONSENT, to=to)
        assert (kept["status"], sent["status"]) == ("kept_without_consent", "sent")
        [lead] = wait_until(lambda: leads_of(rpc, net, sent["sheet_id"]), message="the つなぐシート lead")
        assert (lead["kind"], lead["agency"], lead["status_label"]) == ("tsunagu_sheet", HOKATSU, "受付待ち")
        assert lead["personal"]["summary"] == "サロンに来なくなった。"
        assert lead["personal"]["persons"][0]["kana"] == "ミホン タロウ"
        # The kept sheet was written first: had anything of it been sent, the relay (in log
        # order) and the desk's inbox (per origin in order) would have delivered it already.
        assert leads_of(rpc, net, kept["sheet_id"]) == []
        with pytest.raises(ConsentRequired):  # naming an agency does not make up for consent
            write_sheet(rpc, net, None, to=to)
        with pytest.raises(InvalidCommand) as caught:
            rpc[net["chiiki"]].send_tsunagu_sheet({"sheet_id": kept["sheet_id"], "consent": None, "to": to})
        assert list(caught.value.errors) == ["consent"]
        assert leads_of(rpc, net, kept["sheet_id"]) == []
        # The person agrees a week later: now, and only now, the sheet reaches the desk.
        rpc[net["chiiki"]].send_tsunagu_sheet({
            "sheet_id": kept["sheet_id"], "to": to, "consent": {**CONSENT, "given_at": "2026-07-08T10:00:00+09:00"},
            "personal": {"persons": [PERSON], "summary": "一緒に書いた: 最近元気がない"}})
        [late] = wait_until(lambda: leads_of(rpc, net, kept["sheet_id"]), message="the late lead")
        assert late["personal"]["summary"] == "一緒に書いた: 最近元気がない"


def test_an_area_issue_is_broadcast_where_collaboration_binds_without_a_personal_part(platform, net):
    with platform.rpc() as rpc:
        recorded = rpc[net["chiiki"]].record_area_issue({
            "area": "第1圏域", "committee": "福祉のまちづくり委員会（第1圏域）",
            "issue_categories": ["isolation"], "description": "団地の高齢者が集まれる場所がない",
            "raised_by": "committee_member", "raised_by_name": "見本 委員",
            "recorded_on": "2026-07-10", "recorded_by": "csw-1"})
    heard = []

    def arrived():
        with Connection(platform.broker.amqp_uri) as connection:
            channel = connection.channel()
            while (message := channel.basic_get(queue=TAP, no_ack=True)):
                heard.append(json.loads(message.body))
        return [e for e in heard if e["payload"]["sheet_id"] == recorded["sheet_id"]]
    [event] = wait_until(arrived, message="the area issue on the bus")
    assert event["household_id"] is None and "recipient" not in event
    assert event["origin"]["instance"] == net["chiiki"]
    assert event["payload"]["description"] == "団地の高齢者が集まれる場所がない"
    assert "personal" not in event["payload"] and "見本" not in json.dumps(event, ensure_ascii=False)


def test_a_shortage_found_by_collaboration_becomes_a_development_target(platform, net):
    shortage_id = str(uuid4())
    now = datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")
    publish_envelope(platform.broker, {
        "event_id": event_id_for("cm-takikan", 1), "type": "collaboration.social_resource_shortage_found",
        "version": 1, "occurred_at": now, "household_id": None,
        "origin": {"service": "collaboration", "organisation": "org-takikan", "instance": "cm-takikan"},
        "position": 1, "correlation_id": str(uuid4()), "causation_id": str(uuid4()),
        "payload": {"shortage_id": shortage_id, "meeting_id": str(uuid4()), "resource_kind": "intermediate_work",
                    "area": "第1圏域", "description": "短時間から働ける場がない", "found_on": "2026-06-30"}})
    with platform.rpc() as rpc:
        target = wait_until(lambda: rpc[net["chiiki"]].development_target_of(shortage_id),
                            message="the development target")
        assert (target["resource_kind"], target["status_label"]) == ("intermediate_work", "未着手")
        moved = rpc[net["chiiki"]].record_target_progress({
            "target_id": target["target_id"], "status": "in_progress", "on": "2026-07-15", "recorded_by": "sc-1"})
        assert moved["status_label"] == "開発中"


def test_visitor_counts_roll_into_the_fiscal_year_report(platform, net):
    with platform.rpc() as rpc:
        community = rpc[net["chiiki"]]
        place_id = community.register_place({"kind": "multigenerational_hub", "name": "多世代交流拠点こまえ苑",
                                             "area": "第2圏域", "operator": "狛江市社会福祉協議会",
                                             "capacity": 40})["place_id"]
        for on, n in (("2030-04-01", 25), ("2030-04-02", 31), ("2031-03-31", 17), ("2031-04-01", 8)):
            community.record_visitors({"place_id": place_id, "counted_on": on, "visitors": n,
                                       "recorded_by": "staff-1"})
        community.record_activity({"place_id": place_id, "group": "体操の会", "held_on": "2030-05-01",
                                   "recorded_by": "staff-1"})
        fy2030 = community.fiscal_year_counts({"fiscal_year": 2030})
        assert (fy2030["visitors"], fy2030["activities_held"]) == (73, 1)
        assert fy2030["by_place"] == [{"place_id": place_id, "visitors": 73, "activities_held": 1, "groups": 1}]
        assert community.fiscal_year_counts({"fiscal_year": 2031})["visitors"] == 8
        with pytest.raises(InvalidCommand) as caught:
            community.record_visitors({"place_id": place_id, "counted_on": "2030-04-03", "visitors": -1,
                                       "recorded_by": "staff-1"})
        assert "visitors" in caught.value.errors
