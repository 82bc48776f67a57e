"""The consultation service among the others, over the real RabbitMQ and PostgreSQL: two
consultation instances for two organisations (a 地域包括支援センター and a 基幹相談支援センター,
seed 000 §5) and collaboration, each its own process and database.

- a referral to 多機関協働 carries personal details only as far as consent covers 多機関協働;
- つなぐ reaches the other agency's instance as work awaiting intake, with what consent covers;
- a withdrawn consent stops a connection (and the withdrawal is published);
- a hand-back, a つなぐシート and an outreach lead arrive addressed and await intake.
"""
import json
from datetime import datetime, timezone
from uuid import uuid4

import pytest
from kombu import Connection, Queue, binding

from kasane.bus.envelope import event_id_for
from kasane.bus.topology import binding_key, declare_exchanges, events_exchange
from kasane.errors import InvalidCommand

from consultation.domain.rules import (ConsentRequired, HouseholdChoiceRequired, HouseholdRuleViolation,
                                       UnknownAgency)

from tests.bus_helpers import admin_sql, opened, publish
from tests.samples import make_intake
from tests.servers import wait_until

pytestmark = pytest.mark.integration

HOKATSU = {"agency_id": "cn-hokatsu-tokiwadaira", "name": "常盤平高齢者いきいき安心センター"}
KIKAN = {"agency_id": "cn-kikan-tokiwadaira", "name": "常盤平基幹相談支援センター ふれあい"}
LISTENED = [("consultation.household_referred", 1), ("consultation.consent_recorded", 1),
            ("consultation.consent_withdrawn", 1), ("consultation.connected_to_agency", 1)]


class Net:
    def __init__(self, platform, hokatsu, kikan, takikan, listener):
        self.platform, self.hokatsu, self.kikan, self.takikan = platform, hokatsu, kikan, takikan
        self.listener = listener
        self.heard: list[dict] = []

    @property
    def desk(self):
        return self.hokatsu.settings.instance

    def heard_where(self, predicate, timeout=30):
        """Wait for a broadcast event the listener queue received that matches."""
        def look():
            with Connection(self.platform.broker.amqp_uri) as connection:
                channel = connection.channel()
                while (message := channel.basic_get(queue=self.listener, no_ack=True)):
                    self.heard.append(json.loads(message.body))
            return [e for e in self.heard if predicate(e)]
        return wait_until(look, timeout=timeout, message="the published event")


BYSTANDER = "cn-bystander"


@pytest.fixture(scope="module")
def net(platform):
    hokatsu = platform.instance("consultation", "cn-hokatsu", organisation="org-hokatsu", agencies=(HOKATSU,))
    kikan = platform.instance("consultation", "cn-kikan", organisation="org-kikan", agencies=(KIKAN,))
    takikan = platform.instance("collaboration", "cn-takikan", organisation="org-takikan")
    listener = "cn-listener"
    with Connection(platform.broker.amqp_uri) as connection:  # a bystander's queue, to see the wire
        channel = connection.channel()
        declare_exchanges(channel)
        # The tap also hears referrals addressed to collaboration (the city's auditors may).
        Queue(listener, durable=False, bindings=[binding(events_exchange, routing_key=binding_key(*t))
                                                 for t in LISTENED] + [binding(
            events_exchange, routing_key=binding_key("consultation.household_referred", 1,
                                                     takikan.settings.instance))])(channel).declare()
        # Another organisation's queue, bound to what it may bind: broadcast referrals.
        Queue(BYSTANDER, durable=False, bindings=[binding(
            events_exchange, routing_key=binding_key("consultation.household_referred", 1))])(channel).declare()
    platform.start(hokatsu, kasane_collaboration_instance=takikan.settings.instance)
    platform.start(kikan, takikan)
    yield Net(platform, hokatsu, kikan, takikan, listener)
    platform.stop(hokatsu, kikan, takikan)


def receive(rpc, net, **overrides) -> dict:
    return rpc[net.desk].receive_consultation(make_intake(agency=HOKATSU, new_household=True, **overrides))


def consent(rpc, net, received, person=0, **scope) -> str:
    return rpc[net.desk].record_consent({
        "household_id": received["household_id"], "person_id": received["person_ids"][person],
        "given_by": "self", "method": "written", "caseworker_id": "sw-01", "agency": HOKATSU,
        "given_at": "2026-11-19T09:00:00+09:00", **scope})["consent_id"]


def connect(rpc, net, received):
    return rpc[net.desk].connect_to_agency({
        "consultation_id": received["consultation_id"], "caseworker_id": "sw-01",
        "note": "長男の支援を基幹へ",
        "to": {"instance": net.kikan.settings.instance, "organisation": "org-kikan", **KIKAN}})


def awaiting_at_kikan(rpc, net, household_id):
    leads = rpc[net.kikan.settings.instance].open_consultations(KIKAN["agency_id"])["awaiting_intake"]
    return [lead for lead in leads if lead["household_id"] == household_id]


def test_a_referral_carries_personal_details_only_as_far_as_consent_covers_collaboration(platform, net):
    with platform.rpc() as rpc:
        consented = receive(rpc, net)
        consent(rpc, net, consented, purposes=["collaboration"])  # the mother only
        bare = receive(rpc, net)
        for received in (consented, bare):
            rpc[net.desk].refer_to_collaboration({"consultation_id": received["consultation_id"],
                                                  "caseworker_id": "sw-01", "note": "長男は未同意",
                                                  "reasons": ["compound_issues"]})
            case = wait_until(lambda received=received: rpc[net.takikan.settings.instance].open_case_of(received["household_id"]),
                              message="the case in collaboration")
            assert case["referring_agency"] == HOKATSU
    [with_consent] = net.heard_where(lambda e: e["type"] == "consultation.household_referred"
                                     and e["household_id"] == consented["household_id"])
    [without] = net.heard_where(lambda e: e["type"] == "consultation.household_referred"
                                and e["household_id"] == bare["household_id"])
    # On the wire the personal part is sealed; the tap reads it as collaboration would.
    assert "ミホン ハナ" not in json.dumps(with_consent, ensure_ascii=False)
    with_consent = opened(with_consent, net.takikan.settings.instance)
    personal = with_consent["payload"]["personal"]
    assert [p["person_id"] for p in personal["persons"]] == [consented["person_ids"][0]]
    assert personal["persons"][0]["kana"] == "ミホン ハナ"
    assert "summary" not in personal and "note" not in personal  # the son has not consented
    assert "personal" not in without["payload"]
    assert "ミホン イチロウ" not in json.dumps(with_consent, ensure_ascii=False)
    assert with_consent["recipient"] == {"instance": net.takikan.settings.instance}
    with Connection(platform.broker.amqp_uri) as connection:  # nothing personal reached the bystander
        channel = connection.channel()
        while (message := channel.basic_get(queue=BYSTANDER, no_ack=True)):
            assert "personal" not in json.loads(message.body)["payload"]


def test_a_connection_reaches_the_other_agencys_instance_as_work_awaiting_intake(platform, net):
    with platform.rpc() as rpc:
        received = receive(rpc, net)
        consent(rpc, net, received, organisations=["org-kikan"])
        consent(rpc, net, received, person=1, purposes=["connection"], given_by="representative",
                method="oral", representative="見本 ハナ")
        connected = connect(rpc, net, received)
        [lead] = wait_until(lambda: awaiting_at_kikan(rpc, net, received["household_id"]),
                            message="the lead at the other instance")
        assert (lead["kind"], lead["agency"], lead["reference"]["from_agency"]) == ("connection", KIKAN, HOKATSU)
        assert lead["reference"]["connection_id"] == connected["connection_id"]
        assert {p["person_id"] for p in lead["personal"]["persons"]} == set(received["person_ids"])
        assert lead["personal"]["summary"] == "母の介護と長男のひきこもり"  # both consented
        taken = rpc[net.kikan.settings.instance].receive_consultation({
            "lead_id": lead["lead_id"], "agency": KIKAN, "received_at": "2026-11-21T10:00:00+09:00",
            "channel": "counter", "consulted_by": "agency", "caseworker_id": "kikan-sw-1"})
        assert taken["household_id"] == received["household_id"]
        assert awaiting_at_kikan(rpc, net, received["household_id"]) == []
        view = rpc[net.kikan.settings.instance].get_consultation(taken["consultation_id"])
        assert view["source"]["kind"] == "connection" and view["issue_categories"] == ["8050", "care", "hikikomori"]
        assert rpc[net.desk].get_consultation(received["consultation_id"])["status"] == "connected"
        assert rpc[net.desk].open_consultations(HOKATSU["agency_id"])["awaiting_intake"] == []
    stored = admin_sql(net.hokatsu, "SELECT convert_from(state, 'UTF8') FROM kasane_events "
                                    "WHERE topic LIKE %s", ("%ConsentRecorded",))
    assert not any("見本 ハナ" in row[0] for row in stored)  # sealed at rest (issue 21) …
    assert any("見本 ハナ" in json.dumps(e.personal, ensure_ascii=False)  # … and kept, at home only:
               for e in stored_events(net.hokatsu, "ConsentRecorded"))
    [published] = net.heard_where(lambda e: e["type"] == "consultation.consent_recorded"
                                  and e["payload"]["given_by"] == "representative"
                                  and e["household_id"] == received["household_id"])
    assert "見本" not in json.dumps(published, ensure_ascii=False)


def stored_events(deployed, topic_suffix: str) -> list:
    """The instance's stored events of that kind, read as the instance reads them (opened)."""
    from kasane.store.application import KasaneApplication, postgres_env

    app = KasaneApplication(env=postgres_env(deployed.settings, pool_size=1))
    try:
        return [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(1, 10_000)
                if n.topic.endswith(topic_suffix)]
    finally:
        app.close()


def test_a_withdrawn_consent_stops_a_connection_and_the_withdrawal_is_published(platform, net):
    with platform.rpc() as rpc:
        withdrawn = receive(rpc, net)
        consent_id = consent(rpc, net, withdrawn, organisations=["org-kikan"])
        rpc[net.desk].withdraw_consent({"household_id": withdrawn["household_id"], "consent_id": consent_id,
                                        "caseworker_id": "sw-01", "agency": HOKATSU})
        before = admin_sql(net.hokatsu, "SELECT count(*) FROM kasane_events")[0][0]
        with pytest.raises(ConsentRequired):
            connect(rpc, net, withdrawn)
        assert admin_sql(net.hokatsu, "SELECT count(*) FROM kasane_events")[0][0] == before
        assert rpc[net.desk].get_consultation(withdrawn["consultation_id"])["status"] == "open"
        # A later connection from the same desk arrives; the refused one, before it, never does.
        later = receive(rpc, net)
        consent(rpc, net, later, organisations=["org-kikan"])
        connect(rpc, net, later)
        wait_until(lambda: awaiting_at_kikan(rpc, net, later["household_id"]), message="the later connection")
        assert awaiting_at_kikan(rpc, net, withdrawn["household_id"]) == []
    [published] = net.heard_where(lambda e: e["type"] == "consultation.consent_withdrawn"
                                  and e["payload"]["consent_id"] == consent_id)
    assert published["household_id"] == withdrawn["household_id"]
    # Addressed events never reach a bystander's broadcast binding.
    assert [e for e in net.heard if e["type"] == "consultation.connected_to_agency"] == []


def addressed(origin_service, event_type, payload, recipient, household_id=None, position=1, origin=None):
    origin = origin or f"cn-{origin_service}-{uuid4().hex[:6]}"
    now = datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")
    envelope = {
        "event_id": event_id_for(origin, position), "type": event_type, "version": 1, "occurred_at": now,
        "household_id": household_id, "position": position,
        "origin": {"service": origin_service, "organisation": f"org-{origin_service}", "instance": origin},
        "correlation_id": str(uuid4()), "causation_id": str(uuid4()), "payload": payload,
        "recipient": {"instance": recipient}}
    return envelope, f"ev.{origin}.{event_type}.v1.to.{recipient}"


CONSENTED = {"given_by": "self", "method": "written", "given_at": "2026-11-01T01:00:00Z"}
PERSON = {"person_id": "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a", "name": "見本 次郎", "kana": "ミホン ジロウ",
          "birth_date": "1979-02-14", "relation": "self", "area": None}
LEADS = {
    "hand_back": ("collaboration", "collaboration.household_handed_back", {
        "hand_back_id": str(uuid4()), "case_id": str(uuid4()), "consultation_id": None, "to_agency": HOKATSU,
        "ending": "closed", "issue_categories": ["8050"], "handed_back_at": "2026-11-20T00:00:00Z",
        "personal": {"plan_summary": "母は介護サービス開始。見守りは包括へ戻す。", "persons": []}},
        "母は介護サービス開始。見守りは包括へ戻す。"),
    "tsunagu_sheet": ("community", "community.tsunagu_sheet_sent", {
        "sheet_id": str(uuid4()), "place": {"place_id": "tokiwadaira-salon", "name": "常盤平 サロン"},
        "liaison_id": "liaison-07", "to_agency": HOKATSU, "issue_categories": ["isolation"],
        "consent": CONSENTED, "written_at": "2026-11-20T00:00:00Z",
        "personal": {"persons": [PERSON], "summary": "サロンに来なくなった。"}}, "サロンに来なくなった。"),
    "outreach": ("outreach", "outreach.person_connected", {
        "outreach_case_id": str(uuid4()), "worker_id": "csw-03", "issue_categories": ["hikikomori"],
        "consent": CONSENTED, "connected_at": "2026-11-20T00:00:00Z",
        "personal": {"persons": [PERSON], "summary": "訪問5回目で相談に同意。"}}, "訪問5回目で相談に同意。"),
}

LEAD_IDS = {"hand_back_id", "sheet_id", "outreach_case_id"}  # what makes each lead another one


@pytest.mark.parametrize("kind", list(LEADS))
def test_a_lead_addressed_to_the_desk_awaits_intake_there_and_is_taken_in(platform, net, kind):
    service, event_type, payload, summary = LEADS[kind]
    household_id = str(uuid4())
    envelope, key = addressed(service, event_type, payload, net.desk, household_id)
    publish(platform.broker, envelope, key)
    with platform.rpc() as rpc:
        def arrived(household=household_id):
            leads = rpc[net.desk].open_consultations(HOKATSU["agency_id"])["awaiting_intake"]
            return [lead for lead in leads if lead["household_id"] == household]
        [lead] = wait_until(arrived, message=f"the {kind} lead")
        assert lead["kind"] == kind and lead["personal"]["summary"] == summary
        assert lead["status_label"] == "受付待ち"
        taken = rpc[net.desk].receive_consultation({
            "lead_id": lead["lead_id"], "agency": HOKATSU, "received_at": "2026-11-21T10:00:00+09:00",
            "channel": "home_visit", "consulted_by": "agency", "caseworker_id": "sw-02"})
        assert taken["household_id"] == household_id
        view = rpc[net.desk].get_consultation(taken["consultation_id"])
        assert view["source"]["kind"] == kind
        assert view["source"]["origin_instance"] == envelope["origin"]["instance"]
        timeline = rpc[net.desk].household_timeline(household_id)["entries"]
        assert [e["event"] for e in timeline] == ["lead_arrived", "household_registered",
                                                 "consultation_received", "lead_taken_in"]
        publish(platform.broker, envelope, key)  # the same event again changes nothing
        # A later lead from the same origin: once it awaits intake, the repeat was consumed too.
        later_household = str(uuid4())
        another = {**payload, **{k: str(uuid4()) for k in LEAD_IDS & set(payload)}}
        later, later_key = addressed(service, event_type, another, net.desk, later_household, position=2,
                                     origin=envelope["origin"]["instance"])
        publish(platform.broker, later, later_key)
        wait_until(lambda: arrived(later_household), message=f"the later {kind} lead")
        assert arrived() == []
        assert len(rpc[net.desk].household_timeline(household_id)["entries"]) == 4


def test_a_household_is_found_before_a_duplicate_is_made_and_two_records_merge(platform, net, unique):
    person = {"name": "見本 三郎", "kana": f"ミホン サブロウ{unique}", "birth_date": "1950-01-02", "relation": "self"}
    with platform.rpc() as rpc:
        first = rpc[net.desk].receive_consultation(make_intake(agency=HOKATSU, persons=[person]))
        unchosen = make_intake(agency=HOKATSU, persons=[{**person, "kana": f"みほん　さぶろう{unique}"}])
        del unchosen["new_household"]
        with pytest.raises(HouseholdChoiceRequired, match="1 known household"):
            rpc[net.desk].receive_consultation(unchosen)  # nothing is recorded without a choice
        # The caseworker judges it another household; later the two turn out to be one.
        second = rpc[net.desk].receive_consultation({**unchosen, "new_household": True})
        [found] = rpc[net.desk].find_households({"kana": person["kana"], "birth_date": "1950-01-02"})["candidates"][:1]
        assert found["household_id"] in (first["household_id"], second["household_id"])
        merged = rpc[net.desk].merge_households({"household_id": first["household_id"],
                                                 "merged_household_id": second["household_id"],
                                                 "caseworker_id": "sw-01", "agency": HOKATSU})
        assert len(merged["person_ids"]) == 2
        candidates = rpc[net.desk].find_households({"kana": person["kana"]})["candidates"]
        assert {c["household_id"] for c in candidates} == {first["household_id"]}
        timeline = rpc[net.desk].household_timeline(first["household_id"])
        assert {"households_merged", "merged_into"} <= {e["event"] for e in timeline["entries"]}
        with pytest.raises(HouseholdRuleViolation) as refused:
            rpc[net.desk].merge_households({"household_id": first["household_id"],
                                            "merged_household_id": second["household_id"],
                                            "caseworker_id": "sw-01", "agency": HOKATSU})
        assert "ミホン" not in str(refused.value)


def test_invalid_commands_name_the_fields_store_nothing_and_repeat_no_value(platform, net):
    # The instance's own signed checkpoints may land meanwhile: they are not what a command stores.
    stored = "SELECT count(*) FROM kasane_events WHERE topic NOT LIKE '%%CheckpointLog%%'"
    before = admin_sql(net.hokatsu, stored)[0][0]
    with platform.rpc() as rpc:
        with pytest.raises(InvalidCommand) as refused:
            rpc[net.desk].connect_to_agency({"consultation_id": "見本", "caseworker_id": "",
                                             "to": {"instance": "見本 ハナ"}})
        assert set(refused.value.errors) == {"consultation_id", "caseworker_id", "to"}
        assert "見本" not in str(refused.value)
        with pytest.raises(InvalidCommand) as refused:
            rpc[net.desk].record_consent({"household_id": str(uuid4()), "person_id": str(uuid4()),
                                          "given_by": "本人", "method": "written", "purposes": ["marketing"],
                                          "caseworker_id": "sw", "agency": HOKATSU})
        assert set(refused.value.errors) == {"given_by", "purposes"}
        with pytest.raises(UnknownAgency) as refused:
            rpc[net.desk].receive_consultation(make_intake(agency={"agency_id": "elsewhere", "name": "他"}))
        with pytest.raises(InvalidCommand):
            rpc[net.desk].fiscal_year_counts({"fiscal_year": "令和7"})
    assert admin_sql(net.hokatsu, stored)[0][0] == before
