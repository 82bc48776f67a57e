"""データ移行, in memory, of what a row carries besides its intake: the person's consent (本人同意)
and its withdrawal, 住所・電話・性別, and the 継続相談 contacts of consultations imported earlier.
Each goes through the caseworker's own schema and domain, once per source row; a refused part
refuses its whole row and names its field and rule, never its value."""
from uuid import UUID

from kasane.bus.envelope import Origin
from kasane.runtime.commands import load_command

from consultation.application import ConsultationApplication
from consultation.import_contacts import ImportContactsSchema, import_contacts
from consultation.imports import ImportConsultationsSchema, import_consultations
from consultation.schemas import ReferToCollaborationSchema

from tests.drivers import Driver

AGENCY = {"agency_id": "imp-hokatsu", "name": "常盤平高齢者いきいき安心センター"}
HANA = {"name": "見本 ハナ", "kana": "ミホン ハナ", "birth_date": "1942-05-10", "relation": "self"}
SHA = "cd" * 32
CONSENT = {"given_by": "self", "method": "written", "purposes": ["collaboration"],
           "given_at": "2024-06-01T10:00:00+09:00"}


def desk():
    app = ConsultationApplication(instance="imp-desk", organisation="org-imp", agencies=[AGENCY],
                                  collaboration_instance="takikan")
    return app, Driver(app, Origin(service="consultation", organisation="org-imp", instance="imp-desk"))


def row(number, key, consent=None, persons=(HANA,), resolved_at=None, **intake):
    command = {"row": number, "key": key, "resolved_at": resolved_at, "intake": {
        "agency": AGENCY, "received_at": "2024-06-01T10:00:00+09:00", "channel": "phone",
        "consulted_by": "self", "persons": list(persons), "caseworker_id": "移行", **intake}}
    command = {k: v for k, v in command.items() if v is not None}
    return {**command, "consent": consent} if consent is not None else command


def run(app, rows, dry_run=False):
    data, trace = load_command(ImportConsultationsSchema(),
                               {"file_sha256": SHA, "rows": rows, "dry_run": dry_run})
    return import_consultations(app, trace, imported_by="市 情報政策課", **data)["results"]


def contacts(app, rows, dry_run=False):
    data, trace = load_command(ImportContactsSchema(), {"file_sha256": SHA, "rows": rows, "dry_run": dry_run})
    return import_contacts(app, trace, **data)["results"]


def contact(number, key, consultation_key, at="2024-06-10T10:00:00+09:00", **more):
    return {"row": number, "key": key, "consultation_key": consultation_key,
            "contact": {"contacted_at": at, "channel": "home_visit", "caseworker_id": "移行", **more}}


def referred(driver, consultation_id):
    return driver.run("refer_to_collaboration", ReferToCollaborationSchema(), {
        "consultation_id": consultation_id, "reasons": ["compound_issues"], "caseworker_id": "sw-01"})


def test_an_imported_consent_governs_a_later_referral_as_a_caseworkers_would():
    app, driver = desk()
    [given, none, other] = run(app, [
        row(2, "k:1", consent=CONSENT), row(3, "k:2", persons=[{**HANA, "kana": "ミホン ジロウ"}]),
        row(4, "k:3", persons=[{**HANA, "kana": "ミホン サブロウ"}],
            consent={**CONSENT, "purposes": [], "organisations": ["org-elsewhere"]})])
    assert [a["status"] for a in (given, none, other)] == ["recorded"] * 3
    assert referred(driver, given["consultation_id"])["shared_person_ids"] != []
    assert referred(driver, none["consultation_id"])["shared_person_ids"] == []
    assert referred(driver, other["consultation_id"])["shared_person_ids"] == []
    published = driver.published("consultation.consent_recorded")
    assert [p["payload"]["purposes"] for p in published] == [["collaboration"], []]


def test_an_imported_withdrawal_stops_sharing_and_a_second_run_records_nothing():
    app, driver = desk()
    withdrawn = {**CONSENT, "withdrawn_at": "2024-07-01T00:00:00+09:00"}
    [answer] = run(app, [row(2, "k:1", consent=withdrawn)])
    stored = driver.stored()
    assert run(app, [row(2, "k:1", consent=withdrawn)])[0]["status"] == "already_recorded"
    assert driver.stored() == stored
    assert referred(driver, answer["consultation_id"])["shared_person_ids"] == []
    assert len(driver.published("consultation.consent_withdrawn")) == 1


def test_a_consent_without_its_own_date_is_given_on_the_intakes_day():
    app, driver = desk()
    run(app, [row(2, "k:1", consent={k: v for k, v in CONSENT.items() if k != "given_at"},
                  received_at="2019-05-01T09:00:00+09:00")])
    [published] = driver.published("consultation.consent_recorded")
    assert published["payload"]["given_at"] == "2019-05-01T00:00:00Z"


def test_a_refused_consent_refuses_its_row_names_the_field_and_stores_nothing():
    app, driver = desk()
    answers = run(app, [
        row(2, "k:1", consent={**CONSENT, "purposes": ["marketing"]}),
        row(3, "k:2", consent={**CONSENT, "given_by": "self", "representative": "代理 太郎"}),
        row(4, "k:3", consent={**CONSENT, "withdrawn_at": "2024-05-01T00:00:00+09:00"}),
        row(5, "k:4", consent={**CONSENT, "person": 1})])
    assert [a["status"] for a in answers] == ["refused"] * 4
    assert list(answers[0]["errors"]["consent"]) == ["purposes"]
    assert list(answers[3]["errors"]["consent"]) == ["person"]
    assert "代理 太郎" not in repr(answers)
    assert driver.stored() == 0


def test_address_phone_and_sex_are_kept_in_the_intakes_personal_part_only():
    app, driver = desk()
    [answer] = run(app, [row(2, "k:1", persons=[{**HANA, "sex": "female"}],
                             address="松戸市常盤平1-1", phone="047-000-0000")])
    stored = app.repository.get(UUID(answer["consultation_id"]))
    assert stored.personal["address"] == "松戸市常盤平1-1" and stored.personal["phone"] == "047-000-0000"
    assert list(stored.personal["sexes"].values()) == ["female"]
    [published] = driver.published("consultation.consultation_received")
    assert "047-000-0000" not in repr(published) and "常盤平1-1" not in repr(published)


def test_contacts_join_the_consultation_of_their_source_key_once_each():
    app, driver = desk()
    [intake] = run(app, [row(2, "case-list:C1", resolved_at="2024-07-01T00:00:00+09:00")])
    assert intake["status"] == "recorded"
    rows = [contact(2, "contacts:1", "case-list:C1"), contact(3, "contacts:2", "case-list:C1", at="2024-06-20T10:00:00+09:00")]
    first = contacts(app, rows)
    assert [a["status"] for a in first] == ["recorded", "recorded"], first
    stored = driver.stored()
    assert [a["status"] for a in contacts(app, rows)] == ["already_recorded"] * 2
    assert driver.stored() == stored
    recorded = app.consultation(UUID(intake["consultation_id"]))["contacts"]
    assert sorted(c["contacted_at"][:10] for c in recorded) == ["2024-06-10", "2024-06-20"]
    counts = app.fiscal_year_counts(2024)  # 令和6年度: one new consultation, three in 延べ
    assert (counts["new"], counts["total"]) == (1, 3)


def test_a_contact_of_no_imported_consultation_or_after_its_end_is_refused_and_stores_nothing():
    app, driver = desk()
    run(app, [row(2, "case-list:C1", resolved_at="2024-07-01T00:00:00+09:00")])
    stored = driver.stored()
    answers = contacts(app, [contact(2, "c:1", "case-list:C9"),
                             contact(3, "c:2", "case-list:C1", at="2024-08-01T10:00:00+09:00"),
                             contact(4, "c:3", "case-list:C1", at="2024-05-01T10:00:00+09:00"),
                             contact(5, "c:4", "case-list:C1", channel="伝書鳩")])
    assert [a["status"] for a in answers] == ["refused"] * 4
    assert list(answers[0]["errors"]) == ["consultation"] and list(answers[3]["errors"]) == ["channel"]
    assert "伝書鳩" not in repr(answers)
    assert driver.stored() == stored


def members(app, rows, dry_run=False):
    from consultation.import_households import ImportHouseholdsSchema, import_households
    data, trace = load_command(ImportHouseholdsSchema(), {"file_sha256": SHA, "rows": rows, "dry_run": dry_run})
    return import_households(app, trace, **data)["results"]


def member(number, household, **person):
    return {"row": number, "key": f"content:{number}", "household_key": household, "agency": AGENCY,
            "caseworker_id": "移行", "person": {**HANA, **person}}


def test_a_household_sheet_joins_the_households_of_the_intakes_whichever_comes_first():
    app, driver = desk()
    son = {"name": "見本 一郎", "kana": "ミホン イチロウ", "birth_date": "1972-03-01", "relation": "child"}
    sheet = [member(2, "case-list:H1"), member(3, "case-list:H1", **son), member(4, "case-list:H2", kana="ミホン ジロウ")]
    first = members(app, sheet)
    assert [a["status"] for a in first] == ["recorded"] * 3 and first[0]["household_id"] == first[1]["household_id"]
    stored = driver.stored()
    assert [a["status"] for a in members(app, sheet)] == ["already_recorded"] * 3
    assert driver.stored() == stored
    [intake] = run(app, [{**row(2, "case-list:C1"), "household_key": "case-list:H1"}])
    assert intake["household_id"] == first[0]["household_id"] and intake["household"] == "source"
    assert len(app.repository.get(UUID(intake["household_id"])).person_ids) == 2


def test_a_member_refused_or_known_elsewhere_is_reported_and_nothing_is_merged():
    app, driver = desk()
    [refused] = members(app, [member(2, "case-list:H1", birth_date="1942-13-99")])
    assert refused["status"] == "refused" and list(refused["errors"]["person"]) == ["birth_date"]
    assert "1942-13-99" not in repr(refused) and driver.stored() == 0
    [elsewhere] = run(app, [row(2, "case-list:C9")])
    [listed] = members(app, [member(3, "case-list:H5")])
    assert listed["household"] == "ambiguous" and listed["candidates"] == [elsewhere["household_id"]]
    assert not driver.published("consultation.households_merged")


def test_a_later_export_brings_a_consent_and_its_withdrawal_to_rows_recorded_earlier_and_nothing_else():
    app, driver = desk()
    [first] = run(app, [row(2, "k:1")])
    assert referred(driver, first["consultation_id"])["shared_person_ids"] == []
    [later] = run(app, [row(2, "k:1", consent=CONSENT, summary="直した概要")])
    assert (later["status"], later["consent"]) == ("already_recorded", "recorded")
    [withdrawn] = run(app, [row(2, "k:1", consent={**CONSENT, "withdrawn_at": "2024-07-01T00:00:00+09:00"})])
    assert (withdrawn["status"], withdrawn["consent"]) == ("already_recorded", "withdrawn")
    stored = driver.stored()
    [again] = run(app, [row(2, "k:1", consent={**CONSENT, "withdrawn_at": "2024-07-01T00:00:00+09:00"})])
    assert again["status"] == "already_recorded" and "consent" not in again and driver.stored() == stored
    [given_again] = run(app, [row(2, "k:1", consent=CONSENT)])
    assert "consent" not in given_again  # a withdrawn consent is never given again by an import
    assert len(driver.published("consultation.consultation_received")) == 1
    assert len(driver.published("consultation.consent_withdrawn")) == 1
