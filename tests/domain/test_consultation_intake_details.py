"""The intake carries 住所, 電話 and 性別 in its personal part only, and flags a household member
near an age hand-over point (18歳, 65歳: 002 §3 I, 001 §9(2)②) without naming the birth date."""
from datetime import date
from uuid import UUID

import pytest

from consultation import schemas
from consultation.application import ConsultationApplication
from consultation.domain.age_points import age_hand_overs
from consultation.domain.consultation import Consultation
from kasane.bus.envelope import Origin
from kasane.errors import InvalidCommand

from tests.drivers import Driver
from tests.samples import AGENCY, make_intake


@pytest.fixture
def desk():
    return Driver(ConsultationApplication(instance="desk", organisation="org-desk", agencies=[AGENCY]),
                  Origin("consultation", "org-desk", "desk"))


def test_address_phone_and_sex_are_kept_in_the_personal_part_and_never_published(desk):
    persons = [{"name": "見本 ハナ", "birth_date": "1942-05-10", "relation": "self", "sex": "female"}]
    taken = desk.run("receive_consultation", schemas.ReceiveConsultationSchema(),
                     make_intake(persons=persons, address="松戸市 見本町1-2", phone="047-000-0000"))
    consultation: Consultation = desk.app.repository.get(UUID(taken["consultation_id"]))
    assert consultation.personal["address"] == "松戸市 見本町1-2"
    assert consultation.personal["phone"] == "047-000-0000"
    assert consultation.personal["sexes"] == {taken["person_ids"][0]: "female"}
    published = str(desk.published())
    assert "見本町" not in published and "047-000" not in published and "female" not in published


def test_an_unknown_sex_code_is_refused(desk):
    with pytest.raises(InvalidCommand):
        desk.run("receive_consultation", schemas.ReceiveConsultationSchema(),
                 make_intake(persons=[{"name": "見本 ハナ", "relation": "self", "sex": "x"}]))


@pytest.mark.parametrize("born, age", [("2009-03-01", 18), ("1961-11-30", 65)])
def test_a_member_whose_18th_or_65th_birthday_comes_within_a_year_is_flagged(desk, born, age):
    persons = [{"name": "見本 次郎", "birth_date": born, "relation": "child"}]
    taken = desk.run("receive_consultation", schemas.ReceiveConsultationSchema(),
                     make_intake(persons=persons))  # received 2026-11-20
    [flag] = taken["age_hand_overs"]
    assert flag["person_id"] == taken["person_ids"][0] and flag["age"] == age
    assert born not in str(flag)


def test_no_flag_far_from_the_points_or_past_them_or_without_a_birth_date():
    persons = [{"person_id": "a", "birth_date": "2000-01-01"}, {"person_id": "b", "birth_date": "1961-11-19"},
               {"person_id": "c", "birth_date": None}]
    assert age_hand_overs(persons, date(2026, 11, 20)) == []


def test_a_birthday_on_29_february_falls_on_1_march():
    assert age_hand_overs([{"person_id": "a", "birth_date": "2008-02-29"}], date(2026, 3, 1))[0]["age"] == 18
