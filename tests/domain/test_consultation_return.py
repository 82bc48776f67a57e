"""差し戻し — 多機関協働 returns a referral: the consultation is 対応中 again at the referring
agency (and may take any outcome), the return is an event of the consultation with the reason
and date, the caseload shows it with a 日本語 note, the timeline shows it; a redelivered copy
changes nothing and a return this instance cannot apply is ignored (in memory)."""
import logging
from datetime import date, datetime, timedelta, timezone
from uuid import uuid4

import pytest

from kasane.errors import DomainRuleViolation
from kasane.store.trace import Trace
from kasane.store.unit_of_work import UnitOfWork

from consultation.application import ConsultationApplication
from consultation.domain.consent import HouseholdConsents, disclosure_for
from consultation.domain.consultation import Consultation
from consultation.domain.rules import ConsultationRuleViolation, ReturnRuleViolation
from consultation.integration import SUBSCRIPTIONS, handlers

NOW = datetime(2026, 11, 20, 0, 30, tzinfo=timezone.utc)
RETURNED_AT = datetime(2026, 11, 27, 5, 0, tzinfo=timezone.utc)
AGENCY = {"agency_id": "hokatsu", "name": "常盤平高齢者いきいき安心センター"}
KIKAN = {"agency_id": "kikan", "name": "常盤平基幹相談支援センター ふれあい"}
HANA = {"name": "見本 ハナ", "kana": "ミホン ハナ", "birth_date": "1942-05-10", "relation": "self"}


# -- the aggregate ------------------------------------------------------------------------------

def received() -> Consultation:
    return Consultation.receive(
        household_id=uuid4(), agency=AGENCY, received_at=NOW, channel="phone",
        consulted_by="family", issue_categories=["8050"], urgency="normal", caseworker_id="sw-1",
        summary="母の介護と長男のひきこもり",
        persons=[{"person_id": str(uuid4()), "name": "見本 ハナ", "relation": "self"}])


def referred() -> tuple[Consultation, str]:
    consultation = received()
    referral_id = uuid4()
    consultation.refer_to_collaboration(referral_id=referral_id, reasons=["compound_issues"],
                                        referred_at=NOW, caseworker_id="sw-1", note=None)
    return consultation, str(referral_id)


def give_back(consultation: Consultation, referral_id: str, reason="single_agency_can_handle"):
    consultation.return_from_collaboration(referral_id=referral_id, case_id=uuid4(), reason=reason,
                                           returned_at=RETURNED_AT, returned_by="cw-takikan",
                                           from_instance="takikan")


def test_a_return_makes_the_referred_consultation_open_again_and_is_recorded_with_reason_and_date():
    consultation, referral_id = referred()
    give_back(consultation, referral_id)
    assert consultation.status == "open"
    [event] = [e for e in consultation.collect_events()
               if isinstance(e, Consultation.ReturnedFromCollaboration)]
    assert (event.referral_id, event.reason, event.returned_at) == (
        referral_id, "single_agency_can_handle", RETURNED_AT)
    assert event.household_id == consultation.household_id and event.agency == AGENCY
    assert consultation.was_returned(referral_id)
    assert consultation.returns[0]["reason"] == "single_agency_can_handle"


def test_a_returned_consultation_can_be_referred_again_and_returned_again():
    consultation, first = referred()
    give_back(consultation, first)
    second = uuid4()
    consultation.refer_to_collaboration(referral_id=second, reasons=["compound_issues"],
                                        referred_at=RETURNED_AT, caseworker_id="sw-1", note="再度")
    assert consultation.status == "referred"
    give_back(consultation, str(second), reason="information_insufficient")
    assert consultation.status == "open"
    assert [r["referral_id"] for r in consultation.returns] == [first, str(second)]


@pytest.mark.parametrize("outcome", ["resolve", "watch", "connect"])
def test_a_returned_consultation_takes_any_outcome(outcome):
    consultation, referral_id = referred()
    give_back(consultation, referral_id)
    if outcome == "resolve":
        consultation.resolve(resolved_at=RETURNED_AT, caseworker_id="sw-1", note=None)
        assert consultation.status == "resolved"
    elif outcome == "watch":
        consultation.continue_watch(next_contact_on=date(2026, 12, 20), decided_at=RETURNED_AT,
                                    caseworker_id="sw-1", note=None)
        assert consultation.status == "watching"
    else:
        records = HouseholdConsents(household_id=consultation.household_id)
        records.record(consent_id=uuid4(), person_id=consultation.person_ids[0], given_by="self",
                       organisations=["org-kikan"], purposes=[], method="written",
                       given_at=NOW - timedelta(days=1), caseworker_id="sw-1", agency=AGENCY)
        disclosure = disclosure_for([records], consultation.person_ids, organisation="org-kikan",
                                    purpose="connection", at=RETURNED_AT)
        consultation.connect_to_agency(connection_id=uuid4(), to_instance="kikan",
                                       to_organisation="org-kikan", to_agency=KIKAN,
                                       connected_at=RETURNED_AT, caseworker_id="sw-1", note=None,
                                       disclosure=disclosure)
        assert consultation.status == "connected"


def test_a_consultation_can_be_returned_only_while_it_is_referred():
    assert issubclass(ReturnRuleViolation, DomainRuleViolation)
    assert issubclass(ReturnRuleViolation, ConsultationRuleViolation)
    open_one = received()
    with pytest.raises(ReturnRuleViolation, match="only a consultation referred"):
        give_back(open_one, str(uuid4()))
    resolved = received()
    resolved.resolve(resolved_at=NOW, caseworker_id="sw-1", note=None)
    with pytest.raises(ReturnRuleViolation):
        give_back(resolved, str(uuid4()))
    consultation, referral_id = referred()
    give_back(consultation, referral_id)
    with pytest.raises(ReturnRuleViolation):  # already returned: 対応中 again
        give_back(consultation, referral_id)


def test_a_return_must_name_the_referral_in_force_and_a_known_reason():
    consultation, referral_id = referred()
    with pytest.raises(ReturnRuleViolation, match="not the one in force"):
        give_back(consultation, str(uuid4()))
    with pytest.raises(ReturnRuleViolation, match="reason"):
        give_back(consultation, referral_id, reason="no_such_reason")
    assert consultation.status == "referred"


# -- the handler and the views, in memory -------------------------------------------------------

@pytest.fixture
def app():
    return ConsultationApplication(instance="desk", organisation="org-desk", agencies=[AGENCY],
                                   collaboration_instance="takikan")


def refer(app) -> dict:
    taken = app.receive_consultation(
        Trace.for_command(), household_id=None, persons=[HANA], agency=AGENCY, new_household=True,
        received_at=NOW, channel="phone", consulted_by="family", summary="相談内容",
        issue_categories=["8050"], urgency="normal", caseworker_id="sw-1")
    referral = app.refer_to_collaboration(Trace.for_command(), consultation_id=taken["consultation_id"],
                                          referred_at=NOW, caseworker_id="sw-1", note=None,
                                          reasons=["compound_issues"])
    return {**taken, **referral}


def returned_envelope(referral: dict, reason="not_compound", **payload) -> dict:
    return {
        "event_id": str(uuid4()), "household_id": referral["household_id"],
        "type": "collaboration.referral_returned", "version": 1,
        "origin": {"service": "collaboration", "organisation": "city", "instance": "takikan"},
        "recipient": {"instance": "desk"},
        "payload": {"case_id": str(uuid4()), "referral_id": referral["referral_id"],
                    "consultation_id": referral["consultation_id"], "referring_agency": AGENCY,
                    "reason": reason, "case_ends": True, "returned_at": "2026-11-27T05:00:00Z",
                    "caseworker_id": "cw-takikan", **payload}}


def deliver(app, envelope) -> int:
    """Handle as the kernel does; how many events the handler caused."""
    uow = UnitOfWork(app)
    handlers(app)[("collaboration.referral_returned", 1)](envelope, uow)
    events = uow.take_events(Trace.caused_by({**envelope, "correlation_id": str(uuid4())}))
    app.save_events(events)
    return len(events)


def test_the_service_subscribes_to_returns_addressed_to_it():
    assert ("collaboration.referral_returned", 1, "addressed") in SUBSCRIPTIONS


def test_a_returned_consultation_is_open_again_with_a_japanese_note_and_on_the_timeline(app):
    referral = refer(app)
    assert not app.open_consultations("hokatsu")["consultations"]
    assert deliver(app, returned_envelope(referral)) == 1
    view = app.consultation(referral["consultation_id"])
    assert view["status"] == "open" and view["labels"]["status"] == "対応中"
    assert view["returns"][0]["reason_label"] == "複合課題に当たらない"
    assert view["returns"][0]["returned_at"] == "2026-11-27T05:00:00+00:00"
    [row] = app.open_consultations("hokatsu")["consultations"]
    assert row["consultation_id"] == referral["consultation_id"]
    assert row["status_label"] == "対応中"
    assert row["note"] == "多機関協働から差し戻されました（理由：複合課題に当たらない）"
    assert row["returned"]["reason"] == "not_compound"
    assert row["returned"]["referral_id"] == referral["referral_id"]
    entries = app.household_timeline(referral["household_id"])["entries"]
    assert [e["event"] for e in entries][-2:] == ["referred_to_collaboration", "returned_from_collaboration"]
    assert entries[-1]["label"] == "多機関協働からの差し戻し（複合課題に当たらない）"
    assert entries[-1]["reason"] == "not_compound" and entries[-1]["referral_id"] == referral["referral_id"]
    # referred again: it leaves the open list, the note goes with the new referral
    app.refer_to_collaboration(Trace.for_command(), consultation_id=referral["consultation_id"],
                               referred_at=RETURNED_AT, caseworker_id="sw-1", note=None,
                               reasons=["compound_issues"])
    assert not app.open_consultations("hokatsu")["consultations"]


def test_a_redelivered_return_changes_nothing(app):
    referral = refer(app)
    envelope = returned_envelope(referral)
    assert deliver(app, envelope) == 1
    position = app.recorder.max_notification_id()
    assert deliver(app, envelope) == 0
    assert deliver(app, {**envelope, "event_id": str(uuid4())}) == 0  # the same return, re-sent
    assert app.recorder.max_notification_id() == position
    assert len(app.consultation(referral["consultation_id"])["returns"]) == 1


def test_a_return_naming_an_unknown_consultation_is_ignored_with_a_log_line_without_personal_details(app, caplog):
    referral = refer(app)
    position = app.recorder.max_notification_id()
    with caplog.at_level(logging.WARNING, logger="consultation.incoming"):
        assert deliver(app, returned_envelope(referral, consultation_id=str(uuid4()))) == 0
        assert deliver(app, returned_envelope(referral, consultation_id=referral["household_id"])) == 0
    assert app.recorder.max_notification_id() == position
    assert len(caplog.records) == 2
    assert all("no such consultation" in r.getMessage() for r in caplog.records)
    assert not any(word in r.getMessage() for r in caplog.records for word in ("見本", "ミホン", "1942"))
    assert app.consultation(referral["consultation_id"])["status"] == "referred"


def test_a_return_the_consultation_cannot_take_is_ignored_not_raised(app, caplog):
    referral = refer(app)
    position = app.recorder.max_notification_id()
    with caplog.at_level(logging.WARNING, logger="consultation.incoming"):
        assert deliver(app, returned_envelope({**referral, "referral_id": str(uuid4())})) == 0
    assert app.recorder.max_notification_id() == position
    assert "not the one in force" in caplog.records[0].getMessage()
    assert app.consultation(referral["consultation_id"])["status"] == "referred"
