"""名簿の写し over the real RabbitMQ and PostgreSQL: a directory instance and a community
instance, each its own process and database. The community instance's integration.py names no
directory event: the kernel binds its inbox to them and keeps its copy.

- applying the Matsudo profile: the community instance's copy lists Matsudo's agencies and
  areas (and holds the whole city);
- applying an edited copy of the profile (one agency removed, one area renamed): the copy shows
  the agency withdrawn and the area renamed;
- the copy survives a restart (it is event-sourced in the instance's own store);
- then an unknown area id is refused by the community command, with nothing stored.
"""
from pathlib import Path

import pytest
import yaml

from kasane.errors import InvalidCommand, NotFound

from tests.bus_helpers import admin_sql
from tests.servers import wait_until

pytestmark = pytest.mark.integration

MATSUDO = Path(__file__).resolve().parents[2] / "deploy" / "profiles" / "matsudo.yaml"
GONE = "matsudo-kikan-soudan-onbu"  # 小金基幹相談支援センター おんぶ
TOKIWADAIRA = "matsudo-tokiwadaira"
AREA_ISSUE = {"committee": "常盤平地区社協", "issue_categories": ["isolation"],
              "description": "団地の高齢者が集まれる場所がない", "raised_by": "committee_member",
              "recorded_on": "2026-07-10", "recorded_by": "csw-1"}


def edited_copy(tmp_path: Path) -> Path:
    """The Matsudo profile with one agency removed and one area renamed (a draft in tmp)."""
    data = yaml.safe_load(MATSUDO.read_text(encoding="utf-8"))
    for table in data["agency_tables"]:
        table["rows"] = [row for row in table["rows"] if row["id"] != GONE]
    next(a for a in data["areas"]["list"] if a["id"] == TOKIWADAIRA)["名称"] = "常盤平地区"
    path = tmp_path / "matsudo-draft.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def area_name(rpc, instance: str, area_id: str) -> str | None:
    areas = rpc[instance].directory_areas("matsudo")["areas"]
    return next((a["name"] for a in areas if a["area_id"] == area_id), None)


def withdrawn(rpc, instance: str) -> list:
    return [a for a in rpc[instance].directory_agencies(include_withdrawn=True) if not a["active"]]


def events_stored(deployed) -> int:
    """Events of the instance's own records (its signed checkpoints are recorded on their own)."""
    return admin_sql(deployed, "SELECT count(*) FROM kasane_events WHERE topic NOT LIKE %s",
                     ("kasane.audit.%",))[0][0]


def test_the_community_instance_keeps_a_copy_of_the_directory(platform, unique, tmp_path):
    profile = yaml.safe_load(MATSUDO.read_text(encoding="utf-8"))
    directory = platform.instance("directory", f"dircopy-dir-{unique}", organisation="松戸市")
    chiiki = platform.instance("community", f"dircopy-chiiki-{unique}", organisation=f"org-chiiki-{unique}")
    platform.start(directory, kasane_profile_paths="1")
    platform.start(chiiki)
    try:
        check_the_copy(platform, directory, chiiki, tmp_path, profile)
    finally:  # the rest of the suite need not feed these two
        platform.stop(chiiki, directory)


def check_the_copy(platform, directory, chiiki, tmp_path, profile) -> None:
    d, c = directory.settings.instance, chiiki.settings.instance
    with platform.rpc() as rpc:
        assert rpc[c].directory_cities() == []
        applied = rpc[d].apply_profile({"profile": "matsudo"})
        [city] = wait_until(lambda: [s for s in rpc[c].directory_cities() if s["complete"]],
                            timeout=60, message="the whole Matsudo directory in the copy")
        assert city == {"city": "matsudo", "name_ja": "松戸市", "areas": 15,
                        "agencies": len(applied["agencies"]["registered"]),
                        "organisations": len(profile["organisations"]), "complete": True}
        assert {a["agency_id"] for a in rpc[c].directory_agencies()} == {a["agency_id"] for a in rpc[d].agencies()}
        at_tokiwadaira = {a["agency_id"] for a in rpc[c].directory_agencies(area=TOKIWADAIRA)}
        assert {"matsudo-hokatsu-tokiwadaira", "matsudo-hokatsu-kikan"} <= at_tokiwadaira
        assert [a["agency_id"] for a in rpc[c].directory_agencies(business_line="collaboration")] == \
            ["matsudo-takikan-kyodo"]
        assert area_name(rpc, c, TOKIWADAIRA) == "常盤平"
        assert rpc[c].directory_areas("matsudo")["area_term"] == "日常生活圏域"
        with pytest.raises(InvalidCommand):
            rpc[c].directory_agencies(business_line="kosodate")
        with pytest.raises(NotFound):  # the directory keeps the original, not a copy
            rpc[d].directory_areas("matsudo")

        changes = rpc[d].apply_profile({"path": str(edited_copy(tmp_path))})
        assert changes["agencies"]["retired"] == [GONE]
        wait_until(lambda: area_name(rpc, c, TOKIWADAIRA) == "常盤平地区", timeout=30,
                   message="the renamed area in the copy")
        [gone] = wait_until(lambda: withdrawn(rpc, c), timeout=30, message="the withdrawn agency")
        assert (gone["agency_id"], gone["status_label"]) == (GONE, "廃止・無効")
        assert GONE not in {a["agency_id"] for a in rpc[c].directory_agencies()}
        copy_before = (rpc[c].directory_agencies(include_withdrawn=True), rpc[c].directory_areas("matsudo"))

    # 再起動: the copy is in the instance's own event store, not in memory.
    platform.stop(chiiki)
    platform.start(chiiki)
    with platform.rpc() as rpc:
        assert (rpc[c].directory_agencies(include_withdrawn=True), rpc[c].directory_areas("matsudo")) == copy_before
        before = events_stored(chiiki)
        with pytest.raises(InvalidCommand) as refused:
            rpc[c].record_area_issue({**AREA_ISSUE, "area": "matsudo-nowhere"})
        assert refused.value.errors == {"area": ["Not an area of the city's directory (名簿にない圏域)."]}
        assert rpc[c].area_issues() == {"area_issues": []}
        assert events_stored(chiiki) == before  # nothing stored
        recorded = rpc[c].record_area_issue({**AREA_ISSUE, "area": TOKIWADAIRA})
        assert [i["sheet_id"] for i in rpc[c].area_issues({"area": TOKIWADAIRA})["area_issues"]] == \
            [recorded["sheet_id"]]
