"""共有の根拠 in アウトリーチ (issue 8): without the person's consent only pseudonymous facts
leave the outreach instance, unless a 支援会議 decision in force for the household names the
receiving organisation as a member (社会福祉法 art. 106-6; seed 000 §4, 001 §1(5)ア).

The rule itself (outreach.domain.rules.sharing_basis), then the case and the application as
the inbox consumer and the RPC entrypoints drive them, with what the relay would publish."""
from datetime import date
from uuid import uuid4

import pytest

from kasane.store.trace import Trace
from kasane.store.unit_of_work import UnitOfWork

from outreach import schemas
from outreach.domain.rules import ConsentRequired, decision_in_force, sharing_basis
from outreach.integration import handlers

from test_outreach_cases import Csw

MEMBER, OUTSIDER = "org-jiritsu", "org-other"
DECISION = {"meeting_id": str(uuid4()), "decision_id": str(uuid4()), "held_on": date(2026, 6, 19),
            "members": ["org-city", "org-shakyo", MEMBER], "role": "outreach_contact",
            "sharing_allowed": True, "sharing_until": date(2026, 9, 30)}
CONSENT = {"consent_id": str(uuid4()), "person_id": "p", "organisations": [MEMBER], "purposes": []}
ON = date(2026, 7, 1)


# -- the rule ---------------------------------------------------------------------------------

def test_consent_in_force_is_a_basis_whatever_the_meetings_decided():
    assert sharing_basis(CONSENT, [], MEMBER, ON) == {"kind": "consent", "consent": CONSENT}


def test_without_consent_a_member_of_a_decision_in_force_may_receive():
    assert sharing_basis(None, [DECISION], MEMBER, ON) == {"kind": "support_meeting", "decision": DECISION}
    assert decision_in_force([DECISION], MEMBER, DECISION["sharing_until"]) is DECISION  # last day


def test_without_consent_a_non_member_gets_pseudonymous_facts_only():
    assert sharing_basis(None, [DECISION], OUTSIDER, ON) is None
    assert sharing_basis(None, [], MEMBER, ON) is None


def test_a_decision_past_its_date_or_before_its_meeting_or_not_allowing_sharing_is_no_basis():
    assert sharing_basis(None, [DECISION], MEMBER, date(2026, 10, 1)) is None  # expired
    assert sharing_basis(None, [DECISION], MEMBER, date(2026, 6, 18)) is None  # before the meeting
    roles_only = {**DECISION, "sharing_allowed": False, "sharing_until": None}
    assert sharing_basis(None, [roles_only], MEMBER, ON) is None


# -- the case, through the application ------------------------------------------------------------

DESK = {"instance": "ise-jiritsu", "organisation": MEMBER,
        "agency": {"agency_id": "ise-jiritsu", "name": "伊勢市 生活サポートセンター"}}


def envelope(type_: str, household_id: str, payload: dict, origin=("collaboration", "org-city", "takikan"),
             recipient: str = "shakyo-csw") -> dict:
    service, organisation, instance = origin
    return {"event_id": str(uuid4()), "type": type_, "version": 1, "household_id": household_id,
            "correlation_id": str(uuid4()), "position": 1, "recipient": {"instance": recipient},
            "origin": {"service": service, "organisation": organisation, "instance": instance},
            "payload": payload}


def decided(household_id: str, *, until: str | None = "2026-09-30", members=None, personal=None,
            decision_id: str | None = None) -> dict:
    payload = {"meeting_id": str(uuid4()), "decision_id": decision_id or str(uuid4()),
               "held_on": "2026-06-19", "members": members or ["org-city", "org-shakyo", MEMBER],
               "recipient_organisation": "org-shakyo", "role": "outreach_contact",
               "sharing_allowed": until is not None, "sharing_until": until, "recorded_by": "tk-1"}
    if personal:
        payload["personal"] = personal
    return envelope("collaboration.support_meeting_decided", household_id, payload)


def deliver(csw: Csw, handler: str, message: dict) -> None:
    uow = UnitOfWork(csw.app)
    # `handler` only names the use case: the integration table routes by type and version.
    handlers(csw.app)[(message["type"], message["version"])](message, uow)
    csw.app.save_events(uow.take_events(Trace.caused_by(message)))


def hand_over(csw: Csw, case_id: str, to=DESK, to_service="consultation", at="2026-07-01T10:00:00+09:00"):
    return csw.run("hand_over", schemas.HandOverSchema(), {
        "case_id": case_id, "to_service": to_service, "to": to, "issue_categories": ["hikikomori"],
        "worker_id": "csw-03", "summary": "支援会議の決定により相談窓口へ", "handed_over_at": at})


def only_lead(csw: Csw, household_id: str) -> dict:
    [row] = [r for r in csw.app.open_leads(ON)["leads"] if r["household_id"] == household_id]
    return csw.app.case(row["case_id"])


PASSED_ON = {"persons": [{"person_id": str(uuid4()), "name": "見本 三郎", "relation": "self"}],
             "address": "伊勢市 見本町3-4", "description": "60代男性、ごみが庭にあふれている"}


@pytest.fixture
def csw():
    return Csw()


def test_a_decision_addressed_here_opens_a_lead_from_the_support_meeting_with_what_was_passed_on(csw):
    household_id = str(uuid4())
    message = decided(household_id, personal=PASSED_ON)
    deliver(csw, "on_support_meeting_decided", message)
    deliver(csw, "on_support_meeting_decided", message)  # redelivered: changes nothing
    record = only_lead(csw, household_id)
    assert record["source"] == "support_meeting" and record["source_label"] == "支援会議の決定"
    assert record["personal"]["address"] == "伊勢市 見本町3-4"
    assert record["personal"]["persons"][0]["name"] == "見本 三郎"
    [decision] = record["support_meeting_decisions"]
    assert decision["role"] == "outreach_contact" and decision["sharing_until"] == "2026-09-30"
    assert csw.published() == []  # receiving a decision sends nothing anywhere


def test_a_decision_about_a_household_already_being_reached_is_recorded_on_that_case(csw):
    household_id = str(uuid4())
    lead = csw.lead(household_id=household_id)
    deliver(csw, "on_support_meeting_decided", decided(household_id))
    record = only_lead(csw, household_id)
    assert record["case_id"] == lead["case_id"] and record["source"] == "minsei_iin"
    assert len(record["support_meeting_decisions"]) == 1


def test_without_consent_a_member_under_a_decision_in_force_receives_the_persons_details(csw):
    household_id = str(uuid4())
    deliver(csw, "on_support_meeting_decided", decided(household_id, personal=PASSED_ON))
    handed = hand_over(csw, only_lead(csw, household_id)["case_id"])
    assert handed["basis"] == "support_meeting" and handed["stage"] == "connected"
    [event] = csw.published("outreach.person_handed_over")
    assert event["recipient"] == {"instance": "ise-jiritsu"}
    assert event["payload"]["basis"]["kind"] == "support_meeting"
    assert event["payload"]["basis"]["support_meeting"]["sharing_until"] == "2026-09-30"
    assert event["payload"]["personal"]["persons"][0]["name"] == "見本 三郎"


def test_without_consent_a_non_member_receives_nothing_and_nothing_is_stored(csw):
    household_id = str(uuid4())
    deliver(csw, "on_support_meeting_decided", decided(household_id, personal=PASSED_ON))
    case_id = only_lead(csw, household_id)["case_id"]
    before = csw.stored()
    with pytest.raises(ConsentRequired) as refused:
        hand_over(csw, case_id, to={**DESK, "organisation": OUTSIDER})
    assert csw.stored() == before and csw.published() == []
    assert "見本" not in str(refused.value)


def test_a_decision_past_its_date_no_longer_lets_the_details_go(csw):
    household_id = str(uuid4())
    deliver(csw, "on_support_meeting_decided", decided(household_id, until="2026-06-30"))
    with pytest.raises(ConsentRequired):
        hand_over(csw, only_lead(csw, household_id)["case_id"])
    assert csw.published() == []


def test_a_consenting_person_is_handed_over_to_collaboration_with_their_details(csw):
    lead = csw.lead(household_id=str(uuid4()), persons=[{"name": "見本 四郎", "relation": "self"}])
    csw.contact(lead["case_id"])
    csw.consent(lead["case_id"], lead["person_ids"][0], organisations=[], purposes=["collaboration"])
    takikan = {"instance": "ise-takikan", "organisation": "org-city"}
    assert hand_over(csw, lead["case_id"], to=takikan, to_service="collaboration")["basis"] == "consent"
    [event] = csw.published("outreach.person_handed_over")
    assert event["recipient"] == {"instance": "ise-takikan"} and event["payload"]["to_service"] == "collaboration"
    assert event["payload"]["basis"]["consent"]["given_by"] == "self"
    assert event["payload"]["personal"]["persons"][0]["name"] == "見本 四郎"
    assert "to_agency" not in event["payload"]


def test_a_case_with_no_household_is_not_handed_over_to_collaboration(csw):
    lead = csw.lead()
    csw.contact(lead["case_id"])
    csw.consent(lead["case_id"], lead["person_ids"][0], organisations=[], purposes=["collaboration"])
    with pytest.raises(Exception) as refused:
        hand_over(csw, lead["case_id"], to={"instance": "ise-takikan", "organisation": "org-city"},
                  to_service="collaboration")
    assert "household" in str(refused.value)


def test_a_withdrawal_is_published_pseudonymously_and_ends_the_consent_basis(csw):
    lead = csw.lead(household_id=str(uuid4()))
    csw.contact(lead["case_id"])
    consent_id = csw.consent(lead["case_id"], lead["person_ids"][0])["consent_id"]
    csw.run("withdraw_consent", schemas.WithdrawConsentSchema(),
            {"case_id": lead["case_id"], "consent_id": consent_id, "worker_id": "csw-03"})
    [event] = csw.published("outreach.consent_withdrawn")
    assert "recipient" not in event and "personal" not in event["payload"]
    assert event["payload"]["consent_id"] == consent_id
    assert "見本町" not in str(event) and "雨戸" not in str(event)
    with pytest.raises(ConsentRequired):
        hand_over(csw, lead["case_id"])


def requested(household_id: str, personal: dict | None, request_id: str | None = None) -> dict:
    payload = {"request_id": request_id or str(uuid4()), "consultation_id": str(uuid4()),
               "agency": DESK["agency"], "noticed": ["hikikomori"], "area": "中部地区",
               "urgency": "normal", "requested_at": "2026-06-20T01:00:00Z", "caseworker_id": "sw-2",
               "consent_ids": []}
    if personal:
        payload["personal"] = personal
    return envelope("consultation.outreach_requested", household_id, payload,
                    origin=("consultation", MEMBER, "ise-jiritsu"))


def test_a_desks_request_becomes_one_lead_with_persons_only_when_they_came(csw):
    with_consent, without = str(uuid4()), str(uuid4())
    message = requested(with_consent, {"persons": [{"person_id": str(uuid4()), "name": "見本 五郎",
                                                    "relation": "self"}], "summary": "母から相談"})
    deliver(csw, "on_outreach_requested", message)
    deliver(csw, "on_outreach_requested", message)
    deliver(csw, "on_outreach_requested", requested(without, None))
    named = only_lead(csw, with_consent)
    assert named["source"] == "consultation_agency" and named["lead"]["noticed"] == ["hikikomori"]
    assert named["personal"]["persons"][0]["name"] == "見本 五郎"
    assert named["personal"]["description"] == "母から相談"
    unnamed = only_lead(csw, without)
    assert unnamed["lead"]["area"] == "中部地区"
    assert [p.get("name") for p in unnamed["personal"]["persons"]] == [None]
