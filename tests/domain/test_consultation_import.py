"""データ移行 in memory: imported rows are intakes recorded once each, however often they come;
households are matched by the intake's rule and an ambiguous match is kept apart for a
caseworker, never merged; a refused row names its field and rule, never its value."""
from kasane.bus.envelope import Origin
from kasane.runtime.commands import load_command

from consultation.application import ConsultationApplication
from consultation.imports import ImportConsultationsSchema, import_consultations
from consultation.schemas import ReceiveConsultationSchema

from tests.drivers import Driver

AGENCY = {"agency_id": "imp-hokatsu", "name": "常盤平高齢者いきいき安心センター"}
HANA = {"name": "見本 ハナ", "kana": "ミホン ハナ", "birth_date": "1942-05-10", "relation": "self"}
SHA = "ab" * 32


def desk():
    app = ConsultationApplication(instance="imp-desk", organisation="org-imp", agencies=[AGENCY])
    return app, Driver(app, Origin(service="consultation", organisation="org-imp", instance="imp-desk"))


def row(number, key, persons=(HANA,), household_key=None, **intake):
    command = {"row": number, "key": key, "intake": {
        "agency": AGENCY, "received_at": "2024-06-01T10:00:00+09:00", "channel": "phone",
        "consulted_by": "self", "persons": list(persons), "caseworker_id": "移行", **intake}}
    return {**command, "household_key": household_key} if household_key else command


def run(app, rows, dry_run=False):
    data, trace = load_command(ImportConsultationsSchema(),
                               {"file_sha256": SHA, "rows": rows, "dry_run": dry_run})
    return import_consultations(app, trace, imported_by="市 情報政策課", **data)["results"]


def registered_by_a_caseworker(driver, persons=(HANA,)):
    return driver.run("receive_consultation", ReceiveConsultationSchema(), {
        "agency": AGENCY, "received_at": "2026-11-20T09:30:00+09:00", "channel": "counter",
        "consulted_by": "self", "persons": list(persons), "caseworker_id": "sw-01",
        "new_household": True})["household_id"]


def test_a_row_sent_again_is_answered_already_recorded_and_stores_nothing():
    app, driver = desk()
    first = run(app, [row(2, "k:1"), row(3, "k:2", persons=[])])
    stored = driver.stored()
    again = run(app, [row(2, "k:1"), row(3, "k:2", persons=[])])
    assert [r["status"] for r in first] == ["recorded", "recorded"]
    assert [r["status"] for r in again] == ["already_recorded", "already_recorded"]
    assert [r["consultation_id"] for r in again] == [r["consultation_id"] for r in first]
    assert driver.stored() == stored


def test_a_dry_run_answers_every_row_and_stores_nothing():
    app, driver = desk()
    answers = run(app, [row(2, "k:1"), row(3, "k:2", channel="fax")], dry_run=True)
    assert [r["status"] for r in answers] == ["recorded", "refused"]
    assert driver.stored() == 0


def test_a_refused_row_names_its_field_and_rule_never_the_value():
    app, driver = desk()
    secret = {**HANA, "birth_date": "1942-13-99"}
    [refused, good] = run(app, [row(2, "k:1", persons=[secret]), row(3, "k:2")])
    assert refused["status"] == "refused" and list(refused["errors"]["persons"][0]) == ["birth_date"]
    assert "1942-13-99" not in repr(refused) and good["status"] == "recorded"
    assert len(driver.published("consultation.consultation_received")) == 1


def test_an_imported_intake_is_published_with_its_files_digest_and_row():
    app, driver = desk()
    run(app, [row(7, "k:7", received_at="2019-05-01T09:00:00+09:00")])
    [published] = driver.published("consultation.consultation_received")
    assert published["payload"]["imported"] == {"file_sha256": SHA, "row": 7}
    assert published["payload"]["received_at"] == "2019-05-01T00:00:00Z"


def test_one_household_matching_by_kana_and_birth_date_is_joined():
    app, driver = desk()
    household = registered_by_a_caseworker(driver)
    [answer] = run(app, [row(2, "k:1", persons=[{**HANA, "kana": "みほん　はな"}])])
    assert (answer["household"], answer["household_id"]) == ("matched", household)
    assert app.household_timeline(household)["entries"]


def test_two_matching_households_are_listed_for_a_caseworker_and_nothing_is_merged():
    app, driver = desk()
    both = {registered_by_a_caseworker(driver), registered_by_a_caseworker(driver)}
    [answer] = run(app, [row(2, "k:1")])
    assert answer["household"] == "ambiguous" and set(answer["candidates"]) == both
    assert answer["household_id"] not in both
    assert not driver.published("consultation.households_merged")


def test_rows_of_one_source_household_share_it_and_its_persons():
    app, driver = desk()
    child = {"name": "見本 一郎", "kana": "ミホン イチロウ", "birth_date": "1970-01-02", "relation": "child"}
    answers = run(app, [row(2, "k:1", household_key="case-list:H1"),
                        row(3, "k:2", persons=[HANA, child], household_key="case-list:H1")])
    assert answers[0]["household_id"] == answers[1]["household_id"]
    assert answers[0]["household"] == answers[1]["household"] == "source"
    received = driver.outgoing("consultation.consultation_received")
    assert len(received) == 2
    app.views.catch_up()
    assert sorted(p["kana"] for p in app.search.persons.values()) == ["ミホン イチロウ", "ミホン ハナ"]


def test_a_row_naming_an_agency_the_instance_does_not_operate_is_refused_and_stores_nothing():
    app, driver = desk()
    [answer] = run(app, [row(2, "k:1", agency={"agency_id": "elsewhere", "name": "他市の窓口"})])
    assert answer["status"] == "refused" and list(answer["errors"]) == ["_rule"]
    assert driver.stored() == 0
