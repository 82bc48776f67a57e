"""本人同意 in 多機関協働 — role requests and hand-backs carry a person's details only where the
household's unwithdrawn consent covers the receiving organisation or purpose (DOMAIN.md §4);
支援会議 records are for their member organisations only (art. 106-6)."""
from uuid import UUID, uuid4

import pytest

from collaboration import schemas
from collaboration.domain.consent import HouseholdConsent
from collaboration.domain.rules import MeetingRuleViolation, NotAMember
from kasane.runtime.commands import load_command
from collaboration.domain.support_meeting import SupportMeeting

from tests.domain.collaboration_steps import HANAKO, ICHIRO, ORGANISATION, Takikan


@pytest.fixture
def takikan():
    return Takikan()


def test_a_role_request_carries_no_personal_detail_when_the_consent_does_not_cover_outreach(takikan):
    takikan.in_force()  # consent for 多機関協働 only, not for outreach nor the outreach organisation
    [request] = takikan.outgoing("collaboration.role_requested")
    assert request.personal is None and request.payload["consent_ids"] == []


def test_a_role_request_carries_only_the_covered_person_and_no_text_while_another_is_not_covered(takikan):
    takikan.in_force(organisations=("org-shakyo",))  # Hanako's consent names the outreach org
    [request] = takikan.outgoing("collaboration.role_requested")
    assert [p["person_id"] for p in request.personal["persons"]] == [HANAKO]
    assert set(request.personal) == {"persons", "goals"}  # notes may describe Ichiro too
    assert request.personal["goals"] == []  # the only goal is Ichiro's, who did not consent


def test_a_withdrawal_stops_the_summary_and_the_persons_going_back_with_the_hand_back(takikan):
    household, case = takikan.in_force()
    ichiro = takikan.consent(household, person_id=ICHIRO, purposes=("connection",))
    takikan.meet(case["case_id"], "closure", goals_met="partly_met", follow_up_needed=True)
    consent: HouseholdConsent = takikan.app.repository.get(HouseholdConsent.create_id(UUID(household)))
    hanako = next(c for c in consent.consents if c != ichiro)
    takikan.withdraw(household, hanako, HANAKO)
    takikan.withdraw(household, ichiro, ICHIRO)
    closed = takikan.end("close_case", case["case_id"])
    [hand_back] = takikan.outgoing("collaboration.household_handed_back")
    assert hand_back.personal is None and closed["shared_person_ids"] == []


def test_a_hand_back_to_an_organisation_outside_the_consent_carries_nothing_personal(takikan):
    household, case = takikan.in_force()
    takikan.meet(case["case_id"], "closure", goals_met="met", follow_up_needed=False)
    takikan.end("close_case", case["case_id"], hand_back_to={
        "agency": {"agency_id": "kikan", "name": "基幹相談支援センター"},
        "instance": "kikan-desk", "organisation": "org-kikan"})
    [hand_back] = takikan.outgoing("collaboration.household_handed_back")
    assert hand_back.recipient == "kikan-desk" and hand_back.personal is None


def test_no_personal_text_of_a_case_is_published_in_broadcast_events(takikan):
    household, case = takikan.in_force()
    takikan.meet(case["case_id"], "closure", goals_met="met", follow_up_needed=False,
                 evaluation="見本さん目標達成")
    takikan.end("close_case", case["case_id"])
    broadcast = [o for o in takikan.outgoing() if o.recipient is None]
    assert broadcast and all(o.personal is None for o in broadcast)
    assert "見本" not in str([o.payload for o in broadcast])


def hold_support_meeting(takikan: Takikan, household: str) -> str:
    return takikan.run("hold_support_meeting", schemas.SupportMeetingSchema(), {
        "held_on": "2026-07-10", "caseworker_id": "tk-1",
        "members": [{"organisation": ORGANISATION, "role": "host",
                     "persons": [{"staff_id": "staff-host", "secrecy_acknowledged_on": "2026-07-10"}]},
                    {"organisation": "org-hospital", "role": "related_agency",
                     "persons": [{"staff_id": "staff-msw", "secrecy_acknowledged_on": "2026-07-10"}]}],
        "household_ids": [household], "subjects": ["見本 一郎（同意なし）"],
        "information_shared": "見本さん宅の郵便物が溜まっている", "watching_policy": "民生委員が週1回声かけ",
        "urgent_actions": ["安否確認の訪問"]})["meeting_id"]


MEMBER_STAFF = {ORGANISATION: "staff-host", "org-hospital": "staff-msw"}


def read(takikan: Takikan, meeting_id: str, organisation: str, staff_id: str | None = None) -> dict:
    """As the entrypoint reads: the reader from the call's authenticated context."""
    reader = {"name": "職員", "organisation": organisation,
              "staff_id": staff_id or MEMBER_STAFF.get(organisation, "staff-outsider")}
    data, trace = load_command(schemas.ReadSupportMeetingSchema(), {"meeting_id": meeting_id})
    return takikan.app.support_meeting(trace, reader=reader, **data)


def test_a_support_meeting_record_is_read_by_a_member_person_of_a_member_organisation(takikan):
    meeting_id = hold_support_meeting(takikan, str(uuid4()))
    record = read(takikan, meeting_id, "org-hospital")
    assert record["watching_policy"] == "民生委員が週1回声かけ"
    assert record["urgent_actions"] == ["安否確認の訪問"]


def test_a_support_meeting_record_is_refused_to_a_non_member_and_the_attempt_is_recorded(takikan):
    meeting_id = hold_support_meeting(takikan, str(uuid4()))
    with pytest.raises(NotAMember) as caught:
        read(takikan, meeting_id, "org-outsider")
    assert "見本" not in str(caught.value) and "106-6" in str(caught.value)
    meeting: SupportMeeting = takikan.app.repository.get(UUID(meeting_id))
    assert [(r["organisation"], r["granted"]) for r in meeting.reads] == [("org-outsider", False)]


def test_a_support_meeting_record_is_refused_to_a_non_member_person_of_a_member_organisation(takikan):
    meeting_id = hold_support_meeting(takikan, str(uuid4()))
    with pytest.raises(NotAMember):
        read(takikan, meeting_id, "org-hospital", staff_id="staff-colleague")
    meeting: SupportMeeting = takikan.app.repository.get(UUID(meeting_id))
    assert [(r["reader_id"], r["granted"]) for r in meeting.reads] == [("staff-colleague", False)]


def test_a_member_person_without_the_secrecy_acknowledgement_is_refused_at_the_meeting(takikan):
    with pytest.raises(MeetingRuleViolation):
        takikan.run("hold_support_meeting", schemas.SupportMeetingSchema(), {
            "held_on": "2026-07-10", "caseworker_id": "tk-1", "information_shared": "共有",
            "members": [{"organisation": ORGANISATION, "role": "host", "persons": [{"staff_id": "s-1"}]},
                        {"organisation": "org-hospital", "role": "related_agency"}]})


def test_nothing_of_a_support_meeting_is_ever_published(takikan):
    meeting_id = hold_support_meeting(takikan, str(uuid4()))
    read(takikan, meeting_id, ORGANISATION)
    assert takikan.outgoing() == []


def test_a_support_meeting_needs_its_members_listed(takikan):
    before = takikan.stored()
    with pytest.raises(Exception) as caught:
        takikan.run("hold_support_meeting", schemas.SupportMeetingSchema(), {
            "held_on": "2026-07-10", "caseworker_id": "tk-1", "information_shared": "x",
            "members": [{"organisation": ORGANISATION, "role": "host"}]})
    assert "two organisations" in str(caught.value) and takikan.stored() == before
