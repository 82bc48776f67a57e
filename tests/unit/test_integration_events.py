"""Domain events become integration events that satisfy their contracts (in memory)."""
from datetime import datetime, timezone
from uuid import uuid4

from eventsourcing.utils import get_topic
from kasane_contracts import validate_envelope

from kasane.bus.envelope import Origin, envelope_for, event_id_for
from kasane.store.trace import Trace, stamp

from collaboration.domain.households import take_referral
from collaboration.integration import translators as collaboration_translators
from consultation.domain.consultation import Consultation
from consultation.integration import translators as consultation_translators

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)
DESK = Origin("consultation", "org-desk", "desk-1")


def referred_consultation():
    consultation = Consultation.receive(
        household_id=uuid4(), agency={"agency_id": "a1", "name": "常盤平高齢者いきいき安心センター"},
        received_at=NOW, channel="phone", consulted_by="family", issue_categories=["8050"],
        urgency="normal", caseworker_id="sw-1", persons=[{"person_id": str(uuid4()), "name": "見本 ハナ"}],
        summary="相談内容")
    consultation.refer_to_collaboration(referral_id=uuid4(), reasons=["compound_issues"],
                                        referred_at=NOW, caseworker_id="sw-1", note="メモ")
    return consultation, consultation.collect_events()


def publish_all(events, registry, origin):
    envelopes = []
    for position, domain_event in enumerate(events, start=1):
        stamp(domain_event, Trace.for_command())
        outgoing = registry.translate(_topic(domain_event), domain_event)
        if outgoing:
            envelopes.append(validate_envelope(envelope_for(outgoing, domain_event, origin, position)))
    return envelopes


def _topic(domain_event):
    return get_topic(type(domain_event))


def test_consultation_events_satisfy_their_contracts_and_keep_personal_details_home():
    consultation, events = referred_consultation()
    received, referred = publish_all(events, consultation_translators(), DESK)
    assert received["type"] == "consultation.consultation_received"
    assert referred["type"] == "consultation.household_referred"
    assert referred["household_id"] == str(consultation.household_id)
    assert referred["event_id"] == event_id_for("desk-1", 2)
    for envelope in (received, referred):
        assert "personal" not in envelope["payload"]
        assert "見本" not in str(envelope) and "メモ" not in str(envelope)


def test_case_events_satisfy_their_contracts():
    consultation, events = referred_consultation()
    [_, referred] = publish_all(events, consultation_translators(), DESK)
    referral = {**referred["payload"], "origin_instance": "desk-1", "origin_organisation": "org-desk"}
    index, case = take_referral(None, None, consultation.household_id, referral, NOW)
    second = {**referral, "referral_id": str(uuid4())}
    take_referral(index, case, consultation.household_id, second, NOW)
    opened, joined = publish_all(case.collect_events(), collaboration_translators(),
                                 Origin("collaboration", "city", "takikan"))
    assert (opened["type"], joined["type"]) == ("collaboration.case_opened", "collaboration.referral_joined_case")
    assert opened["payload"]["referring_agency"]["name"] == "常盤平高齢者いきいき安心センター"


def test_the_same_position_always_gets_the_same_event_id():
    assert event_id_for("desk-1", 7) == event_id_for("desk-1", 7)
    assert event_id_for("desk-1", 7) != event_id_for("desk-2", 7)


def test_personal_details_travel_only_on_addressed_events():
    from kasane.bus.envelope import Outgoing
    consultation, events = referred_consultation()
    outgoing = Outgoing(type="consultation.household_referred", version=1, household_id=uuid4(),
                        payload={}, personal={"persons": [{"name": "見本 ハナ"}]})
    broadcast = envelope_for(outgoing, events[0], DESK, 1)
    addressed = envelope_for(Outgoing(**{**vars(outgoing), "recipient": "takikan"}), events[0], DESK, 1)
    assert "personal" not in broadcast["payload"] and "recipient" not in broadcast
    assert addressed["payload"]["personal"]["persons"][0]["name"] == "見本 ハナ"
    assert addressed["recipient"] == {"instance": "takikan"}
