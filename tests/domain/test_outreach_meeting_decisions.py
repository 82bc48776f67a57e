"""Issue 8 seen from 多機関協働 and from a consultation desk, in memory:

- a 支援会議 decision goes to each member instance it names, one message each, with only what
  the meeting decided to pass on (never its discussion); a non-member is refused;
- a person handed over by outreach opens a case that caseworkers see;
- outreach's consent and its withdrawal are obeyed like consultation's: after the withdrawal no
  重層的支援会議 may discuss the household;
- a desk's outreach request carries persons only when consent covers the outreach organisation.
"""
from datetime import datetime, timezone
from uuid import uuid4

import pytest

from kasane.bus.envelope import Origin, envelope_for
from kasane.runtime.commands import load_command
from kasane.store.trace import Trace
from kasane.store.unit_of_work import UnitOfWork
from kasane_contracts import validate_envelope

from collaboration import schemas
from collaboration.domain.rules import ConsentRequired, MeetingRuleViolation
from collaboration.integration import handlers as collaboration_handlers
from consultation.application import ConsultationApplication
from consultation.integration import translators as consultation_translators
from consultation.schemas import RecordConsentSchema, RequestOutreachSchema

from test_collaboration_lifecycle import ORGANISATION, Takikan

CSW = {"organisation": "org-shakyo", "instance": "ise-csw"}
ISHIKAI = {"organisation": "org-ishikai", "instance": "ise-ishikai"}
SECRET = "会議で話した家族の事情"
PASS_ON = {"persons": [{"name": "見本 三郎", "relation": "self"}], "address": "伊勢市 見本町3-4",
           "description": "ごみが庭にあふれている"}


@pytest.fixture
def takikan():
    return Takikan()


def meeting(takikan: Takikan, household_id: str, **decision) -> dict:
    return takikan.run("hold_support_meeting", schemas.SupportMeetingSchema(), {
        "held_on": "2026-06-19", "caseworker_id": "tk-1",
        "members": [{"organisation": ORGANISATION, "role": "host"},
                    {"organisation": CSW["organisation"], "role": "outreach"},
                    {"organisation": "org-jiritsu", "role": "consultation",
                     "persons": [{"staff_id": "staff-jiritsu", "secrecy_acknowledged_on": "2026-06-19"}]}],
        "household_ids": [household_id], "information_shared": SECRET,
        "decisions": [{"household_id": household_id,
                       "roles": [{"organisation": CSW["organisation"], "role": "outreach_contact"},
                                 {"organisation": "org-jiritsu", "role": "consultation"}],
                       "sharing_allowed": True, "sharing_until": "2026-09-30",
                       "recipients": [CSW, {"organisation": "org-jiritsu", "instance": "ise-jiritsu"}],
                       "pass_on": PASS_ON, **decision}]})


def test_a_decision_goes_to_each_named_member_instance_with_only_what_was_passed_on(takikan):
    household_id = str(uuid4())
    held = meeting(takikan, household_id)
    sent = takikan.published("collaboration.support_meeting_decided")
    assert [o.recipient for o in sent] == ["ise-csw", "ise-jiritsu"]
    assert held["decisions"][0]["sent_to"] == ["ise-csw", "ise-jiritsu"]
    to_csw = sent[0]
    assert to_csw.payload["role"] == "outreach_contact" and to_csw.payload["sharing_until"] == "2026-09-30"
    assert to_csw.payload["members"] == sorted([ORGANISATION, "org-shakyo", "org-jiritsu"])
    assert to_csw.personal["persons"][0]["name"] == "見本 三郎" and to_csw.personal["persons"][0]["person_id"]
    assert SECRET not in str([(o.payload, o.personal) for o in sent])  # the discussion stays here
    origin = Origin(service="collaboration", organisation=ORGANISATION, instance="takikan")
    for position, outgoing in enumerate(sent, 1):  # each is a valid contract event
        class Stamp:
            timestamp = datetime.now(timezone.utc)
        envelope = envelope_for(outgoing, Stamp, origin, position)
        assert validate_envelope(envelope) == envelope
    assert takikan.published("collaboration.case_opened") == []


@pytest.mark.parametrize("decision", [
    {"recipients": [ISHIKAI]},  # not a member of this meeting
    {"roles": [{"organisation": ISHIKAI["organisation"], "role": "outreach_contact"}]},
    {"sharing_until": None},  # sharing allowed without a date
    {"sharing_until": "2026-06-01"},  # before the meeting
    {"sharing_allowed": False, "sharing_until": None},  # details passed on without sharing allowed
])
def test_a_decision_outside_the_members_or_without_a_date_is_refused_and_nothing_is_stored(takikan, decision):
    before = takikan.stored()
    with pytest.raises(MeetingRuleViolation):
        meeting(takikan, str(uuid4()), **decision)
    assert takikan.stored() == before


def test_the_member_reading_the_record_sees_the_decision(takikan):
    household_id = str(uuid4())
    meeting_id = meeting(takikan, household_id)["meeting_id"]
    data, trace = load_command(schemas.ReadSupportMeetingSchema(), {"meeting_id": meeting_id})
    record = takikan.app.support_meeting(trace, reader={"name": "職員", "organisation": "org-jiritsu",
                                                        "staff_id": "staff-jiritsu"}, **data)
    assert record["decisions"][0]["household_id"] == household_id


def handed_over(takikan: Takikan, household_id: str, person_id: str) -> dict:
    takikan.positions += 1
    envelope = {"event_id": str(uuid4()), "type": "outreach.person_handed_over", "version": 1,
                "household_id": household_id, "correlation_id": str(uuid4()), "position": takikan.positions,
                "origin": {"service": "outreach", "organisation": "org-shakyo", "instance": "ise-csw"},
                "payload": {"handover_id": str(uuid4()), "outreach_case_id": str(uuid4()),
                            "from_agency": {"agency_id": "csw", "name": "社協 CSW"},
                            "to_service": "collaboration", "to_organisation": ORGANISATION,
                            "issue_categories": ["hikikomori"], "reasons": ["compound_issues"],
                            "urgency": "normal", "handed_over_at": "2026-06-02T00:00:00Z",
                            "worker_id": "csw-03",
                            "basis": {"kind": "consent", "consent": {"given_by": "self", "method": "written",
                                                                     "given_at": "2026-06-01T00:00:00Z"}},
                            "personal": {"persons": [{"person_id": person_id, "name": "見本 四郎"}]}}}
    uow = UnitOfWork(takikan.app)
    collaboration_handlers(takikan.app)[("outreach.person_handed_over", 1)](envelope, uow)
    takikan.app.save_events(uow.take_events(Trace.caused_by(envelope)))
    return envelope


def outreach_consent(takikan: Takikan, handler: str, type_: str, household_id: str, payload: dict):
    takikan.positions += 1
    envelope = {"event_id": str(uuid4()), "type": type_, "version": 1, "household_id": household_id,
                "correlation_id": str(uuid4()), "position": takikan.positions,
                "origin": {"service": "outreach", "organisation": "org-shakyo", "instance": "ise-csw"},
                "payload": payload}
    uow = UnitOfWork(takikan.app)
    # `handler` only names the use case: the integration table routes by type and version.
    collaboration_handlers(takikan.app)[(type_, 1)](envelope, uow)
    takikan.app.save_events(uow.take_events(Trace.caused_by(envelope)))


def test_a_hand_over_opens_a_case_caseworkers_see_and_a_withdrawal_stops_the_meeting(takikan):
    household_id, person_id, consent_id = str(uuid4()), str(uuid4()), str(uuid4())
    outreach_consent(takikan, "on_consent_recorded", "outreach.consent_obtained", household_id,
                     {"outreach_case_id": str(uuid4()), "consent_id": consent_id, "person_id": person_id,
                      "given_by": "self", "organisations": [], "purposes": ["collaboration"],
                      "method": "written", "given_at": "2026-06-01T00:00:00Z", "worker_id": "csw-03"})
    handed_over(takikan, household_id, person_id)
    case = takikan.app.open_case_of(household_id)
    assert case is not None
    rows = [r for r in takikan.app.open_cases()["cases"] if r["household_id"] == household_id]
    assert rows and rows[0]["referring_agencies"] == ["社協 CSW"]
    assert takikan.app.household_consent(household_id)["allows_collaboration"] is True
    outreach_consent(takikan, "on_consent_withdrawn", "outreach.consent_withdrawn", household_id,
                     {"outreach_case_id": str(uuid4()), "consent_id": consent_id, "person_id": person_id,
                      "withdrawn_at": "2026-06-05T00:00:00Z", "worker_id": "csw-03"})
    assert takikan.app.household_consent(household_id)["allows_collaboration"] is False
    takikan.draft(case["case_id"])
    with pytest.raises(ConsentRequired):
        takikan.meet(case["case_id"], "plan_appropriate")
    assert takikan.published("collaboration.role_requested") == []


# -- a consultation desk asks outreach ------------------------------------------------------------

AGENCY = {"agency_id": "ise-jiritsu", "name": "伊勢市 生活サポートセンター"}


def desk_request(consent_organisations: list | None) -> list:
    app = ConsultationApplication(instance="ise-jiritsu", organisation="org-jiritsu", agencies=[AGENCY])
    taken = app.receive_consultation(
        Trace.for_command(), household_id=None, agency=AGENCY,
        persons=[{"name": "見本 五郎", "kana": "ミホン ゴロウ", "birth_date": "1970-01-01", "relation": "self"}],
        received_at=datetime(2026, 6, 20, tzinfo=timezone.utc), channel="phone", consulted_by="family",
        summary="母から：息子が10年家から出ない", issue_categories=["hikikomori"], urgency="normal",
        caseworker_id="sw-2")
    if consent_organisations is not None:
        data, trace = load_command(RecordConsentSchema(), {
            "household_id": taken["household_id"], "person_id": taken["person_ids"][0], "given_by": "self",
            "organisations": consent_organisations, "method": "written", "caseworker_id": "sw-2",
            "agency": AGENCY})
        app.record_consent(trace, **data)
    data, trace = load_command(RequestOutreachSchema(), {
        "consultation_id": taken["consultation_id"], "to": CSW, "noticed": ["hikikomori", "isolation"],
        "area": "中部地区", "caseworker_id": "sw-2"})
    app.request_outreach(trace, **data)
    registry, found = consultation_translators(), []
    for n in app.recorder.select_notifications(start=0, limit=1000):
        outgoing = registry.translate(n.topic, app.mapper.to_domain_event(n))
        if outgoing and outgoing.type == "consultation.outreach_requested":
            found.append(outgoing)
    return found


def test_a_desks_outreach_request_is_addressed_and_pseudonymous_without_consent():
    [request] = desk_request(None)
    assert request.recipient == "ise-csw" and request.personal is None
    assert request.payload["noticed"] == ["hikikomori", "isolation"] and request.payload["consent_ids"] == []
    assert "見本" not in str(request.payload)


def test_a_desks_outreach_request_carries_the_person_when_consent_covers_the_outreach_organisation():
    [request] = desk_request(["org-shakyo"])
    assert request.personal["persons"][0]["name"] == "見本 五郎"
    assert request.personal["summary"] == "母から：息子が10年家から出ない"
    assert len(request.payload["consent_ids"]) == 1
    [other] = desk_request(["org-ishikai"])  # consent names another organisation: nothing personal
    assert other.personal is None
