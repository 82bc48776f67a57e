"""The campaign's own RabbitMQ node (試験用ブローカー): started beside the shared broker, on free
ports, with its own name, data, logs, configuration and Erlang cookie under a temporary
directory, so that stopping it (a fault) or removing it (the end) never touches anyone else's.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from kasane.config import BrokerSettings
from kasane.errors import InfrastructureUnavailable


# The scripts themselves, not Debian's wrappers (which `su` to the rabbitmq user and its HOME,
# hence to the shared node's cookie): the node runs as the harness's own process.
SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server"
CTL = "/usr/lib/rabbitmq/bin/rabbitmqctl"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class BrokerNode:
    name: str
    home: Path
    amqp_port: int
    dist_port: int
    management_port: int

    @classmethod
    def create(cls, tag: str) -> "BrokerNode":
        home = Path(tempfile.mkdtemp(prefix=f"kasane-faults-{tag}-"))
        node = cls(f"kasane-faults-{tag}@localhost", home, free_port(), free_port(), free_port())
        node._write_configuration()
        return node

    def _write_configuration(self) -> None:
        (self.home / "rabbitmq.conf").write_text(
            f"listeners.tcp.local = 127.0.0.1:{self.amqp_port}\n"
            f"management.tcp.port = {self.management_port}\nmanagement.tcp.ip = 127.0.0.1\n"
            "loopback_users = none\n"
            "collect_statistics_interval = 1000\n")  # queue depths fresh enough to time a catch-up
        (self.home / "enabled_plugins").write_text("[rabbitmq_management].\n")
        (self.home / "rabbitmq-env.conf").write_text("")  # not the machine's (which names the shared node)

    def environment(self) -> dict:
        return {**os.environ, "HOME": str(self.home), "RABBITMQ_NODENAME": self.name,
                "RABBITMQ_NODE_PORT": str(self.amqp_port), "RABBITMQ_DIST_PORT": str(self.dist_port),
                "RABBITMQ_MNESIA_BASE": str(self.home / "mnesia"), "RABBITMQ_LOG_BASE": str(self.home / "log"),
                "RABBITMQ_CONFIG_FILE": str(self.home / "rabbitmq.conf"),
                "RABBITMQ_CONF_ENV_FILE": str(self.home / "rabbitmq-env.conf"),
                "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.home / "enabled_plugins"),
                "RABBITMQ_PID_FILE": str(self.home / "node.pid"),
                "ERL_EPMD_ADDRESS": "127.0.0.1"}

    def ctl(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run([CTL, "-n", self.name, *args], env=self.environment(),
                              capture_output=True, text=True, timeout=timeout)

    def start(self) -> None:
        if not Path(SERVER).exists():
            raise InfrastructureUnavailable(f"the campaign starts its own RabbitMQ node from {SERVER}; "
                                            "install Debian's rabbitmq-server (`apt-get install rabbitmq-server`)")
        subprocess.run([SERVER, "-detached"], env=self.environment(), check=True,
                       capture_output=True, timeout=60)
        # -detached returns before the node is registered: `wait` follows its pid file.
        done = self.ctl("wait", str(self.home / "node.pid"), "--timeout", "120", timeout=150)
        if done.returncode != 0:
            raise InfrastructureUnavailable(f"the campaign's broker node {self.name} did not start: "
                                            f"{done.stderr.strip()[-300:]}")
        self._wait_management()

    def _wait_management(self, seconds: float = 60) -> None:
        import requests
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{self.management_port}/api/overview",
                                auth=("guest", "guest"), timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise InfrastructureUnavailable(f"the management API of {self.name} did not answer")

    def stop_app(self) -> None:
        self.ctl("stop_app")

    def start_app(self) -> None:
        self.ctl("start_app")
        self.ctl("await_startup", "--timeout", "120", timeout=150)

    def remove(self) -> None:
        """Stop this node (and only it) and delete its directory."""
        pid_file = self.home / "node.pid"
        pid = int(pid_file.read_text().strip()) if pid_file.exists() else None
        self.ctl("stop", str(pid_file), timeout=90)  # returns once the node's process has ended
        if pid is not None:
            try:
                os.kill(pid, 0)
                os.kill(pid, 9)  # it did not stop when asked: this node's process only, by its pid
            except ProcessLookupError:
                pass
        shutil.rmtree(self.home, ignore_errors=True)

    def settings(self, vhost: str, port: int | None = None) -> BrokerSettings:
        """How a deployment reaches this node (`port`: through a proxy the harness owns)."""
        return BrokerSettings(host="127.0.0.1", port=port or self.amqp_port, vhost=vhost,
                              management_url=f"http://127.0.0.1:{self.management_port}")
