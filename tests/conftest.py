"""Fixtures shared by the whole suite.

A test run gets its own PostgreSQL databases and roles (prefix `kt<random>`) and its own
RabbitMQ vhost, and removes them at the end, so concurrent runs never see each other's data.
Domain tests use none of this.
"""
from __future__ import annotations

import inspect
import logging
import os
import secrets
import signal
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from bus_helpers import Admissions
from kasane.bus.admin import BrokerAdmin
from kasane.bus.organisations import remove_issued_users
from kasane.cli import processes
from kasane.cli.platform import check_infrastructure, declare_topology
from kasane.client import rpc_cluster
from kasane.config import BrokerSettings, DatabaseSettings, InstanceSettings
from kasane.deployment import DeployedInstance
from kasane.store.provision import drop_prefixed, provision_instance

# The RPC proxy's channel close races the last publisher confirms; py-amqp warns, harmlessly.
logging.getLogger("amqp").setLevel(logging.ERROR)

TESTS_DIR = Path(__file__).resolve().parent
TEST_READER = {"name": "試験 担当", "organisation": "org-test"}
AGENCY = {"agency_id": "tokiwadaira-hokatsu", "name": "常盤平高齢者いきいき安心センター"}


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
                 agencies=(AGENCY,)) -> DeployedInstance:
        """A provisioned instance (database, roles, schema, queues); not started."""
        self._claim(name)
        settings = InstanceSettings(service=service, instance=name,
                                    organisation=organisation or f"org-{name}",
                                    database=self.database, broker=self.broker)
        deployed = DeployedInstance(settings=settings, agencies=tuple(agencies))
        provision_instance(settings)
        declare_topology([deployed])
        # Every instance runs as its organisation's own bus user, as `kasane up` runs it: the
        # consumers believe an event's origin only when that user sent it (発信元の確認).
        Admissions.admit(self.broker, settings.organisation, name, audit=service == "audit")
        return deployed

    def _claim(self, name: str) -> None:
        """Two test modules must not name an instance alike: they would share its database and
        its inbox queue, and one would receive what was published for the other."""
        caller = next((frame.filename for frame in inspect.stack()[2:]
                       if frame.filename.startswith(str(TESTS_DIR)) and not frame.filename.endswith("conftest.py")),
                      "?")
        owner = self._named_by.setdefault(name, caller)
        if owner != caller:
            raise AssertionError(f"instance name {name} is already used by {Path(owner).name}: "
                                 "name each test module's instances apart")

    def start(self, deployed: DeployedInstance, **env) -> int:
        """Start the instance as its own process and wait until it answers RPC; returns its pid."""
        if "relay" in env:
            deployed = replace(deployed, settings=replace(deployed.settings, relay_enabled=env.pop("relay")))
        if "faults" in env:
            deployed = replace(deployed, settings=replace(deployed.settings, faults=frozenset(env.pop("faults"))))
        process = processes.start(deployed, extra_env={k.upper(): v for k, v in env.items()})
        self._started.append(deployed.settings.instance)
        processes.wait_ready([deployed], timeout=60)
        return process.pid

    def kill9(self, deployed: DeployedInstance) -> None:
        pid = processes.running_pid(deployed.settings.instance)
        os.kill(pid, signal.SIGKILL)
        wait_until(lambda: processes.running_pid(deployed.settings.instance) is None, timeout=10)

    def stop(self, deployed: DeployedInstance) -> None:
        processes.stop(deployed.settings.instance)

    def stop_all(self) -> None:
        self.stop_started_since(0)

    def stop_started_since(self, mark: int) -> None:
        """Stop every instance started after `mark` (an index into the started list)."""
        for instance in self._started[mark:]:
            processes.stop(instance)

    @contextmanager
    def rpc(self, timeout: float = 30, reader: dict | None = None):
        with rpc_cluster(self.broker, timeout=timeout, reader=reader or TEST_READER) as rpc:
            yield rpc


def wait_until(predicate, timeout: float = 30, interval: float = 0.1, message: str = "condition"):
    """Poll until predicate() is truthy; returns its value or fails the test."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {message}")


_RUNNING: list = []  # the session's Platform once a test asked for it


@pytest.fixture(scope="module", autouse=True)
def _each_module_stops_what_it_started():
    """A module's instances end with the module: dozens left running would hold PostgreSQL's
    connection slots (and the broker's) for the rest of the run."""
    mark = len(_RUNNING[0]._started) if _RUNNING else 0
    yield
    if _RUNNING:
        _RUNNING[0].stop_started_since(mark)


@pytest.fixture(scope="session")
def platform(tmp_path_factory):
    state_dir = tmp_path_factory.mktemp("kasane-state")
    os.environ["KASANE_STATE_DIR"] = str(state_dir)
    with slice_of_servers(state_dir) as p:
        _RUNNING.append(p)
        yield p


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


@pytest.fixture
def unique():
    """A short unique suffix for instance names within one test run."""
    return secrets.token_hex(2)


@pytest.fixture
def intake():
    """Makes a valid intake sheet (相談受付) for a fictional 8050 household."""
    return make_intake


def make_intake(**overrides) -> dict:
    command = {
        "agency": AGENCY,
        "received_at": "2026-11-20T09:30:00+09:00",
        "channel": "phone",
        "consulted_by": "minsei_iin",
        "persons": [
            {"name": "見本 ハナ", "kana": "ミホン ハナ", "birth_date": "1942-05-10", "relation": "self"},
            {"name": "見本 一郎", "kana": "ミホン イチロウ", "relation": "child"},
        ],
        "summary": "母の介護と長男のひきこもり",
        "issue_categories": ["care", "8050", "hikikomori"],
        "urgency": "priority",
        "caseworker_id": "sw-01",
        # The caseworker's explicit choice (a new household); tests of the search itself
        # override it with household_id or by removing it.
        "new_household": True,
    }
    command.update(overrides)
    return command
