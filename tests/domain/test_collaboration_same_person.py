"""One household, one case (issue 19, DOMAIN §3): the same mother taken in at two desks becomes
two households there; 多機関協働, which holds both referrals' persons under consent, notices a
likely same person (kana and birth date, compared as the desks' search compares them) and its
staff join the referral to the existing case or keep them apart, recorded either way; the
referring desk learns the joined household id through the referral's answer."""
from datetime import datetime, timezone
from uuid import uuid4

import pytest

from audit.history import replay
from collaboration import schemas
from collaboration.domain.rules import CaseRuleViolation
from consultation.application import ConsultationApplication
from kasane.bus.envelope import Origin
from kasane.errors import InvalidCommand
from kasane.runtime.commands import load_command
from kasane.store.trace import Trace

from tests.domain.collaboration_steps import Takikan
from tests.drivers import Driver

MOTHER = {"name": "見本 花子", "kana": "ミホン ハナコ", "birth_date": "1946-05-01", "relation": "self"}
DESK_1 = {"service": "consultation", "organisation": "org-hokatsu", "instance": "desk-1"}
DESK_2 = {"service": "consultation", "organisation": "org-kikan", "instance": "desk-2"}


@pytest.fixture
def takikan():
    return Takikan()


def refer(takikan, desk: dict, person: dict | None, household_id: str | None = None) -> dict:
    """A referral from `desk` of a new household; with consent (persons travel) unless None."""
    envelope = referral(takikan, desk, person, household_id)
    takikan.receive(envelope)
    return {**takikan.app.open_case_of(envelope["household_id"]),
            "consultation_id": envelope["payload"]["consultation_id"], "household_id": envelope["household_id"]}


def referral(takikan, desk: dict, person: dict | None, household_id: str | None = None) -> dict:
    """The referral's envelope, not yet delivered."""
    household_id = household_id or str(uuid4())
    payload = {"referral_id": str(uuid4()), "consultation_id": str(uuid4()),
               "referring_agency": {"agency_id": desk["instance"], "name": f"{desk['instance']} の窓口"},
               "reasons": ["compound_issues"], "issue_categories": ["care"], "urgency": "normal",
               "referred_at": "2026-06-01T00:00:00Z", "caseworker_id": "sw-1"}
    if person is not None:
        payload["personal"] = {"persons": [{"person_id": str(uuid4()), **person}], "summary": "介護の相談"}
    return takikan.envelope("consultation.household_referred", household_id, payload, desk)


def checks(takikan, undecided_only=True) -> list:
    return takikan.app.same_person_checks(undecided_only)["checks"]


def decide(takikan, check_id: str, decision: str) -> dict:
    return takikan.run("decide_same_person", schemas.SamePersonDecisionSchema(),
                       {"check_id": check_id, "decision": decision, "caseworker_id": "tk-1"})


def test_the_same_mother_referred_by_a_second_desk_is_noticed_by_kana_variant_and_birth_date(takikan):
    first = refer(takikan, DESK_1, MOTHER)
    second = refer(takikan, DESK_2, {**MOTHER, "kana": "ﾐﾎﾝ　はなこ"})
    [check] = checks(takikan)
    assert (check["case_id"], check["other_case_id"]) == (second["case_id"], first["case_id"])
    assert (check["household_id"], check["other_household_id"]) == (second["household_id"], first["household_id"])
    assert "ミホン" not in str(check) and check["decision"] is None  # ids only


def test_two_referrals_of_one_person_taken_in_together_are_noticed_as_the_same_person(takikan):
    """Both in one batch of the inbox consumer: the second sees the case the first opened,
    though neither is in the instance's log yet."""
    first, second = referral(takikan, DESK_1, MOTHER), referral(takikan, DESK_2, {**MOTHER, "kana": "みほん はなこ"})
    takikan.receive_batch([first, second])
    [check] = checks(takikan)
    opened = takikan.app.open_case_of
    assert (check["case_id"], check["other_case_id"]) == (opened(second["household_id"])["case_id"],
                                                          opened(first["household_id"])["case_id"])


def test_a_person_a_batch_adds_to_a_case_it_opened_is_noticed_by_a_later_referral_of_the_batch(takikan):
    """The batch's index of held cases is kept up: the daughter joins her mother's case by a
    second referral of the household, then a second desk refers her, all in one batch."""
    daughter = {**MOTHER, "name": "見本 桃子", "kana": "ミホン モモコ", "birth_date": "1975-02-03", "relation": "child"}
    mother = referral(takikan, DESK_1, MOTHER)
    joined = referral(takikan, DESK_1, daughter, household_id=mother["household_id"])
    elsewhere = referral(takikan, DESK_2, daughter)
    takikan.receive_batch([mother, joined, elsewhere])
    [check] = checks(takikan)
    opened = takikan.app.open_case_of
    assert (check["case_id"], check["other_case_id"]) == (opened(elsewhere["household_id"])["case_id"],
                                                          opened(mother["household_id"])["case_id"])


@pytest.mark.parametrize("other", [None, {**MOTHER, "birth_date": "1946-05-02"}, {**MOTHER, "kana": "ミホン ハナエ"},
                                   {**MOTHER, "birth_date": None}])
def test_no_consent_another_birth_date_another_name_or_an_unknown_birth_date_is_not_noticed(takikan, other):
    refer(takikan, DESK_1, MOTHER)
    refer(takikan, DESK_2, other)
    assert checks(takikan) == []


def test_kept_apart_both_cases_go_on_and_the_decision_is_recorded_once(takikan):
    first, second = refer(takikan, DESK_1, MOTHER), refer(takikan, DESK_2, MOTHER)
    [check] = checks(takikan)
    decided = decide(takikan, check["check_id"], "keep_apart")
    assert (decided["decision"]["decision"], decided["decision"]["caseworker_id"]) == ("keep_apart", "tk-1")
    assert decided["decision"]["label"] == "別の世帯として分けたまま"
    assert checks(takikan) == [] and len(checks(takikan, undecided_only=False)) == 1
    assert takikan.app.case(first["case_id"])["status"] == takikan.app.case(second["case_id"])["status"] == "open"
    before = takikan.stored()
    with pytest.raises(CaseRuleViolation):
        decide(takikan, check["check_id"], "join")
    assert takikan.stored() == before


def test_joined_the_new_case_ends_and_its_referral_goes_on_in_the_existing_case_answered_to_its_desk(takikan):
    first, second = refer(takikan, DESK_1, MOTHER), refer(takikan, DESK_2, MOTHER)
    [check] = checks(takikan)
    decide(takikan, check["check_id"], "join")
    assert takikan.app.case(second["case_id"])["status"] == "joined"
    assert takikan.app.open_case_of(second["household_id"]) is None
    [answer] = takikan.published("collaboration.referral_joined_case")
    assert answer["household_id"] == first["household_id"]  # the household id the case goes by
    assert (answer["payload"]["case_id"], answer["payload"]["consultation_id"],
            answer["payload"]["origin_instance"]) == (first["case_id"], second["consultation_id"], "desk-2")
    assert "personal" not in answer["payload"]
    [ended] = takikan.published("collaboration.case_joined")  # the second household's history
    assert (ended["household_id"], ended["payload"]["into_case_id"], ended["payload"]["into_household_id"]) == (
        second["household_id"], first["case_id"], first["household_id"])
    replayed = replay(second["household_id"], [ended])["state"]["cases"][second["case_id"]]
    assert (replayed["status"], replayed["into_household_id"]) == ("統合", first["household_id"])
    counts = takikan.app.fiscal_year_counts(2026)  # one referral each, counted once
    assert (counts["referrals_received"], counts["cases_opened"]) == (2, 2)
    assert takikan.app.report_counts(2026)["counters"]["referrals_received"]["total"] == 2


def test_a_decision_not_of_the_vocabulary_is_refused_naming_the_field():
    with pytest.raises(InvalidCommand) as refused:
        load_command(schemas.SamePersonDecisionSchema(), {"check_id": str(uuid4()), "decision": "merge",
                                                          "caseworker_id": "tk-1"})
    assert list(refused.value.errors) == ["decision"]


def test_the_referring_desk_keeps_the_household_id_the_joined_case_goes_by_and_others_ignore_it():
    desk = Driver(ConsultationApplication(instance="desk-2", organisation="org-kikan",
                                          agencies=[{"agency_id": "kikan", "name": "基幹相談支援センター"}]),
                  Origin("consultation", "org-kikan", "desk-2"))
    taken = desk.app.receive_consultation(
        Trace.for_command(), household_id=None, persons=[MOTHER], new_household=True,
        agency={"agency_id": "kikan", "name": "基幹相談支援センター"}, received_at=datetime(2026, 6, 1, tzinfo=timezone.utc), channel="phone", consulted_by="self",
        caseworker_id="sw-2", urgency="normal")
    other_household = str(uuid4())
    answer = {"case_id": str(uuid4()), "referral_id": str(uuid4()), "consultation_id": taken["consultation_id"],
              "referring_agency": {"agency_id": "kikan", "name": "基幹相談支援センター"},
              "origin_instance": "desk-9", "reasons": ["compound_issues"], "joined_at": "2026-06-02T00:00:00Z"}
    origin = {"service": "collaboration", "organisation": "org-takikan", "instance": "takikan"}
    desk.deliver("collaboration.referral_joined_case", other_household, answer, origin)  # another desk's
    assert desk.app.consultation(taken["consultation_id"])["collaboration_household_id"] is None
    desk.deliver("collaboration.referral_joined_case", other_household, {**answer, "origin_instance": "desk-2"}, origin)
    assert desk.app.consultation(taken["consultation_id"])["collaboration_household_id"] == other_household
    before = desk.stored()
    desk.deliver("collaboration.referral_joined_case", other_household, {**answer, "origin_instance": "desk-2"}, origin)
    assert desk.stored() == before  # the same answer again changes nothing
