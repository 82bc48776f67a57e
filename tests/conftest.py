"""Fixtures shared by the whole suite.

A test run gets its own PostgreSQL databases and roles (prefix `kt<random>`) and its own
RabbitMQ vhost, and removes them at the end, so concurrent runs never see each other's data.
Domain tests use none of this. What the fixtures use lives in importable modules beside this one
(`tests.servers`, `tests.samples`): test modules import those, never this file.
"""
from __future__ import annotations

import logging
import secrets

import pytest

from kasane.bus.admin import BrokerAdmin
from kasane.bus.organisations import remove_issued_users
from kasane.cli.platform import check_infrastructure
from kasane.store.provision import drop_prefixed

from tests.samples import make_intake
from tests.servers import Platform

_RUNNING: list = []  # the session's Platform once a test asked for it


@pytest.fixture(scope="module", autouse=True)
def _each_module_stops_what_it_started():
    """A module's instances end with the module, and the queues it made go with them: dozens of
    instances left running would hold PostgreSQL's connection slots for the rest of the run, and
    a run's quorum queues would hold the broker's file handles (about two each; with them all
    taken RabbitMQ accepts no more connections)."""
    mark = len(_RUNNING[0]._started) if _RUNNING else 0
    before = _RUNNING[0].queue_names() if _RUNNING else set()
    yield
    if _RUNNING:
        _RUNNING[0].stop_started_since(mark)
        _RUNNING[0].delete_queues(_RUNNING[0].queue_names() - before)


@pytest.fixture(scope="session")
def platform(tmp_path_factory):
    """The run's slice of the servers; the process state it changes (the environment, the amqp
    logger's level) is restored after the run."""
    amqp, amqp_level = logging.getLogger("amqp"), logging.getLogger("amqp").level
    # The RPC proxy's channel close races the last publisher confirms; py-amqp warns, harmlessly.
    amqp.setLevel(logging.ERROR)
    with pytest.MonkeyPatch.context() as patch:
        state_dir = tmp_path_factory.mktemp("kasane-state")
        patch.setenv("KASANE_STATE_DIR", str(state_dir))
        p = Platform(secrets.token_hex(3), state_dir)
        _RUNNING.append(p)
        try:
            yield from _provisioned(p)
        finally:
            _RUNNING.remove(p)
            amqp.setLevel(amqp_level)


def _provisioned(p: Platform):
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
