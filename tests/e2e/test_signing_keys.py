"""Signing keys (署名鍵): an instance refuses a key its store does not know, and replacing a key is
a recorded act (`kasane audit rotate-key`) that `kasane audit verify` follows."""
import json

import pytest

from kasane.cli.processes import log_file
from kasane.config import signing_key_file

from tests.cli_helpers import deployment_env, kasane

pytestmark = pytest.mark.e2e


@pytest.fixture
def desk(platform, unique, tmp_path):
    """A one-instance deployment that has signed a checkpoint with its first key."""
    name = f"keys-desk-{unique}"
    deployment = tmp_path / "instances.yaml"
    deployment.write_text(f"instances:\n  - {{instance: {name}, service: consultation, organisation: org-k}}\n")
    env = deployment_env(platform, deployment)
    run_once(platform, name, env)
    yield name, env
    kasane("down", env=env)


def run_once(platform, name, env, intake=None):
    from tests.samples import make_intake
    up = kasane("up", env=env)
    assert up.returncode == 0, up.stderr
    with platform.rpc() as rpc:
        rpc[name].receive_consultation(make_intake())
    assert kasane("down", env=env).returncode == 0  # signs its head on the way out


def lose_key(name):
    for path in (signing_key_file(name), signing_key_file(name).with_suffix(".pub")):
        path.unlink()


def test_an_instance_given_a_key_its_store_does_not_know_refuses_to_start_in_one_sentence(desk):
    name, env = desk
    lose_key(name)  # `make clean`, or a second checkout: a new key beside the old store
    up = kasane("up", env=env)
    assert up.returncode == 1 and "Traceback" not in up.stderr
    [line] = up.stderr.strip().splitlines()
    assert f"{name} did not start: {name}: its store holds checkpoints signed by key" in line
    assert f"kasane audit rotate-key {name} --reason" in line
    assert "running" not in kasane("status", env=env).stdout
    assert "Traceback" not in log_file(name).read_text()  # one sentence in the log too


def test_a_key_registered_by_city_it_with_a_reason_is_followed_by_verify(platform, desk):
    name, env = desk
    lose_key(name)
    refused = kasane("audit", "rotate-key", name, env=env)
    assert refused.returncode == 1 and "must give a reason" in refused.stderr
    rotated = kasane("audit", "rotate-key", name, "--reason", "鍵ファイル紛失（サーバ再構築）", env=env)
    assert rotated.returncode == 0, rotated.stderr
    assert "registered by city IT: 鍵ファイル紛失" in rotated.stdout
    run_once(platform, name, env)
    verified = kasane("audit", "verify", "--json", env=env)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    [report] = json.loads(verified.stdout)["instances"]
    assert report["key_rotations"] == 1 and report["checkpoints"] >= 2


def test_a_key_in_force_signs_its_successor_and_verify_follows_both(platform, desk):
    name, env = desk
    old_public = signing_key_file(name).with_suffix(".pub").read_text()
    rotated = kasane("audit", "rotate-key", name, env=env)
    assert rotated.returncode == 0, rotated.stderr
    assert "signed by the old key" in rotated.stdout
    assert signing_key_file(name).with_suffix(".pub").read_text() != old_public
    run_once(platform, name, env)
    verified = kasane("audit", "verify", env=env)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "検証結果: すべて正常" in verified.stdout
