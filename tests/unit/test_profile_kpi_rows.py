"""Every KPI row of every city profile (deploy/profiles/*.yaml) names the counter that measures
it — one its business line counts — or is marked 手入力 with why, so the yearly report
(kasane.report) can fill every row; a row doing neither, or both, is refused by the loader."""
from pathlib import Path

import pytest
import yaml

from kasane_contracts.vocabulary import REPORT_COUNTERS

from directory.profile import ProfileError, load_profile, parse_profile

PROFILES = sorted((Path(__file__).resolve().parents[2] / "deploy" / "profiles").glob("*.yaml"))


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_every_kpi_row_of_the_profile_is_counted_by_a_known_counter_or_entered_by_hand(path):
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    for table in raw["kpi_tables"]:
        for row in table["rows"]:
            line = row.get("business_line", table.get("business_line"))
            assert ("counter" in row) != ("手入力" in row), row["id"]
            if "counter" in row:
                assert row["counter"] in REPORT_COUNTERS[line], row["id"]
            else:
                assert row["手入力"].strip(), row["id"]
    load_profile(path)  # and the loader accepts it


def ise_with(change) -> str:
    raw = yaml.safe_load((PROFILES[0].parent / "ise.yaml").read_text(encoding="utf-8"))
    change(raw["kpi_tables"][0]["rows"][0])
    return yaml.safe_dump(raw, allow_unicode=True)


@pytest.mark.parametrize("change, field", [
    (lambda row: row.pop("counter"), "kpi_tables.0.rows.0"),
    (lambda row: row.update(手入力="二重"), "kpi_tables.0.rows.0"),
    (lambda row: row.update(counter="visitors"), "kpi_targets.ise-r7-yorisoi-new.counter"),
    (lambda row: (row.pop("counter"), row.update(手入力="x", agencies="row")), "kpi_tables.0.rows.0.agencies"),
])
def test_a_row_neither_counted_nor_by_hand_or_with_a_counter_of_another_line_is_refused(change, field):
    with pytest.raises(ProfileError) as refused:
        parse_profile(ise_with(change))
    assert field in refused.value.errors
