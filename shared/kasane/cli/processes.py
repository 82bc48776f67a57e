"""Starting and stopping service instances as processes of their own (`kasane up` / `down`).

Each process's pid goes to var/run/<instance>.pid and its log to var/log/<instance>.log
(KASANE_STATE_DIR moves var/). Logs hold no personal details: services never log them.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from kasane.bus import credentials
from kasane.client import rpc_cluster
from kasane.config import state_dir
from kasane.deployment import DeployedInstance
from kasane.errors import KasaneError

def pid_file(instance: str) -> Path:
    return state_dir() / "run" / f"{instance}.pid"


def log_file(instance: str) -> Path:
    return state_dir() / "log" / f"{instance}.log"


def start(deployed: DeployedInstance, extra_env: dict | None = None) -> subprocess.Popen:
    instance = deployed.settings.instance
    for path in (pid_file(instance), log_file(instance)):
        path.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **deployed.environment(), **_bus_credentials(deployed), **(extra_env or {})}
    with open(log_file(instance), "ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "kasane.runtime.run"], env=env,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    pid_file(instance).write_text(str(process.pid))
    return process


def _bus_credentials(deployed: DeployedInstance) -> dict:
    """Run the instance as its organisation's bus user, once city IT has admitted it."""
    creds = credentials.load(deployed.settings.organisation, deployed.settings.broker.vhost)
    return {"KASANE_AMQP_USER": creds["user"], "KASANE_AMQP_PASSWORD": creds["password"]} if creds else {}


def running_pid(instance: str) -> int | None:
    try:
        pid = int(pid_file(instance).read_text())
    except (FileNotFoundError, ValueError):
        return None
    return pid if _alive(pid) else None


def stop(instance: str, timeout: float = 15) -> bool:
    """SIGTERM, then SIGKILL after `timeout` seconds. True if a process was running."""
    pid = running_pid(instance)
    pid_file(instance).unlink(missing_ok=True)
    if pid is None:
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)
    return True


def _alive(pid: int) -> bool:
    """True while the process runs; reaps it if it is our child and has ended (no zombies)."""
    try:
        finished, _ = os.waitpid(pid, os.WNOHANG)
        if finished:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_ready(deployment: list[DeployedInstance], timeout: float = 60) -> dict:
    """Wait until every instance answers `health` over RPC; returns their answers."""
    broker = deployment[0].settings.broker
    deadline, answers = time.monotonic() + timeout, {}
    with rpc_cluster(broker, timeout=2) as rpc:
        for deployed in deployment:
            instance = deployed.settings.instance
            while instance not in answers:
                try:
                    answers[instance] = rpc[instance].health()
                except Exception:  # noqa: BLE001 — not up yet
                    if running_pid(instance) is None or time.monotonic() > deadline:
                        raise KasaneError(why_not_started(instance)) from None
                    time.sleep(0.2)
    return answers


def why_not_started(instance: str) -> str:
    """The instance's own one-sentence refusal (a key, a port, the database), if it gave one."""
    try:
        lines = log_file(instance).read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        lines = []
    said = next((line for line in reversed(lines[-50:]) if line.startswith("kasane: ")), None)
    reason = f": {said.removeprefix('kasane: ')}" if said else ""
    return f"{instance} did not start{reason}; see {log_file(instance)}"
