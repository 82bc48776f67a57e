"""Outcomes of a consultation — 終結, つなぐ (only with consent), 多機関協働, 見守り — and what
leaves the instance when they become integration events (in memory)."""
from datetime import date, datetime, timedelta, timezone
from uuid import uuid4

import pytest
from eventsourcing.utils import get_topic
from kasane_contracts import validate_envelope

from kasane.bus.envelope import Origin, envelope_for
from kasane.store.trace import Trace, stamp

from consultation.domain.consent import HouseholdConsents, disclosure_for
from consultation.domain.consultation import Consultation
from consultation.domain.rules import ConsentRequired, ConsultationRuleViolation
from consultation.integration import translators

NOW = datetime(2026, 11, 20, 0, 30, tzinfo=timezone.utc)
AGENCY = {"agency_id": "a1", "name": "常盤平高齢者いきいき安心センター"}
KIKAN = {"agency_id": "k1", "name": "常盤平基幹相談支援センター ふれあい"}
DESK = Origin("consultation", "org-desk", "desk-1")
MOTHER, SON = str(uuid4()), str(uuid4())


def received(**overrides) -> Consultation:
    fields = dict(household_id=uuid4(), agency=AGENCY, received_at=NOW, channel="phone",
                  consulted_by="minsei_iin", issue_categories=["8050", "care"], urgency="priority",
                  caseworker_id="sw-1", summary="母の介護と長男のひきこもり",
                  persons=[{"person_id": MOTHER, "name": "見本 ハナ", "relation": "self"},
                           {"person_id": SON, "name": "見本 一郎", "relation": "child"}])
    fields.update(overrides)
    return Consultation.receive(**fields)


def consent_of(*person_ids, organisations=("org-kikan",), purposes=()) -> HouseholdConsents:
    records = HouseholdConsents(household_id=uuid4())
    for person_id in person_ids:
        records.record(consent_id=uuid4(), person_id=person_id, given_by="self",
                       organisations=list(organisations), purposes=list(purposes),
                       method="written", given_at=NOW - timedelta(days=1), caseworker_id="sw-1",
                       agency=AGENCY)
    return records


def connect(consultation, records, note="本人・家族とも了承"):
    disclosure = disclosure_for([records], consultation.person_ids, organisation="org-kikan",
                                purpose="connection", at=NOW)
    consultation.connect_to_agency(connection_id=uuid4(), to_instance="kikan", to_organisation="org-kikan",
                                   to_agency=KIKAN, connected_at=NOW, caseworker_id="sw-1",
                                   note=note, disclosure=disclosure)


def published(consultation) -> dict:
    """The last event as the relay would publish it, validated against its contract."""
    domain_event = consultation.collect_events()[-1]
    stamp(domain_event, Trace.for_command())
    outgoing = translators().translate(get_topic(type(domain_event)), domain_event)
    return validate_envelope(envelope_for(outgoing, domain_event, DESK, 9))


def test_a_connection_without_consent_is_refused_and_records_nothing():
    consultation = received()
    consultation.collect_events()
    with pytest.raises(ConsentRequired):
        connect(consultation, HouseholdConsents(household_id=uuid4()))
    assert consultation.status == "open" and consultation.collect_events() == []


def test_a_withdrawn_consent_no_longer_allows_a_connection():
    consultation, records = received(), consent_of(MOTHER)
    [consent_id] = records.consents
    records.withdraw(consent_id=consent_id, withdrawn_at=NOW, caseworker_id="sw-1", agency=AGENCY)
    with pytest.raises(ConsentRequired):
        connect(consultation, records)


def test_a_connection_is_addressed_to_the_other_instance_with_only_the_consenting_persons():
    consultation = received()
    connect(consultation, consent_of(MOTHER))
    envelope = published(consultation)
    assert envelope["type"] == "consultation.connected_to_agency"
    assert envelope["recipient"] == {"instance": "kikan"}
    assert [p["person_id"] for p in envelope["payload"]["personal"]["persons"]] == [MOTHER]
    assert "summary" not in envelope["payload"]["personal"]  # the son did not consent
    assert "見本 一郎" not in str(envelope) and "ひきこもり" not in str(envelope)
    assert consultation.status == "connected"


def test_a_connection_with_everyone_consenting_carries_the_summary_and_note():
    consultation = received()
    connect(consultation, consent_of(MOTHER, SON))
    personal = published(consultation)["payload"]["personal"]
    assert len(personal["persons"]) == 2
    assert (personal["summary"], personal["note"]) == ("母の介護と長男のひきこもり", "本人・家族とも了承")


def test_a_consultation_is_not_connected_to_its_own_agency():
    with pytest.raises(ConsultationRuleViolation, match="not its own"):
        consultation = received()
        disclosure = disclosure_for([consent_of(MOTHER)], [MOTHER], organisation="org-kikan",
                                    purpose="connection", at=NOW)
        consultation.connect_to_agency(connection_id=uuid4(), to_instance="desk-1", to_organisation="org",
                                       to_agency=AGENCY, connected_at=NOW, caseworker_id="sw-1",
                                       note=None, disclosure=disclosure)


def test_a_referral_without_consent_carries_no_personal_part_and_with_it_only_the_covered():
    bare = received()
    bare.refer_to_collaboration(referral_id=uuid4(), reasons=["compound_issues"], referred_at=NOW,
                                caseworker_id="sw-1", note="メモ")
    assert "personal" not in published(bare)["payload"]
    consented = received()
    records = consent_of(MOTHER, organisations=(), purposes=("collaboration",))
    disclosure = disclosure_for([records], consented.person_ids, organisation=None,
                                purpose="collaboration", at=NOW)
    consented.refer_to_collaboration(referral_id=uuid4(), reasons=["gap_between_systems"],
                                     referred_at=NOW, caseworker_id="sw-1", note="メモ",
                                     disclosure=disclosure, to_instance="takikan")
    personal = published(consented)["payload"]["personal"]  # addressed: consent may reach it
    assert [p["person_id"] for p in personal["persons"]] == [MOTHER]
    assert "note" not in personal and "summary" not in personal


def test_a_consented_referral_not_addressed_to_one_instance_carries_no_personal_part():
    consultation = received()
    records = consent_of(MOTHER, organisations=(), purposes=("collaboration",))
    consultation.refer_to_collaboration(
        referral_id=uuid4(), reasons=["compound_issues"], referred_at=NOW, caseworker_id="sw-1",
        note=None, disclosure=disclosure_for([records], consultation.person_ids, organisation=None,
                                             purpose="collaboration", at=NOW))
    assert "personal" not in published(consultation)["payload"]


def test_a_consent_for_another_organisation_shares_nothing_with_collaboration():
    consultation = received()
    disclosure = disclosure_for([consent_of(MOTHER, SON)], consultation.person_ids,
                                organisation="org-takikan", purpose="collaboration", at=NOW)
    consultation.refer_to_collaboration(referral_id=uuid4(), reasons=["compound_issues"],
                                        referred_at=NOW, caseworker_id="sw-1", note=None,
                                        disclosure=disclosure)
    assert "personal" not in published(consultation)["payload"]


def test_resolved_is_final_and_takes_no_contact_or_other_outcome():
    consultation = received()
    consultation.resolve(resolved_at=NOW, caseworker_id="sw-1", note="解決")
    assert consultation.status == "resolved"
    with pytest.raises(ConsultationRuleViolation, match="takes no other outcome"):
        consultation.continue_watch(next_contact_on=date(2026, 12, 1), decided_at=NOW,
                                    caseworker_id="sw-1", note=None)
    with pytest.raises(ConsultationRuleViolation, match="no further contact"):
        consultation.record_contact(contact_id=uuid4(), contacted_at=NOW, channel="phone",
                                    caseworker_id="sw-1", note=None)


def test_watching_keeps_a_next_contact_date_and_still_allows_an_outcome():
    consultation = received()
    consultation.continue_watch(next_contact_on=date(2026, 12, 1), decided_at=NOW,
                                caseworker_id="sw-1", note="月1回電話")
    assert (consultation.status, consultation.next_contact_on) == ("watching", date(2026, 12, 1))
    with pytest.raises(ConsultationRuleViolation, match="before today"):
        consultation.continue_watch(next_contact_on=date(2026, 11, 1), decided_at=NOW,
                                    caseworker_id="sw-1", note=None)
    consultation.refer_to_collaboration(referral_id=uuid4(), reasons=["compound_issues"],
                                        referred_at=NOW, caseworker_id="sw-1", note=None)
    assert consultation.status == "referred"


def test_a_contact_is_recorded_with_its_channel_and_not_before_the_intake():
    consultation = received()
    consultation.record_contact(contact_id=uuid4(), contacted_at=NOW + timedelta(days=2),
                                channel="home_visit", caseworker_id="sw-1", note="訪問")
    contact = consultation.collect_events()[-1]
    assert (contact.channel, contact.agency, contact.issue_categories) == ("home_visit", AGENCY, ["8050", "care"])
    assert contact.personal == {"note": "訪問"}
    with pytest.raises(ConsultationRuleViolation, match="before the consultation"):
        consultation.record_contact(contact_id=uuid4(), contacted_at=NOW - timedelta(days=1),
                                    channel="phone", caseworker_id="sw-1", note=None)
    with pytest.raises(ConsultationRuleViolation, match="channel"):
        consultation.record_contact(contact_id=uuid4(), contacted_at=NOW, channel="fax",
                                    caseworker_id="sw-1", note=None)


def test_the_person_concerned_is_who_is_marked_self_else_everyone_named():
    assert received().subject_ids == [MOTHER]
    nobody_marked = received(persons=[{"person_id": SON, "relation": "child"}])
    assert nobody_marked.subject_ids == [SON]
