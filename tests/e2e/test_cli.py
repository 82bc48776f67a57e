"""The `kasane` command: clear one-sentence failures, and up / status / down of a deployment."""
import os

import pytest

from tests.cli_helpers import deployment_env, kasane

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("setting,expected", [
    ({"KASANE_PG_PORT": "1"}, "kasane: PostgreSQL is not reachable at 127.0.0.1:1"),
    ({"KASANE_AMQP_PORT": "1"}, "kasane: RabbitMQ is not reachable at 127.0.0.1:1"),
])
def test_demo_says_in_one_sentence_what_is_missing_and_how_to_start_it(setting, expected):
    result = kasane("demo", env=setting)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(expected) and "start it with `" in last
    assert "Traceback" not in result.stderr


def test_up_status_and_down_run_every_instance_of_a_deployment(platform, unique, tmp_path):
    deployment = tmp_path / "instances.yaml"
    deployment.write_text(f"""
instances:
  - {{instance: cli-desk-{unique}, service: consultation, organisation: org-a,
      agencies: [{{agency_id: a1, name: 窓口}}]}}
  - {{instance: cli-takikan-{unique}, service: collaboration, organisation: org-b}}
""", encoding="utf-8")
    env = deployment_env(platform, deployment)
    try:
        up = kasane("up", env=env)
        assert up.returncode == 0, up.stderr
        assert f"up: cli-desk-{unique} (consultation, org-a)" in up.stdout
        status = kasane("status", env=env)
        assert status.stdout.count("running, pid") == 2
    finally:
        down = kasane("down", env=env)
    assert down.returncode == 0 and down.stdout.count("down:") == 2
    assert kasane("status", env=env).stdout.count("stopped") == 2


def test_audit_verify_passes_after_a_flow_and_locates_a_changed_byte(platform, unique, tmp_path, intake):
    import json
    from tests.bus_helpers import admin_sql
    from kasane.deployment import load_deployment

    deployment = tmp_path / "instances.yaml"
    deployment.write_text(f"""
instances:
  - {{instance: audit-desk-{unique}, service: consultation, organisation: org-a}}
""", encoding="utf-8")
    env = deployment_env(platform, deployment)
    try:
        assert kasane("up", env=env).returncode == 0
        with platform.rpc() as rpc:
            rpc[f"audit-desk-{unique}"].receive_consultation(intake())
    finally:
        assert kasane("down", env=env).returncode == 0  # signs its head on the way out
    verified = kasane("audit", "verify", "--json", env=env)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    report = json.loads(verified.stdout)
    assert report["holds"] and report["instances"][0]["checkpoints"] >= 1

    [deployed] = load_deployment(env={**os.environ, **env})
    admin_sql(deployed, "SET session_replication_role = replica; UPDATE kasane_events SET "
                        "state = overlay(state placing '\\x58'::bytea from 5 for 1) WHERE notification_id = 1")
    tampered = kasane("audit", "verify", env=env)
    assert tampered.returncode == 1
    assert f"audit-desk-{unique}" in tampered.stdout and "position 1: altered" in tampered.stdout
