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

from tests.samples import make_intake
from tests.servers import slice_of_servers

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
        with slice_of_servers(state_dir) as p:
            _RUNNING.append(p)
            try:
                yield p
            finally:
                _RUNNING.remove(p)
                amqp.setLevel(amqp_level)


@pytest.fixture
def unique():
    """A short unique suffix for instance names within one test run."""
    return secrets.token_hex(2)


@pytest.fixture
def intake():
    """Makes a valid intake sheet (相談受付) for a fictional 8050 household."""
    return make_intake
