"""The pages' form rules (gateway.pages.forms, gateway.pages.intake): 和暦 birth dates, ふりがな,
names, lengths — each refusal names its field in Japanese and never repeats what was typed."""
from datetime import date

from werkzeug.datastructures import MultiDict

from gateway.pages.forms import Form
from gateway.pages.intake import read_intake

AGENCY = {"agency_id": "a", "name": "窓口"}


def form(**values) -> Form:
    return Form(MultiDict(values))


def test_a_showa_birth_date_is_read_as_its_western_year():
    assert form(b_era="showa", b_year="17", b_month="5", b_day="10").birth_date("b", "生年月日") == date(1942, 5, 10)


def test_reiwa_1_starts_on_the_first_of_may_2019_and_heisei_31_ends_before_it():
    assert form(b_era="reiwa", b_year="1", b_month="5", b_day="1").birth_date("b", "生年月日") == date(2019, 5, 1)
    late = form(b_era="heisei", b_year="31", b_month="5", b_day="1")
    late.birth_date("b", "生年月日")
    assert late.errors == {"b_year": "生年月日の年は平成の範囲で入力してください"}


def test_a_birth_date_left_empty_is_unknown_not_wrong():
    empty = form(b_era="showa")
    assert empty.birth_date("b", "生年月日") is None and empty.ok


def test_a_future_or_impossible_birth_date_is_refused_naming_the_field():
    for day, message in (({"b_era": "seireki", "b_year": "2999", "b_month": "1", "b_day": "1"}, "未来の日付"),
                         ({"b_era": "showa", "b_year": "50", "b_month": "2", "b_day": "30"}, "実在する日付"),
                         ({"b_era": "showa", "b_year": "五十", "b_month": "2", "b_day": "3"}, "数字で")):
        f = form(**day)
        f.birth_date("b", "生年月日")
        assert message in f.errors["b_year"]


def test_markup_and_query_characters_are_refused_in_a_name_and_the_message_does_not_repeat_them():
    for typed in ("<b>見本</b>", "見本'; DROP TABLE households; --"):
        f = form(n=typed)
        f.name("n", "氏名")
        assert "使えない記号" in f.errors["n"] and typed not in f.errors["n"]


def test_ふりがな_accepts_hiragana_and_katakana_only():
    assert form(k="みほん ハナ").kana("k", "ふりがな") == "みほん ハナ"
    latin = form(k="mihon")
    latin.kana("k", "ふりがな")
    assert latin.errors == {"k": "ふりがなはひらがなかカタカナで入力してください"}


def test_the_main_topic_comes_first_among_the_categories_and_a_new_household_is_explicit():
    command, consent = read_intake(Form(MultiDict([
        ("channel", "counter"), ("consulted_by", "self"), ("p0_name", "見本 ハナ"), ("main_topic", "8050"),
        ("categories", "care"), ("categories", "8050"), ("consent", "no")])), AGENCY, {})
    assert command["issue_categories"] == ["8050", "care"] and command["area"] is None
    assert command["new_household"] is True and consent is None
    assert [p["relation"] for p in command["persons"]] == ["self"]


def test_the_intake_s_area_is_one_of_the_directory_s_or_none_and_anything_else_is_refused_by_field():
    areas = {"city-north": "北部エリア"}
    fields = [("channel", "counter"), ("consulted_by", "self"), ("p0_name", "見本 ハナ"), ("main_topic", "8050"),
              ("consent", "no")]
    chosen = Form(MultiDict([*fields, ("area", "city-north")]))
    assert read_intake(chosen, AGENCY, areas)[0]["area"] == "city-north" and chosen.ok
    unknown = Form(MultiDict([*fields, ("area", "city-south")]))
    read_intake(unknown, AGENCY, areas)
    assert unknown.errors == {"area": "日常生活圏域を選んでください"}
    assert read_intake(Form(MultiDict(fields)), AGENCY, areas)[0]["area"] is None
