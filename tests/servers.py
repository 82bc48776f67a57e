"""The test run's slice of the real servers (PostgreSQL, RabbitMQ) and the instances started in it.

The `platform` fixture (conftest) makes one `Platform` per run; `wait_until` polls for what a
server or an instance does next.
"""
from __future__ import annotations

import inspect
import secrets
import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from kombu import Connection

from kasane.bus.admin import BrokerAdmin
from kasane.cli import processes
from kasane.bus.organisations import remove_issued_users
from kasane.cli.platform import check_infrastructure, declare_topology
from kasane.client import rpc_cluster
from kasane.bus.sealed import ensure_receiving_key
from kasane.config import BrokerSettings, DatabaseSettings, InstanceSettings, receiving_key_file
from kasane.deployment import DeployedInstance
from kasane.store.provision import drop_prefixed, provision_instance

from tests.bus_helpers import Admissions
from tests.samples import AGENCY

TESTS_DIR = Path(__file__).resolve().parent
TEST_READER = {"name": "試験 担当", "organisation": "org-test"}
# Frames of these files are the fixtures' own, not the test module that names an instance.
_SUPPORT = (__file__, str(TESTS_DIR / "conftest.py"))


class Platform:
    """One test run's slice of the shared PostgreSQL and RabbitMQ."""

    def __init__(self, run_id: str, state_dir: Path):
        self.run_id = run_id
        # A test run keeps dozens of instances alive at once: three connections each keep the run
        # well inside PostgreSQL's default 100 (a deployment's default is 5).
        self.database = DatabaseSettings.from_env({"KASANE_DB_PREFIX": f"kt{run_id}",
                                                   "KASANE_PG_POOL_SIZE": "3"})
        self.broker = BrokerSettings.from_env({"KASANE_AMQP_VHOST": f"kasane-test-{run_id}"})
        self.state_dir = state_dir
        self._started: list[str] = []
        self._named_by: dict[str, str] = {}  # instance name -> the test module that provisioned it

    def instance(self, service: str, name: str, organisation: str | None = None,
                 agencies=(AGENCY,), owner: str | None = None) -> DeployedInstance:
        """A provisioned instance (database, roles, schema, queues); not started. `owner`: the
        test module that names it, when the call comes from elsewhere (running_instance)."""
        self._claim(name, owner)
        settings = InstanceSettings(service=service, instance=name,
                                    organisation=organisation or f"org-{name}",
                                    database=self.database, broker=self.broker)
        deployed = DeployedInstance(settings=settings, agencies=tuple(agencies))
        provision_instance(settings)
        ensure_receiving_key(receiving_key_file(name))  # as `kasane provision` does: senders seal to it
        declare_topology([deployed])
        # Every instance runs as its organisation's own bus user, as `kasane up` runs it: the
        # consumers believe an event's origin only when that user sent it (発信元の確認).
        Admissions.admit(self.broker, settings.organisation, name, audit=service == "audit")
        return deployed

    def _claim(self, name: str, owner: str | None = None) -> None:
        """Two test modules must not name an instance alike: they would share its database and
        its inbox queue, and one would receive what was published for the other."""
        caller = owner or next((frame.filename for frame in inspect.stack()[2:]
                                if frame.filename.startswith(str(TESTS_DIR)) and frame.filename not in _SUPPORT),
                               "?")
        owner = self._named_by.setdefault(name, caller)
        if owner != caller:
            raise AssertionError(f"instance name {name} is already used by {Path(owner).name}: "
                                 "name each test module's instances apart")

    def start(self, *deployed: DeployedInstance, **env) -> None:
        """Start each instance as its own process (all at once: their imports overlap) and wait
        until every one answers RPC. `env` (relay=, faults=, and variables) applies to each."""
        relay, faults = env.pop("relay", None), env.pop("faults", None)
        extra_env = {k.upper(): v for k, v in env.items()}
        for one in deployed:
            settings = one.settings
            if relay is not None:
                settings = replace(settings, relay_enabled=relay)
            if faults is not None:
                settings = replace(settings, faults=frozenset(faults))
            processes.start(replace(one, settings=settings), extra_env=extra_env)
            self._started.append(settings.instance)
        processes.wait_ready(list(deployed), timeout=60)

    def kill9(self, deployed: DeployedInstance) -> None:
        pid = processes.running_pid(deployed.settings.instance)
        os.kill(pid, signal.SIGKILL)
        wait_until(lambda: processes.running_pid(deployed.settings.instance) is None, timeout=10)

    def stop(self, *deployed: DeployedInstance) -> None:
        """Stop the instances, all at once: each takes seconds to end gracefully (its consumer
        and relay finish their turn, it signs its head)."""
        self._stop([d.settings.instance for d in deployed])

    @contextmanager
    def running(self, *deployed: DeployedInstance, **env):
        """The instances started (as `start`, with `env`) for a `with` block, stopped after it."""
        self.start(*deployed, **env)
        try:
            yield
        finally:
            self.stop(*deployed)

    def queue_names(self) -> set[str]:
        return {q["name"] for q in BrokerAdmin(self.broker).queues(self.broker.vhost)}

    def delete_queues(self, names) -> None:
        with Connection(self.broker.amqp_uri) as connection:
            channel = connection.channel()
            for name in sorted(names):
                channel.queue_delete(name)

    def stop_all(self) -> None:
        self.stop_started_since(0)

    def stop_started_since(self, mark: int) -> None:
        """Stop every instance started after `mark` (an index into the started list)."""
        self._stop(self._started[mark:])

    @staticmethod
    def _stop(instances: list[str]) -> None:
        instances = list(dict.fromkeys(instances))  # one that was restarted is stopped once
        if instances:
            with ThreadPoolExecutor(max_workers=len(instances)) as pool:
                list(pool.map(processes.stop, instances))

    @contextmanager
    def rpc(self, timeout: float = 30, reader: dict | None = None):
        with rpc_cluster(self.broker, timeout=timeout, reader=reader or TEST_READER) as rpc:
            yield rpc

    @contextmanager
    def rpc_of(self, organisation: str, reader: dict, timeout: float = 30):
        """RPC as `organisation`'s gateway calls: with its own bus user (admitted for a gateway
        of its, if it runs nothing here) as the broker-validated AMQP user_id."""
        gateway = f"{organisation}-gateway"
        creds = Admissions.admit(self.broker, organisation, gateway)
        broker = replace(self.broker, user=creds["user"], password=creds["password"])
        with rpc_cluster(broker, timeout=timeout, reader=reader, as_instance=gateway) as rpc:
            yield rpc


def running_instance(service: str, name: str):
    """A module fixture: one instance of `service` named `name`, running for the module (the
    module that assigns it owns the name)."""
    return _running_fixture(inspect.stack()[1].filename, lambda deployed: deployed[0], (service, name))


def running_instances(*named: tuple[str, str]):
    """A module fixture: the instances named by (service, name), running for the module; it
    gives them in that order."""
    return _running_fixture(inspect.stack()[1].filename, tuple, *named)


def _running_fixture(owner: str, given, *named: tuple[str, str]):
    @pytest.fixture(scope="module")
    def fixture(platform):
        deployed = [platform.instance(service, name, owner=owner) for service, name in named]
        with platform.running(*deployed):
            yield given(deployed)
    return fixture


def wait_until(predicate, timeout: float = 30, interval: float = 0.1, message="condition"):
    """Poll until predicate() is truthy; returns its value or fails the test (`message` may be a
    callable, asked only then, to say what was seen instead)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {message() if callable(message) else message}")


@contextmanager
def slice_of_servers(state_dir: Path):
    """A Platform on a vhost and databases of its own, removed with everything it started."""
    p = Platform(secrets.token_hex(3), state_dir)
    check_infrastructure(p.database, p.broker)
    admin = BrokerAdmin(p.broker)
    admin.ensure_management()
    admin.ensure_vhost(p.broker.vhost, users=(p.broker.user,))
    try:
        yield p
    finally:
        p.stop_all()
        remove_issued_users(p.broker)
        admin.delete_vhost(p.broker.vhost)
        drop_prefixed(p.database)
