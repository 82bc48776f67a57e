"""データ移行, without servers: files in UTF-8, Shift_JIS (CP932) and .xlsx read alike, 和暦 and
西暦 dates, mapping refusals that name row, column and rule but never the value, and keys that
stay the same for a record however and whenever it is exported."""
from datetime import date, time
from pathlib import Path

import pytest
from openpyxl import Workbook

from kasane.importing.dates import NotADate, parse_day
from kasane.importing.mapping import Mapping, MappingError
from kasane.importing.progress import Progress
from kasane.importing.sources import UnreadableFile, read_rows

TEMPLATES = Path(__file__).resolve().parents[2] / "deploy" / "import"
AGENCIES = [{"agency_id": "imp-hokatsu", "name": "常盤平高齢者いきいき安心センター"}]
HEADER = ["ケース番号", "世帯番号", "受付日", "相談方法", "相談者", "相談内容の分類", "氏名", "ふりがな", "生年月日"]
ROW = ["101", "H-1", "令和7年4月1日", "電話", "家族", "介護、ひきこもり・不登校", "見本 ハナ", "みほん はな", "昭和17年5月10日"]


@pytest.mark.parametrize("text, day, at", [
    ("令和7年4月1日", date(2025, 4, 1), None), ("R7.4.1", date(2025, 4, 1), None),
    ("Ｒ７．４．１", date(2025, 4, 1), None), ("令和元年5月1日", date(2019, 5, 1), None),
    ("平成31年4月30日", date(2019, 4, 30), None), ("H31/4/30", date(2019, 4, 30), None),
    ("昭和17年5月10日", date(1942, 5, 10), None), ("2025/4/1", date(2025, 4, 1), None),
    ("2025-04-01 10:30", date(2025, 4, 1), time(10, 30)), ("2025年4月1日", date(2025, 4, 1), None),
    ("20250401", date(2025, 4, 1), None), ("R7.4.1 9時05分", date(2025, 4, 1), time(9, 5)),
])
def test_wareki_and_seireki_dates_read_as_the_same_day(text, day, at):
    assert parse_day(text) == (day, at)


@pytest.mark.parametrize("text", ["令和1年4月30日", "平成32年1月1日", "令和7年2月30日", "来週", "R7.4.1 25:00"])
def test_a_day_outside_its_era_or_the_calendar_is_refused(text):
    with pytest.raises(NotADate) as refused:
        parse_day(text)
    assert text not in str(refused.value)


def write_csv(path: Path, encoding: str, rows=(ROW,)) -> Path:
    lines = [",".join(HEADER)] + [",".join(r) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def write_xlsx(path: Path, rows=(ROW,)) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append([int(row[0]), *row[1:]])  # Excel keeps a number as a number
    book.save(path)
    return path


def mapped(path: Path):
    mapping = Mapping.load(TEMPLATES / "national-case-list.yaml", agencies=AGENCIES)
    header, rows = read_rows(path)
    return mapping, header, [mapping.map_row(n, v) for n, v in rows]


@pytest.mark.parametrize("make", [
    lambda d: write_csv(d / "utf8.csv", "utf-8"), lambda d: write_csv(d / "bom.csv", "utf-8-sig"),
    lambda d: write_csv(d / "sjis.csv", "cp932"), lambda d: write_xlsx(d / "book.xlsx")])
def test_utf8_shift_jis_and_xlsx_files_give_the_same_row_and_key(tmp_path, make):
    mapping, header, [row] = mapped(make(tmp_path))
    assert header == HEADER and row.errors == []
    assert row.command["key"] == "case-list:101" and row.command["household_key"] == "case-list:H-1"
    intake = row.command["intake"]
    assert intake["received_at"] == "2025-04-01T00:00:00+09:00"
    assert (intake["channel"], intake["consulted_by"]) == ("phone", "family")
    assert intake["issue_categories"] == ["care", "hikikomori"]
    assert intake["agency"] == AGENCIES[0] | {} and intake["persons"][0]["birth_date"] == "1942-05-10"


def test_a_refusal_names_row_column_and_rule_never_the_value(tmp_path):
    bad = ["102", "", "令和7年13月1日", "FAX", "家族", "占い", "秘密 花子", "ひみつ はなこ", "きのう"]
    _, _, [good, refused] = mapped(write_csv(tmp_path / "bad.csv", "cp932", rows=(ROW, bad)))
    assert good.errors == [] and refused.command is None
    assert {(e["row"], e["column"]) for e in refused.errors} == {
        (3, "受付日"), (3, "相談方法"), (3, "相談内容の分類"), (3, "生年月日")}
    said = repr(refused.errors)
    assert not any(value in said for value in bad[2:] if value)


def test_without_a_source_id_the_key_is_the_rows_content_whatever_its_position(tmp_path):
    mapping = Mapping({"name": "t", "fields": {"received_at": "受付日"},
                       "persons": [{"kana": "ふりがな", "birth_date": "生年月日"}],
                       "defaults": {"channel": "phone", "consulted_by": "self", "caseworker_id": "移行"}},
                      agencies=AGENCIES)
    first = mapping.map_row(2, {"受付日": "R7.4.1", "ふりがな": "ミホン", "生年月日": "S17.5.10"})
    moved = mapping.map_row(90, {"受付日": "2025/4/1", "ふりがな": "ミホン", "生年月日": "1942-05-10"})
    other = mapping.map_row(3, {"受付日": "R7.4.2", "ふりがな": "ミホン", "生年月日": "S17.5.10"})
    assert first.command["key"] == moved.command["key"] != other.command["key"]
    assert first.command["key"].startswith("content:")


def test_a_mapping_naming_an_unknown_field_is_refused_in_one_sentence():
    with pytest.raises(MappingError, match="知らない項目"):
        Mapping({"fields": {"received_at": "受付日", "fax": "FAX番号"}})


def test_a_file_neither_utf8_nor_shift_jis_is_refused(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(b"\x81\x20,\xe3\x81\n")  # a broken Shift_JIS pair, a cut UTF-8 character
    with pytest.raises(UnreadableFile):
        read_rows(path)


def test_the_progress_line_shows_rows_rate_and_time_left():
    moments = iter([0.0])
    progress = Progress(1000, stream=open("/dev/null", "w"), clock=lambda: next(moments, 10.0))
    progress.advance(250)
    assert "250/1,000 行" in progress.line() and "25 行/秒" in progress.line() and "残り 0:30" in progress.line()


def test_a_kintone_export_maps_by_its_record_number_and_its_checkbox_lines(tmp_path):
    header = ["レコード番号", "相談日時", "相談経路", "相談者区分", "相談分類", "相談者氏名", "相談者氏名（カナ）", "生年月日"]
    cells = ["57", "2025-06-02 09:15", "電話", "家族", "介護\n生活困窮", "見本 ハナ", "ミホン ハナ", "1942-05-10"]
    path = tmp_path / "kintone.csv"
    path.write_bytes((",".join(header) + "\r\n" + ",".join(f'"{c}"' for c in cells) + "\r\n").encode("cp932"))
    mapping = Mapping.load(TEMPLATES / "kintone.yaml", agencies=AGENCIES)
    _, rows = read_rows(path)
    [row] = [mapping.map_row(n, v) for n, v in rows]
    assert row.errors == [] and row.command["key"] == "kintone-soudan:57"
    assert row.command["intake"]["issue_categories"] == ["care", "poverty"]
    assert row.command["intake"]["received_at"] == "2025-06-02T09:15:00+09:00"


CONSENT_HEADER = [*HEADER, "性別", "住所", "電話番号", "同意日", "同意者", "代理人氏名", "同意方法", "同意の範囲", "同意撤回日"]


def consent_row(mapping, **cells):
    values = dict(zip(HEADER, ROW)) | {"性別": "女", "住所": "松戸市常盤平1-1", "電話番号": "047-000-0000",
                                        "同意日": "R7.4.1", "同意者": "代理人", "代理人氏名": "見本 一郎",
                                        "同意方法": "口頭", "同意の範囲": "多機関協働、つなぎ", "同意撤回日": ""} | cells
    return mapping.map_row(2, values)


def test_consent_address_phone_and_sex_columns_map_to_the_services_fields():
    mapping = Mapping.load(TEMPLATES / "national-case-list.yaml", agencies=AGENCIES)
    assert set(CONSENT_HEADER) <= mapping.columns()
    row = consent_row(mapping, 同意撤回日="令和7年6月1日")
    assert row.errors == []
    assert row.command["consent"] == {
        "person": 0, "given_at": "2025-04-01T00:00:00+09:00", "given_by": "representative",
        "representative": "見本 一郎", "method": "oral", "purposes": ["collaboration", "connection"],
        "withdrawn_at": "2025-06-01T00:00:00+09:00"}
    intake = row.command["intake"]
    assert (intake["address"], intake["phone"], intake["persons"][0]["sex"]) == (
        "松戸市常盤平1-1", "047-000-0000", "female")


def test_a_row_with_no_consent_column_filled_has_no_consent_whatever_the_defaults():
    mapping = Mapping.load(TEMPLATES / "national-case-list.yaml", agencies=AGENCIES)
    empty = {c: "" for c in CONSENT_HEADER[len(HEADER) + 3:]}
    assert "consent" not in consent_row(mapping, **empty).command


def test_a_refused_consent_cell_is_named_by_its_column_never_its_value():
    mapping = Mapping.load(TEMPLATES / "national-case-list.yaml", agencies=AGENCIES)
    row = consent_row(mapping, 同意の範囲="宣伝", 同意日="きのう", 情報提供先="どこかの会社")
    assert row.command is None
    assert {e["column"] for e in row.errors} == {"同意の範囲", "同意日", "情報提供先"}
    assert not any(v in repr(row.errors) for v in ("宣伝", "きのう", "どこかの会社"))
    assert mapping.column_of(("consent", "purposes"), [0]) == "同意の範囲"


def test_a_contacts_file_names_its_consultation_by_the_intakes_source_key():
    mapping = Mapping.load(TEMPLATES / "national-contacts.yaml")
    assert mapping.rpc == "import_contacts"
    row = mapping.map_row(5, {"経過番号": "K1", "ケース番号": "101", "対応日": "R7.5.1 14:00",
                              "対応方法": "家庭訪問", "担当者": "sw-1", "対応内容": "訪問した"})
    assert row.command == {"row": 5, "key": "case-list-keika:K1", "consultation_key": "case-list:101",
                           "contact": {"contacted_at": "2025-05-01T14:00:00+09:00", "channel": "home_visit",
                                       "caseworker_id": "sw-1", "note": "訪問した"}}
    missing = mapping.map_row(6, {"経過番号": "K2", "ケース番号": "", "対応日": ""})
    assert {e["column"] for e in missing.errors} == {"ケース番号", "対応日"}
    assert mapping.missing_columns(["経過番号", "対応日"])[0] == ["ケース番号"]


def test_a_closing_day_without_a_time_is_taken_at_its_end_so_that_days_contacts_come_before_it():
    mapping = Mapping.load(TEMPLATES / "national-case-list.yaml", agencies=AGENCIES)
    row = mapping.map_row(2, dict(zip(HEADER, ROW)) | {"終結日": "令和7年6月1日"})
    assert row.command["resolved_at"] == "2025-06-01T23:59:59+09:00"


def test_a_household_sheet_maps_one_member_a_row_to_the_case_lists_household_number():
    mapping = Mapping.load(TEMPLATES / "national-households.yaml", agencies=AGENCIES)
    assert mapping.rpc == "import_households"
    row = mapping.map_row(4, {"世帯番号": "H-1", "続柄": "長男", "氏名": "見本 一郎", "ふりがな": "ミホン イチロウ",
                              "生年月日": "昭和47年3月1日"})
    assert (row.command["household_key"], row.command["agency"]) == ("case-list:H-1", AGENCIES[0])
    assert row.command["person"] == {"relation": "child", "name": "見本 一郎", "kana": "ミホン イチロウ",
                                     "birth_date": "1972-03-01"}
    refused = mapping.map_row(5, {"世帯番号": "", "続柄": "猫", "氏名": "見本 猫"})
    assert {e["column"] for e in refused.errors} == {"世帯番号", "続柄"} and "猫" not in repr(refused.errors)
    assert mapping.column_of(("person", "birth_date"), []) == "生年月日"
    assert mapping.missing_columns(["氏名"])[0] == ["世帯番号"]


def test_a_kintone_export_carries_its_consent_checkboxes_address_phone_and_sex(tmp_path):
    header = ["レコード番号", "相談日時", "相談者氏名", "相談者氏名（カナ）", "生年月日", "性別", "住所", "電話番号",
              "同意取得日", "同意方法", "同意の範囲", "情報提供先", "同意撤回日"]
    cells = ["58", "2025-06-02 09:15", "見本 ハナ", "ミホン ハナ", "1942-05-10", "女", "松戸市", "047-000-0000",
             "", "口頭", "多機関協働\nアウトリーチ", "org-shakyo", "2025-07-01"]
    path = tmp_path / "kintone-consent.csv"
    path.write_bytes((",".join(header) + "\r\n" + ",".join(f'"{c}"' for c in cells) + "\r\n").encode("utf-8"))
    mapping = Mapping.load(TEMPLATES / "kintone.yaml", agencies=AGENCIES)
    [row] = [mapping.map_row(n, v) for n, v in read_rows(path)[1]]
    assert row.errors == []
    assert row.command["consent"] == {"person": 0, "given_by": "self", "method": "oral",
                                      "purposes": ["collaboration", "outreach"], "organisations": ["org-shakyo"],
                                      "withdrawn_at": "2025-07-01T00:00:00+09:00"}
    intake = row.command["intake"]
    assert (intake["address"], intake["phone"], intake["persons"][0]["sex"]) == ("松戸市", "047-000-0000", "female")
