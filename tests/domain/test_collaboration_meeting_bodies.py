"""会議体 — a city names its own meeting bodies in its profile (seed 001_ddff1cd5bed04970.txt §10(4):
支援調整会議, 地域ケア会議 … as 重層的支援会議 and 支援会議; 004_80d15c30c045b89b.txt §6(2):
ふくし総合支援会議 as 支援会議). The directory publishes them (city_profile_applied v2); a meeting
record says which body met and under which basis, checked against the instance's copy, and the
counts and the progress report follow the body."""
import json
from datetime import datetime, timezone
from pathlib import Path
from uuid import uuid4

import kasane_contracts

import pytest
import yaml

from kasane.errors import InvalidCommand
from kasane.report.build import build_report

from collaboration import schemas
from directory.profile import ProfileError, parse_profile

from tests.domain.collaboration_steps import ORGANISATION, Takikan
from tests.domain.test_directory_copy_fold import PROFILES, Directory, feed, stored

MEMBERS = [{"organisation": ORGANISATION, "role": "host"}, {"organisation": "org-desk", "role": "consultation"}]


def ise() -> dict:
    return yaml.safe_load((PROFILES / "ise.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def takikan():
    driver = Takikan()
    feed(driver.app, "collaboration", Directory().apply(ise()))
    return driver


def support_meeting(takikan, body_id=None, held_on="2025-06-20") -> dict:
    return takikan.run("hold_support_meeting", schemas.SupportMeetingSchema(), {
        "held_on": held_on, "caseworker_id": "tk-1", "members": MEMBERS,
        "household_ids": [str(uuid4())], "information_shared": "気になる事例の情報共有",
        **({"body_id": body_id} if body_id else {})})


def system_meeting(takikan, body_id=None, held_on="2025-06-21") -> dict:
    return takikan.run("hold_multi_layered_meeting", schemas.MultiLayeredMeetingSchema(), {
        "held_on": held_on, "caseworker_id": "tk-1", "attendees": MEMBERS,
        "system_items": ["体制の検討"], **({"body_id": body_id} if body_id else {})})


def test_the_directory_publishes_the_citys_meeting_bodies_and_the_copy_keeps_them(takikan):
    [applied] = [e for e in Directory().apply(ise()) if e["type"] == "directory.city_profile_applied"]
    assert applied["version"] == 3  # v2 brought the meeting bodies; v3 whose plans a meeting judges
    assert {b["body_id"]: b["bases"] for b in applied["payload"]["meeting_bodies"]} == {
        "ise-jusoteki-shien-kaigi": ["multi_layered"], "ise-fukushi-sogo-shien-kaigi": ["support"],
        "ise-shien-chosei-kaigi": ["other"]}
    body = takikan.app.directory.meeting_body("body_id", "ise-fukushi-sogo-shien-kaigi", "support")
    assert body == {"body_id": "ise-fukushi-sogo-shien-kaigi", "name": "ふくし総合支援会議", "basis": "support"}


@pytest.mark.parametrize("hold, body_id", [
    (support_meeting, "ise-nowhere-kaigi"),          # no body of the city
    (support_meeting, "ise-jusoteki-shien-kaigi"),   # meets as 重層的支援会議, not as 支援会議
    (system_meeting, "ise-fukushi-sogo-shien-kaigi"),  # a 支援会議 body cannot meet as 重層的支援会議
    (system_meeting, "ise-shien-chosei-kaigi"),      # another kind of meeting altogether
])
def test_a_meeting_naming_a_body_that_does_not_meet_so_is_refused_naming_the_field(takikan, hold, body_id):
    before = stored(takikan.app)
    with pytest.raises(InvalidCommand) as refused:
        hold(takikan, body_id)
    assert list(refused.value.errors) == ["body_id"]
    assert stored(takikan.app) == before


def test_counts_follow_the_body_that_met(takikan):
    support_meeting(takikan, "ise-fukushi-sogo-shien-kaigi")
    support_meeting(takikan, "ise-fukushi-sogo-shien-kaigi")
    support_meeting(takikan)  # a 支援会議 not named to a body
    system_meeting(takikan, "ise-jusoteki-shien-kaigi")
    by_body = takikan.app.fiscal_year_counts(2025)["meetings_by_body"]
    assert [(b["body_id"], b["name"], b["basis"], b["count"]) for b in by_body] == [
        ("ise-fukushi-sogo-shien-kaigi", "ふくし総合支援会議", "support", 2),
        ("ise-jusoteki-shien-kaigi", "重層的支援会議", "multi_layered", 1),
        (None, None, "support", 1)]


def test_the_yearly_report_counts_the_row_of_a_body_from_that_body_only(takikan):
    support_meeting(takikan, "ise-fukushi-sogo-shien-kaigi")
    support_meeting(takikan)
    source = {"service": "collaboration", **takikan.app.report_counts(2025)}
    profile = parse_profile(yaml.safe_dump(ise(), allow_unicode=True))
    lines = build_report(profile, 2025, [source], [], datetime(2026, 4, 1, tzinfo=timezone.utc))["business_lines"]
    rows = {r["kpi_id"]: r for line in lines for r in line["rows"]}
    assert rows["ise-r7-shien-kaigi"]["actual"] == 1  # ふくし総合支援会議 only
    assert source["counters"]["support_meetings"]["total"] == 2


def test_a_profile_body_with_an_unknown_basis_or_a_kpi_row_of_an_unknown_body_is_refused():
    data = ise()
    data["meeting_bodies"][0]["bases"] = ["town_hall"]
    with pytest.raises(ProfileError) as refused:
        parse_profile(yaml.safe_dump(data, allow_unicode=True))
    assert "meeting_bodies.0.bases.0" in refused.value.errors
    data = ise()
    data["meeting_bodies"] = data["meeting_bodies"][:1]
    with pytest.raises(ProfileError) as refused:
        parse_profile(yaml.safe_dump(data, allow_unicode=True))
    assert "kpi_targets.ise-r7-shien-kaigi.agencies" in refused.value.errors


def test_a_v1_profile_without_meeting_bodies_is_still_taken_and_then_no_body_is_refused():
    """Stored v1 events (directories before v2) still feed the copy: its areas are known, and a
    body named while no profile lists bodies is taken as given, its name unknown."""
    example = (Path(kasane_contracts.__file__).parent / "examples" / "directory.city_profile_applied.v1"
               / "valid" / "matsudo_first_applied.json")
    envelope = kasane_contracts.validate_envelope(json.loads(example.read_text(encoding="utf-8")))
    driver = Takikan()
    feed(driver.app, "collaboration", [envelope])
    assert driver.app.directory.areas("matsudo")["known"] is True
    assert driver.app.directory.meeting_body("body_id", "matsudo-any", "support")["name"] is None


def test_the_copy_lists_the_bodies_of_one_basis_for_the_pages_to_offer(takikan):
    from kasane.directory_copy.reader import DirectoryCopyReader
    reader = DirectoryCopyReader(takikan.app)
    assert [b["body_id"] for b in reader.meeting_bodies("support")] == ["ise-fukushi-sogo-shien-kaigi"]
    assert [b["name"] for b in reader.meeting_bodies("multi_layered")] == ["重層的支援会議"]
    assert {b["body_id"] for b in reader.meeting_bodies()} == {
        "ise-jusoteki-shien-kaigi", "ise-fukushi-sogo-shien-kaigi", "ise-shien-chosei-kaigi"}
    assert DirectoryCopyReader(Takikan().app).meeting_bodies("support") == []  # no profile: none named
