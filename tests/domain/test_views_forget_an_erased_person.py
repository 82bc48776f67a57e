"""忘却 — a running instance's in-memory views forget a person (or household) erased by 削除請求
without a restart, showing what a view rebuilt from the store would: 廃棄済み where the details
were, the rest untouched (kasane.privacy.forgetting; the views are pure read models)."""
from datetime import datetime, timezone
from uuid import uuid4

from kasane.privacy.forgetting import forget_personal
from kasane.privacy.sealing import ERASED

from collaboration.views.persons import CasePersons
from consultation.domain.lead import Lead
from consultation.views.caseload import Caseload

AGENCY = {"agency_id": "kikan-1", "name": "基幹相談支援センター"}
HANA = {"person_id": "p-hana", "name": "見本 ハナ", "kana": "ミホン ハナ", "birth_date": "1950-04-01"}
ICHIRO = {"person_id": "p-ichiro", "name": "見本 一郎", "kana": "ミホン イチロウ", "birth_date": "1980-05-02"}


def caseload_with_a_lead(household_id: str) -> Caseload:
    lead = Lead.arrive(event_id=str(uuid4()), kind="outreach", household_id=household_id,
                       agency=AGENCY, origin={"instance": "csw-1"}, reference={}, issue_categories=["hikikomori"],
                       arrived_at=datetime(2026, 11, 20, tzinfo=timezone.utc),
                       personal={"persons": [HANA, ICHIRO], "summary": "家から出ない"})
    caseload = Caseload()
    for e in lead.collect_events():
        caseload.apply(e)
    return caseload


def awaiting_persons(caseload: Caseload) -> list:
    [lead] = caseload.open_at(AGENCY["agency_id"])["awaiting_intake"]
    return lead["personal"]["persons"]


def test_a_lead_awaiting_intake_shows_an_erased_person_as_erased_and_the_others_as_they_were():
    caseload = caseload_with_a_lead(str(uuid4()))
    caseload.forget("p-hana", household=False)
    hana, ichiro = awaiting_persons(caseload)
    assert (hana["person_id"], hana["erased"], hana["name"], hana["kana"], hana["birth_date"]) == (
        "p-hana", True, ERASED, ERASED, None)
    assert ichiro == ICHIRO


def test_a_lead_of_an_erased_household_shows_every_detail_as_erased():
    household = str(uuid4())
    caseload = caseload_with_a_lead(household)
    caseload.forget(str(uuid4()), household=True)  # another household: nothing changes
    assert awaiting_persons(caseload) == [HANA, ICHIRO]
    caseload.forget(household, household=True)
    [lead] = caseload.open_at(AGENCY["agency_id"])["awaiting_intake"]
    assert [p["name"] for p in lead["personal"]["persons"]] == [ERASED, ERASED]
    assert lead["personal"]["summary"] == ERASED
    assert lead["issue_categories"] == ["hikikomori"]  # what is not personal stays


def test_the_index_of_case_persons_matches_an_erased_person_no_more():
    persons, case, other = CasePersons(), uuid4(), uuid4()
    household = uuid4()
    persons.add(case, household, [HANA, ICHIRO])
    persons.forget("p-hana", household=False)
    found = persons.likely_same([{**HANA, "person_id": "p-new"}, {**ICHIRO, "person_id": "p-new-2"}], other)
    assert found == {(str(case), str(household)): [{"person_id": "p-new-2", "other_person_id": "p-ichiro"}]}
    assert all(k["person_id"] != "p-hana" for known in persons.by_key.values() for k in known)


def test_the_index_of_case_persons_forgets_every_person_of_an_erased_household():
    persons, household = CasePersons(), uuid4()
    persons.add(uuid4(), household, [HANA, ICHIRO])
    persons.forget(str(household), household=True)
    assert persons.by_key == {}


def test_a_personal_part_without_the_erased_subject_is_returned_as_it_was():
    personal = {"persons": [ICHIRO], "summary": "相談"}
    assert forget_personal(personal, "p-hana", False, "h-1") == personal
    assert forget_personal(None, "p-hana", True, "h-1") is None
