"""Two deployments on one machine take other ports, and `kasane down` stops instances together."""
import threading

import pytest

from kasane.cli import operations
from kasane.config import ConfigurationError
from kasane.deployment import load_deployment

DEPLOYMENT = """
instances:
  - {instance: a, service: consultation, organisation: o, metrics_port: 9101}
  - {instance: b, service: collaboration, organisation: o, metrics_port: 9102}
  - {instance: c, service: audit, organisation: o}
"""


@pytest.fixture
def path(tmp_path):
    file = tmp_path / "instances.yaml"
    file.write_text(DEPLOYMENT)
    return file


def ports(path, **env):
    return [(d.settings.metrics_host, d.settings.metrics_port) for d in load_deployment(path, env=env)]


def test_the_files_ports_hold_on_loopback_when_nothing_moves_them(path):
    assert ports(path) == [("127.0.0.1", 9101), ("127.0.0.1", 9102), ("127.0.0.1", None)]


def test_a_port_offset_shifts_every_port_of_the_deployment(path):
    assert ports(path, KASANE_PORT_OFFSET="100") == [("127.0.0.1", 9201), ("127.0.0.1", 9202), ("127.0.0.1", None)]


def test_kasane_metrics_port_is_the_first_instances_port_and_the_others_follow(path):
    assert [p for _, p in ports(path, KASANE_METRICS_PORT="9500")] == [9500, 9501, 9502]


def test_metrics_listen_where_kasane_metrics_host_says(path):
    assert {h for h, _ in ports(path, KASANE_METRICS_HOST="0.0.0.0")} == {"0.0.0.0"}


def test_a_port_setting_that_is_not_a_number_is_refused_in_one_sentence(path):
    with pytest.raises(ConfigurationError, match="KASANE_PORT_OFFSET=100"):
        ports(path, KASANE_PORT_OFFSET="lots")


def test_down_stops_every_instance_at_the_same_time(path, monkeypatch):
    together = threading.Barrier(3, timeout=5)  # breaks unless all three stops run at once

    def stop(instance):
        together.wait()
        return True

    monkeypatch.setattr(operations.processes, "stop", stop)
    said = []
    operations.down(load_deployment(path, env={}), say=said.append)
    assert said == ["down: a", "down: b", "down: c"]
