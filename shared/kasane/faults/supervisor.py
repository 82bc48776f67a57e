"""監視役 — restarts the deployment's processes as a supervisor (systemd, runit) would: an instance
that is not running is started again within a second, unless a fault holds it down for a while.
Also the faults that act on processes: kill -9, and a restart under a skewed clock."""
from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from kasane.cli import processes
from kasane.deployment import DeployedInstance

SITECUSTOMIZE = "import kasane.faults.skewed_clock  # noqa: F401 — a faked clock for this process\n"


class Supervisor:
    def __init__(self, deployment: list[DeployedInstance]):
        self.by_instance = {d.settings.instance: d for d in deployment}
        self.extra_env: dict = {name: {} for name in self.by_instance}
        self.held_until: dict = {}
        self.restarts: Counter = Counter()
        self.last_start: dict = {}  # instance -> (when it was last started, the delay before the next)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True, name="faults-supervisor")
        self._skew_dir = Path(tempfile.gettempdir()) / f"kasane-faults-clock-{os.getpid()}-{id(self):x}"

    def start(self) -> None:
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(0.5):
            for instance, deployed in self.by_instance.items():
                with self._lock:
                    if self.held_until.get(instance, 0) > time.monotonic():
                        continue
                    if processes.running_pid(instance) is None:
                        self._restart(instance, deployed)

    def _restart(self, instance: str, deployed: DeployedInstance) -> None:
        """Start it again, waiting longer after each start that did not last (as systemd's
        RestartSec with a growing delay): a process that cannot start yet is not spawned twice a second."""
        now = time.monotonic()
        started, delay = self.last_start.get(instance, (0.0, 0.5))
        if now - started < delay:
            return
        delay = min(delay * 2, 8.0) if now - started < 30 else 0.5
        self.last_start[instance] = (now, delay)
        processes.start(deployed, self.extra_env[instance])
        self.restarts[instance] += 1

    def kill(self, instance: str, down_for: float) -> bool:
        """kill -9; the process stays down `down_for` seconds, then is started again."""
        with self._lock:
            self.held_until[instance] = time.monotonic() + down_for
            pid = processes.running_pid(instance)
            if pid is None:
                return False
            os.kill(pid, signal.SIGKILL)
            return True

    def restart_with(self, instance: str, env: dict) -> None:
        """Stop the instance (SIGTERM: it signs its head on the way out) and start it again with
        this environment added (a proxy's port, a skewed clock); {} goes back to the plain one."""
        with self._lock:
            self.extra_env[instance] = dict(env)
            processes.stop(instance)
            processes.start(self.by_instance[instance], self.extra_env[instance])
            self.restarts[instance] += 1

    def skewed(self, skew_seconds: float, env: dict | None = None) -> dict:
        """The environment of a process whose kasane clock runs `skew_seconds` off."""
        self._skew_dir.mkdir(exist_ok=True)
        (self._skew_dir / "sitecustomize.py").write_text(SITECUSTOMIZE)
        path = os.pathsep.join(p for p in (str(self._skew_dir), os.environ.get("PYTHONPATH")) if p)
        return {**(env or {}), "PYTHONPATH": path, "KASANE_FAULTS_CLOCK_SKEW_SECONDS": str(skew_seconds)}

    def stop(self) -> None:
        """Stop watching, then stop every instance (in parallel, each signing its head)."""
        from kasane.cli.operations import down
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        with self._lock:
            down(list(self.by_instance.values()), say=lambda line: None)
        shutil.rmtree(self._skew_dir, ignore_errors=True)
