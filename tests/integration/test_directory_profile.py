"""The directory as its own process: applying the Matsudo profile over RPC publishes every
organisation and agency on the bus; the same profile again publishes nothing; a changed profile
publishes exactly the changes (one field changed, one agency withdrawn, one section renamed)."""
import json
from collections import Counter
from pathlib import Path

import pytest
import yaml
from kasane_contracts import validate_envelope
from kombu import Connection, Queue

from kasane.bus.topology import events_exchange
from kasane.errors import InvalidCommand
from directory.profile import load_profile
from tests.servers import wait_until

pytestmark = pytest.mark.integration

MATSUDO = Path(__file__).resolve().parents[2] / "deploy" / "profiles" / "matsudo.yaml"


def take_directory_events(channel, queue: str, into: list) -> list:
    """Drain the tap; keep only the directory's events (checkpoints travel on the same keys)."""
    while (message := channel.basic_get(queue=queue, no_ack=True)) is not None:
        event = validate_envelope(json.loads(message.body))
        if event["type"].startswith("directory."):
            into.append(event)
    return into


def changed_copy(tmp_path: Path) -> Path:
    data = yaml.safe_load(MATSUDO.read_text(encoding="utf-8"))
    for table in data["agency_tables"]:
        for row in table["rows"]:
            if row["id"] == "matsudo-hokatsu-tokiwadaira":
                row.update({"運営形態": "直営", "operator": "matsudo-chiiki-hokatsu-care"})
        table["rows"] = [r for r in table["rows"] if r["id"] != "matsudo-kosodate-coord-fureai22"]
    for organisation in data["organisations"]:
        if organisation["id"] == "matsudo-chiiki-kyosei":
            organisation["name"] = "地域共生課"
    path = tmp_path / "matsudo-r8.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_profile_is_published_once_and_then_only_its_changes(platform, unique, tmp_path):
    directory = platform.instance("directory", f"dir-{unique}", organisation="松戸市")
    instance = directory.settings.instance
    profile = load_profile(MATSUDO)
    first_count = len(profile.organisations) + len(profile.agencies) + 1  # + the city's profile
    with Connection(platform.broker.amqp_uri) as connection:
        channel = connection.channel()
        tap = Queue(f"test-dir-tap-{unique}", exchange=events_exchange,
                    routing_key=f"ev.{instance}.#", exclusive=True)(channel)
        tap.declare()
        platform.start(directory, kasane_profile_paths="1")
        with platform.rpc() as rpc:
            summary = rpc[instance].apply_profile({"profile": "matsudo"})
            assert len(summary["agencies"]["registered"]) == len(profile.agencies) == 121
            seen: list = []
            wait_until(lambda: len(take_directory_events(channel, tap.name, seen)) >= first_count,
                       timeout=60, message=f"{first_count} directory events")
            assert Counter(e["type"] for e in seen) == {
                "directory.organisation_registered": len(profile.organisations),
                "directory.agency_registered": len(profile.agencies),
                "directory.city_profile_applied": 1}
            assert all(e["household_id"] is None and e["origin"]["service"] == "directory"
                       for e in seen)
            last_position = max(e["position"] for e in seen)

            assert rpc[instance].apply_profile({"profile": "matsudo"})["recorded"] == 0
            changes = rpc[instance].apply_profile({"path": str(changed_copy(tmp_path))})
            assert changes["agencies"]["retired"] == ["matsudo-kosodate-coord-fureai22"]
            later: list = []
            # Events leave in log order, so anything the re-application had published would
            # arrive before these three.
            wait_until(lambda: len(take_directory_events(channel, tap.name, later)) >= 3,
                       timeout=30, message="the three change events")
            agencies = rpc[instance].agencies(business_line="consultation")
            collaboration = rpc[instance].agencies(business_line="collaboration")
            with pytest.raises(InvalidCommand):
                rpc[instance].apply_profile({"profile": "../instances"})
        take_directory_events(channel, tap.name, later)
    assert all(e["position"] > last_position for e in later)
    assert sorted((e["type"], e["payload"].get("agency_id") or e["payload"].get("organisation_id"))
                  for e in later) == [
        ("directory.agency_changed", "matsudo-hokatsu-tokiwadaira"),
        ("directory.agency_withdrawn", "matsudo-kosodate-coord-fureai22"),
        ("directory.organisation_changed", "matsudo-chiiki-kyosei")]
    changed = next(e for e in later if e["type"] == "directory.agency_changed")["payload"]
    assert changed["changed"] == ["operating_form", "operator"] and changed["operating_form"] == "直営"
    assert "matsudo-kosodate-coord-fureai22" not in {a["agency_id"] for a in agencies}
    assert [a["agency_id"] for a in collaboration] == ["matsudo-takikan-kyodo"]


def test_a_profile_path_is_refused_unless_the_instance_allows_it(platform, unique):
    directory = platform.instance("directory", f"dir-closed-{unique}", organisation="松戸市")
    platform.start(directory)
    with platform.rpc() as rpc:
        with pytest.raises(InvalidCommand) as refused:
            rpc[directory.settings.instance].apply_profile({"path": str(MATSUDO)})
        assert "KASANE_PROFILE_PATHS" in str(refused.value)
        with pytest.raises(InvalidCommand):
            rpc[directory.settings.instance].apply_profile({"profile": "nowhere"})
        assert rpc[directory.settings.instance].organisations() == []
