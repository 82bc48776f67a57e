"""プロファイルの検査 — a bad profile file is refused with the file and the field named; noise
from PDF extraction never crashes the loader."""
from pathlib import Path

import pytest
import yaml

from directory.profile import ProfileError, load_profile, profile_path

SHIPPED = Path(__file__).resolve().parents[2] / "deploy" / "profiles" / "ise.yaml"


def shipped() -> dict:
    return yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))


def write(tmp_path, data, name="city.yaml") -> Path:
    path = tmp_path / name
    text = data if isinstance(data, (str, bytes)) else yaml.safe_dump(data, allow_unicode=True)
    (path.write_bytes if isinstance(text, bytes) else path.write_text)(text)
    return path


def refused(path) -> ProfileError:
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(path) in str(caught.value)
    return caught.value


def test_a_copy_of_a_shipped_profile_loads(tmp_path):
    assert load_profile(write(tmp_path, shipped())).city_id == "ise"


def test_a_misspelt_column_is_named_with_its_path(tmp_path):
    data = shipped()
    data["agency_tables"][1]["rows"][2]["opertor"] = "ise-shakyo"
    assert "agency_tables.1.rows.2.opertor" in refused(write(tmp_path, data)).errors


def test_a_business_line_that_is_not_a_code(tmp_path):
    data = shipped()
    data["agency_tables"][0]["business_line"] = "総合相談"
    assert list(refused(write(tmp_path, data)).errors) == ["agency_tables.0.business_line"]


def test_ocr_noise_in_a_number_is_refused_not_crashed_on(tmp_path):
    data = shipped()
    data["kpi_tables"][0]["rows"][0]["target"] = "２，３００件"
    errors = refused(write(tmp_path, data)).errors
    assert list(errors) == ["kpi_tables.0.rows.0.target"]


def test_a_reference_to_an_unknown_area_or_organisation(tmp_path):
    data = shipped()
    row = data["agency_tables"][1]["rows"][0]
    row["area"], row["operator"] = "ise-higashi", "ise-unknown-hojin"
    errors = refused(write(tmp_path, data)).errors
    assert set(errors) == {f"agencies.{row['id']}.area", f"agencies.{row['id']}.operator"}


def test_a_section_that_is_not_a_city_section(tmp_path):
    data = shipped()
    data["agency_tables"][0]["所管課"] = ["ise-shakyo"]
    assert "agencies.ise-yorisoi.所管課" in refused(write(tmp_path, data)).errors


def test_an_id_used_twice_and_an_id_of_another_city(tmp_path):
    data = shipped()
    rows = data["agency_tables"][1]["rows"]
    rows[1]["id"] = rows[0]["id"]
    data["organisations"][1]["id"] = "matsudo-fukushi"
    errors = refused(write(tmp_path, data)).errors
    assert f"agencies.{rows[0]['id']}" in errors and "organisations.matsudo-fukushi" in errors


def test_a_fiscal_year_that_does_not_match_its_reiwa_year(tmp_path):
    data = shipped()
    data["kpi_tables"][0]["fiscal_year"] = 2024  # R7 is FY2025
    errors = refused(write(tmp_path, data)).errors
    assert all(where.endswith(".fiscal_year") for where in errors) and errors


def test_more_named_areas_than_the_seed_declares(tmp_path):
    data = shipped()
    data["areas"]["declared_count"] = 12
    data["areas"]["list"] = [{"id": f"ise-d{n}", "名称": f"地区{n}"} for n in range(13)]
    data["agency_tables"][1]["rows"] = [{**r, "area": None} for r in data["agency_tables"][1]["rows"]]
    assert "areas.list" in refused(write(tmp_path, data)).errors


@pytest.mark.parametrize("text", [
    "city: [unclosed\n",                      # not YAML
    "- just\n- a list\n",                     # not a mapping
    "",                                       # empty
    b"\xff\xfe\x00garbage\x00",               # not UTF-8 text
    "profile_version: 1\ncity: 松戸市\n",      # a string where a mapping belongs
])
def test_garbage_is_refused_with_a_reason(tmp_path, text):
    error = refused(write(tmp_path, text))
    assert error.errors and all(reasons for reasons in error.errors.values())


def test_a_missing_file_is_refused(tmp_path):
    assert "_file" in refused(tmp_path / "nowhere.yaml").errors


@pytest.mark.parametrize("name", ["../etc/passwd", "Matsudo", "matsudo.yaml", "", None])
def test_a_profile_name_cannot_leave_the_profiles_directory(tmp_path, name):
    with pytest.raises(ProfileError):
        profile_path(tmp_path, name)
