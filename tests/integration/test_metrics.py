"""稼働監視 — an instance's /health and Prometheus /metrics, read over HTTP from its process."""
import socket

import pytest
import requests

from tests.servers import wait_until

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_instance_exposes_health_and_prometheus_metrics_without_personal_details(platform, unique, intake):
    desk = platform.instance("consultation", f"metrics-desk-{unique}")
    port = free_port()
    platform.start(desk, kasane_metrics_port=str(port))
    try:
        with platform.rpc() as rpc:
            rpc[desk.settings.instance].receive_consultation(intake())
        metrics = wait_until(lambda: (r := requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5)).ok
                             and 'kasane_relay_lag{' in r.text and "kasane_events_relayed_total{" in r.text
                             and r.text, message="metrics")
        values = {line.split("{")[0]: float(line.rsplit(" ", 1)[1])
                  for line in metrics.splitlines() if line and not line.startswith("#")}
        assert values["kasane_up"] == 1 and values["kasane_events_recorded"] >= 2
        assert values["kasane_inbox_oldest_age_seconds"] == 0  # its inbox holds nothing waiting
        wait_until(lambda: "kasane_relay_lag{" in (t := requests.get(f"http://127.0.0.1:{port}/metrics").text)
                   and float([s for s in t.splitlines() if s.startswith("kasane_relay_lag{")][0].rsplit(" ", 1)[1]) == 0,
                   message="the relay catching up")
        health = requests.get(f"http://127.0.0.1:{port}/health", timeout=5).json()
        assert health["instance"] == desk.settings.instance and health["relay"]["errors"] == 0
        assert "見本" not in metrics and "ミホン" not in str(health)
    finally:
        platform.stop(desk)
