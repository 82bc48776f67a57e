"""再告知 — `kasane directory apply|announce CITY` on the real bus: an instance added after the
city's profile was applied learns the whole directory when city IT announces it again, and an
instance that already held it records nothing new."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.bus_helpers import admin_sql, inbox_rows
from tests.servers import wait_until

pytestmark = pytest.mark.e2e

KASANE = str(Path(sys.executable).with_name("kasane"))


def kasane(platform, deployment: Path, *args):
    env = {**os.environ, "KASANE_DEPLOYMENT": str(deployment), "KASANE_DB_PREFIX": platform.database.prefix,
           "KASANE_AMQP_VHOST": platform.broker.vhost}
    return subprocess.run([KASANE, *args], capture_output=True, text=True, timeout=120, env=env)


def events_stored(deployed) -> int:
    return admin_sql(deployed, "SELECT count(*) FROM kasane_events WHERE topic NOT LIKE %s",
                     ("kasane.audit.%",))[0][0]


def complete(rpc, instance: str) -> list:
    return [c for c in rpc[instance].directory_cities() if c["city"] == "matsudo" and c["complete"]]


def test_an_instance_added_late_learns_the_whole_directory_when_it_is_announced_again(platform, unique, tmp_path):
    directory = platform.instance("directory", f"ann-dir-{unique}", organisation=f"org-ann-{unique}")
    early = platform.instance("community", f"ann-early-{unique}", organisation=f"org-ann-{unique}")
    deployment = tmp_path / "instances.yaml"
    deployment.write_text(yaml.safe_dump({"city": "matsudo", "instances": [
        {"instance": directory.settings.instance, "service": "directory", "organisation": f"org-ann-{unique}"},
        {"instance": early.settings.instance, "service": "community", "organisation": f"org-ann-{unique}"},
    ]}), encoding="utf-8")
    d, e = directory.settings.instance, early.settings.instance
    platform.start(directory)
    platform.start(early)
    late = None
    try:
        applied = kasane(platform, deployment, "directory", "apply", "matsudo")
        assert applied.returncode == 0, applied.stderr
        assert "matsudo applied" in applied.stdout
        with platform.rpc() as rpc:
            [city] = wait_until(lambda: complete(rpc, e), timeout=60, message="the early copy")
            # Added only now: its inbox was not bound when the profile was applied.
            late = platform.instance("participation", f"ann-late-{unique}", organisation=f"org-ann-late-{unique}")
            platform.start(late)
            assert rpc[late.settings.instance].directory_cities() == []
            before = events_stored(early)
            heard = len(inbox_rows(early, d))

            announced = kasane(platform, deployment, "directory", "announce", "matsudo")
            assert announced.returncode == 0, announced.stderr
            assert f"{city['agencies']} agencies" in announced.stdout

            [late_city] = wait_until(lambda: complete(rpc, late.settings.instance), timeout=60,
                                     message="the late copy, complete")
            assert late_city == city
            assert (sorted(a["agency_id"] for a in rpc[late.settings.instance].directory_agencies())
                    == sorted(a["agency_id"] for a in rpc[e].directory_agencies()))
            # The early instance heard every announcement and recorded nothing new.
            wait_until(lambda: len(inbox_rows(early, d)) > heard, message="the early copy hearing it")
            wait_until(lambda: len(inbox_rows(late, d)) == len(inbox_rows(early, d)) - heard,
                       message="both having heard the same announcement")
            assert events_stored(early) == before
    finally:
        platform.stop(*(d for d in (late, early, directory) if d is not None))


def test_announcing_a_city_the_directory_does_not_hold_says_so(platform, unique, tmp_path):
    directory = platform.instance("directory", f"ann-none-{unique}", organisation=f"org-ann-{unique}")
    deployment = tmp_path / "instances.yaml"
    deployment.write_text(yaml.safe_dump({"city": "ise", "instances": [
        {"instance": directory.settings.instance, "service": "directory", "organisation": "x"}]}), encoding="utf-8")
    platform.start(directory)
    try:
        result = kasane(platform, deployment, "directory", "announce", "ise")
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "the directory holds no profile of ise" in result.stderr
    finally:
        platform.stop(directory)


def test_kasane_up_announces_again_only_while_an_instance_lacks_a_whole_copy(platform, unique, tmp_path):
    names = {role: f"ann-up-{role}-{unique}" for role in ("dir", "early", "late")}
    instances = [{"instance": names["dir"], "service": "directory", "organisation": f"org-up-{unique}"},
                 {"instance": names["early"], "service": "community", "organisation": f"org-up-{unique}"}]
    deployment = tmp_path / "instances.yaml"

    def deploy(*extra):
        deployment.write_text(yaml.safe_dump({"city": "matsudo", "instances": [*instances, *extra]}),
                              encoding="utf-8")

    deploy()
    try:
        first = kasane(platform, deployment, "up")
        assert first.returncode == 0, first.stderr
        assert "announced again" not in first.stdout  # the directory holds no city yet
        assert kasane(platform, deployment, "directory", "apply", "matsudo").returncode == 0
        with platform.rpc() as rpc:
            wait_until(lambda: complete(rpc, names["early"]), timeout=60, message="the early copy")

            deploy({"instance": names["late"], "service": "participation", "organisation": f"org-up-late-{unique}"})
            second = kasane(platform, deployment, "up")
            assert second.returncode == 0, second.stderr
            assert f"directory: matsudo announced again for {names['late']} (" in second.stdout
            wait_until(lambda: complete(rpc, names["late"]), timeout=60, message="the late copy, complete")

            third = kasane(platform, deployment, "up")
            assert third.returncode == 0 and "announced again" not in third.stdout  # every copy whole
    finally:
        assert kasane(platform, deployment, "down").returncode == 0
