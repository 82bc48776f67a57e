"""The fault campaign's checker finds each kind of violation planted in what it reads (issue 22):
a checker that finds nothing must be shown able to find something."""
from __future__ import annotations

import copy

import pytest

from kasane.bus.envelope import event_id_for
from kasane.faults import checker
from kasane.faults.checker import InboxRow, InstanceView, Observations, StoredEvent

REFERRED = event_id_for("desk", 3)
OPENED = event_id_for("takikan", 7)


def envelope(origin: str, position: int, type_: str, recipient: str | None = None, personal=False) -> dict:
    found = {"event_id": event_id_for(origin, position), "type": type_, "version": 1,
             "origin": {"instance": origin}, "position": position,
             "payload": {"personal": {"note": "x"}} if personal else {}}
    if recipient:
        found["recipient"] = {"instance": recipient}
    return found


@pytest.fixture
def held() -> Observations:
    """A desk referred a household to 多機関協働 (addressed, with personal details); collaboration
    opened a case, which the desk follows (broadcast)."""
    desk = InstanceView("desk", bindings=["ev.*.collaboration.case_opened.v1"],
                        events=[StoredEvent(3, "consultation:Referred", "cmd-1", 50),
                                StoredEvent(4, "consultation:CaseFollowed", OPENED, 61)],
                        inbox=[InboxRow("takikan", 7, OPENED, 61)])
    takikan = InstanceView("takikan", bindings=["ev.*.consultation.household_referred.v1.to.takikan"],
                           events=[StoredEvent(7, "collaboration:CaseOpened", REFERRED, 100),
                                   StoredEvent(8, "collaboration:ReferralJoined", REFERRED, 100)],
                           inbox=[InboxRow("desk", 3, REFERRED, 100)])
    other = InstanceView("other-desk", bindings=["ev.*.collaboration.case_opened.v1"],
                         inbox=[InboxRow("takikan", 7, OPENED, 12)])
    ledger = {"desk": {3: envelope("desk", 3, "consultation.household_referred", "takikan", personal=True)},
              "takikan": {7: envelope("takikan", 7, "collaboration.case_opened")}}
    return Observations({"desk": desk, "takikan": takikan, "other-desk": other}, ledger)


HISTORY = [{"kind": "command", "instance": "desk", "method": "refer_to_collaboration",
            "command_id": "cmd-1", "answer": "ok"}]


def kinds(observations, history=HISTORY, **kwargs) -> set:
    return {v.kind for v in checker.check(observations, history, **kwargs)}


def test_a_campaign_that_held_shows_no_violation(held):
    assert checker.check(held, HISTORY) == []


def test_a_deleted_inbox_row_is_found_as_a_lost_event_and_an_effect_without_its_entry(held):
    held.instances["takikan"].inbox.clear()
    assert kinds(held) == {checker.LOST, checker.EFFECT_WITHOUT_INBOX}


def test_an_event_never_processed_by_an_instance_bound_for_it_is_lost(held):
    held.instances["other-desk"].inbox.clear()
    assert [(v.kind, v.instance) for v in checker.check(held, HISTORY)] == [(checker.LOST, "other-desk")]


def test_a_duplicated_effect_of_an_incoming_event_is_found(held):
    held.instances["takikan"].events.append(StoredEvent(9, "collaboration:ReferralJoined", REFERRED, 140))
    assert kinds(held) == {checker.DUPLICATE_EFFECT}


def test_a_command_stored_twice_is_a_duplicated_effect(held):
    held.instances["desk"].events.append(StoredEvent(5, "consultation:Referred", "cmd-1", 70))
    assert kinds(held) == {checker.DUPLICATE_EFFECT}


def test_an_acknowledged_command_with_nothing_stored_is_found(held):
    held.instances["desk"].events.pop(0)
    assert kinds(held) == {checker.COMMAND_WITHOUT_EFFECT}


def test_a_command_whose_answer_never_came_may_have_taken_no_effect(held):
    held.instances["desk"].events.pop(0)
    assert kinds(held, [{**HISTORY[0], "answer": "unknown"}]) == set()


def test_a_message_processed_by_an_instance_it_was_not_addressed_to_is_found(held):
    held.instances["other-desk"].inbox.append(InboxRow("desk", 3, REFERRED, 13))
    found = checker.check(held, HISTORY)
    assert [(v.kind, v.instance) for v in found] == [(checker.WRONG_RECIPIENT, "other-desk")]
    assert "meant for takikan" in found[0].detail


def test_a_corrupted_event_reported_by_chain_verification_is_a_violation(held):
    held.instances["takikan"].chain_faults.append("altered at 7: hash differs")
    assert kinds(held) == {checker.CORRUPTED}


def test_a_dead_letter_the_harness_did_not_inject_is_found_and_its_poison_is_not(held):
    held.instances["desk"].dead_letters = [{"reason": "contract", "poison": "p-1"}]
    assert kinds(held) == set()
    held.instances["desk"].dead_letters.append({"reason": "position_conflict", "poison": None})
    assert kinds(held) == {checker.UNEXPECTED_DEAD_LETTER}


def test_personal_details_on_an_event_addressed_to_no_one_are_a_leak(held):
    leaked = copy.deepcopy(held.ledger["desk"][3])
    del leaked["recipient"]
    held.ledger["desk"][3] = leaked
    assert checker.PERSONAL_BROADCAST in kinds(held)


def test_an_instance_behind_longer_than_the_bound_after_the_last_fault_is_found(held):
    assert kinds(held, catch_up={"takikan": 30.0}, catch_up_bound=60) == set()
    assert kinds(held, catch_up={"takikan": 61.0}, catch_up_bound=60) == {checker.SLOW_CATCH_UP}


@pytest.mark.parametrize("binding, key, matches", [
    ("ev.*.a.b.v1", "ev.desk.a.b.v1", True),
    ("ev.*.a.b.v1", "ev.desk.a.b.v1.to.x", False),
    ("ev.#", "ev.desk.a.b.v1.to.x", True),
    ("ev.*.a.b.v1.to.x", "ev.desk.a.b.v1.to.y", False),
])
def test_bindings_match_routing_keys_as_the_broker_does(binding, key, matches):
    assert checker.topic_matches(binding, key) is matches


def consented(held, *, withdrawn: bool) -> Observations:
    """The referral carries person p-1, whose consent (purpose 多機関協働) the desk recorded first."""
    held.ledger["desk"][1] = {**envelope("desk", 1, "consultation.consent_recorded"),
                              "payload": {"consent_id": "c-1", "person_id": "p-1", "organisations": [],
                                          "purposes": ["collaboration"]}}
    if withdrawn:
        held.ledger["desk"][2] = {**envelope("desk", 2, "consultation.consent_withdrawn"),
                                  "payload": {"consent_id": "c-1", "person_id": "p-1"}}
    held.ledger["desk"][3]["payload"]["personal"] = {"persons": [{"person_id": "p-1"}]}
    held.organisations = {"desk": "org-desk", "takikan": "org-city"}
    return held


def test_a_persons_details_sent_under_their_consent_are_no_violation(held):
    assert kinds(consented(held, withdrawn=False)) == set()


def test_a_persons_details_sent_after_their_consent_was_withdrawn_are_found(held):
    found = checker.check(consented(held, withdrawn=True), HISTORY)
    assert [(v.kind, v.instance) for v in found] == [(checker.WITHOUT_CONSENT, "takikan")]
    assert "p-1" in found[0].detail


def test_a_support_meeting_decision_sent_to_an_organisation_outside_the_meeting_is_found(held):
    held.organisations = {"takikan": "org-city", "desk": "org-desk", "other-desk": "org-other"}
    decision = lambda to: {**envelope("takikan", 9, "collaboration.support_meeting_decided", to),  # noqa: E731
                           "payload": {"members": ["org-city", "org-desk"]}}
    held.ledger["takikan"][9] = decision("desk")
    assert checker.OUTSIDE_MEETING not in kinds(held)
    held.ledger["takikan"][9] = decision("other-desk")
    assert checker.OUTSIDE_MEETING in kinds(held)


def test_an_event_its_store_published_that_neither_the_ledger_nor_its_consumer_has_is_found(held):
    """Lost before both the ledger and every consumer: the store's own record of publication (its
    relay's reading of its log) still tells it."""
    held.ledger_instance = "ledger"
    held.instances["takikan"].published = {7: envelope("takikan", 7, "collaboration.case_opened"),
                                           8: envelope("takikan", 8, "collaboration.case_opened")}
    assert kinds(held) == {checker.UNRECORDED, checker.LOST}
    found = checker.check(held, HISTORY)
    assert {(v.kind, v.instance) for v in found} == {
        (checker.UNRECORDED, "takikan"), (checker.LOST, "desk"), (checker.LOST, "other-desk")}
    assert all("takikan#8" in v.detail for v in found)


# -- outreach's and participation's sharing ---------------------------------------------------
def outreach_sharing(held, type_: str, *, consent: dict | None, withdrawn=False, basis=None, **payload) -> Observations:
    """An outreach instance `csw` (case oc-1) shares person p-1 with 多機関協働 (org-city)."""
    ledger = {}
    if consent is not None:
        ledger[1] = {**envelope("csw", 1, "outreach.consent_obtained"),
                     "payload": {"outreach_case_id": "oc-1", "consent_id": "c-9", "person_id": "p-1", **consent}}
    if withdrawn:
        ledger[2] = {**envelope("csw", 2, "outreach.consent_withdrawn"),
                     "payload": {"outreach_case_id": "oc-1", "consent_id": "c-9", "person_id": "p-1"}}
    ledger[3] = {**envelope("csw", 3, type_, "takikan"), "household_id": "h-1",
                 "payload": {"outreach_case_id": "oc-1", "basis": basis or {"kind": "consent"}, **payload,
                             "personal": {"persons": [{"person_id": "p-1"}]}}}
    held.ledger["csw"] = ledger
    held.organisations = {"csw": "org-shakyo", "takikan": "org-city", "desk": "org-desk"}
    return held


@pytest.mark.parametrize("type_, payload", [
    ("outreach.person_handed_over", {"to_service": "collaboration"}),
    ("outreach.person_connected", {}),
])
def test_an_outreach_instance_shares_a_person_only_under_their_unwithdrawn_consent(held, type_, payload):
    by_purpose = {"organisations": [], "purposes": ["collaboration", "connection"]}
    assert kinds(outreach_sharing(held, type_, consent=by_purpose, **payload)) == set()
    by_organisation = {"organisations": ["org-city"], "purposes": []}
    assert kinds(outreach_sharing(held, type_, consent=by_organisation, **payload)) == set()
    elsewhere = {"organisations": ["org-desk"], "purposes": ["participation"]}
    assert kinds(outreach_sharing(held, type_, consent=elsewhere, **payload)) == {checker.WITHOUT_CONSENT}
    found = checker.check(outreach_sharing(held, type_, consent=by_purpose, withdrawn=True, **payload), HISTORY)
    assert [(v.kind, v.instance) for v in found] == [(checker.WITHOUT_CONSENT, "takikan")]
    assert "csw#3" in found[0].detail and "p-1" in found[0].detail


def test_a_consent_given_on_another_outreach_case_covers_nothing_here(held):
    shared = outreach_sharing(held, "outreach.person_handed_over", consent={"purposes": ["collaboration"]},
                              to_service="collaboration")
    shared.ledger["csw"][1]["payload"]["outreach_case_id"] = "oc-2"
    assert kinds(shared) == {checker.WITHOUT_CONSENT}


def test_an_outreach_hand_over_under_a_support_meeting_needs_that_decision_addressed_to_it(held):
    basis = {"kind": "support_meeting", "support_meeting": {"meeting_id": "m-1"}}
    shared = outreach_sharing(held, "outreach.person_handed_over", consent=None, basis=basis,
                              to_service="collaboration")
    assert kinds(shared) == {checker.WITHOUT_CONSENT}
    decision = {**envelope("takikan", 20, "collaboration.support_meeting_decided", "csw"), "household_id": "h-1",
                "payload": {"meeting_id": "m-1", "members": ["org-city", "org-shakyo"], "sharing_allowed": True}}
    shared.ledger["takikan"][20] = decision
    assert kinds(shared) == set()
    decision["payload"]["members"] = ["org-shakyo", "org-desk"]  # 多機関協働's organisation no member
    assert checker.WITHOUT_CONSENT in kinds(shared)


def participation_report(held, *, request_personal: bool, to: str = "takikan") -> Observations:
    request = {**envelope("takikan", 30, "collaboration.role_requested", "sanka"),
               "payload": {"request_id": "r-1"}}
    if request_personal:
        request["payload"]["personal"] = {"persons": [{"person_id": "p-1"}]}
    held.ledger["takikan"][30] = request
    held.ledger["sanka"] = {5: {**envelope("sanka", 5, "participation.host_problem_reported", to),
                                "payload": {"request_id": "r-1", "personal": {"note": "x"}}}}
    return held


def test_participation_reports_a_hosts_words_about_a_person_only_for_a_request_made_under_consent(held):
    assert kinds(participation_report(held, request_personal=True)) == set()
    found = checker.check(participation_report(held, request_personal=False), HISTORY)
    assert [(v.kind, v.instance) for v in found] == [(checker.WITHOUT_CONSENT, "takikan")]
    assert "sanka#5" in found[0].detail


def test_participation_reports_only_to_the_owner_of_the_plan_that_asked(held):
    assert kinds(participation_report(held, request_personal=True, to="desk")) == {checker.WITHOUT_CONSENT}
