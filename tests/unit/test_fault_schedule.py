"""The fault campaign's schedule comes from its seed, and a skewed instance's clock is skewed
(issue 22)."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone

from kasane.faults.schedule import DELAY, KINDS, LINK_KINDS, LOSS, schedule
from kasane.faults.supervisor import Supervisor

INSTANCES, CONSUMERS = ["desk-a", "desk-b", "takikan", "ledger"], ["takikan", "ledger"]


def test_the_same_seed_gives_the_same_schedule_and_another_seed_another():
    first = schedule(7, 300, INSTANCES, CONSUMERS)
    assert first == schedule(7, 300, INSTANCES, CONSUMERS)
    assert first != schedule(8, 300, INSTANCES, CONSUMERS)


def test_a_five_minute_schedule_has_every_kind_of_fault_inside_its_window():
    faults = schedule(3, 300, INSTANCES, CONSUMERS)
    assert {f.kind for f in faults} == set(KINDS)
    assert all(30 <= f.at <= 210 for f in faults)
    assert all(f.target in CONSUMERS for f in faults if f.kind == "poison")
    assert all(f.target in INSTANCES for f in faults if f.kind in LINK_KINDS)


def test_every_schedule_has_every_kind_of_fault_long_or_short():
    for seed in range(1, 31):
        for seconds in (90, 300):
            faults = schedule(seed, seconds, INSTANCES, CONSUMERS)
            assert {f.kind for f in faults} == set(KINDS), (seed, seconds)
            assert [f.at for f in faults] == sorted(f.at for f in faults)


def test_a_delay_or_a_loss_lasts_long_enough_to_matter_and_repeats_its_own_draws_with_the_seed():
    links = [f for f in schedule(5, 300, INSTANCES, CONSUMERS) if f.kind in (DELAY, LOSS)]
    assert links and all(5 <= f.seconds <= 20 and f.latency > 0 and f.seed for f in links)
    assert [f.seed for f in links] == [f.seed for f in schedule(5, 300, INSTANCES, CONSUMERS)
                                       if f.kind in (DELAY, LOSS)]


def test_a_process_started_with_a_skewed_clock_reads_kasane_time_that_far_off():
    supervisor = Supervisor([])
    env = supervisor.skewed(-3600)
    code = "import kasane.clock; print(kasane.clock.now().isoformat())"
    try:
        shown = subprocess.run([sys.executable, "-c", code], env={**os.environ, **env},
                               capture_output=True, text=True, check=True).stdout.strip()
    finally:
        supervisor.stop()
    offset = (datetime.fromisoformat(shown) - datetime.now(timezone.utc)).total_seconds()
    assert -3610 < offset < -3590


def test_the_campaign_refuses_to_cut_a_database_outside_its_own_prefix():
    import pytest
    from kasane.config import DatabaseSettings
    from kasane.faults import database

    for prefix in ("kasane", "kasane_demo", "kasane_test_x"):
        with pytest.raises(ValueError, match="only its own databases"):
            database.refuse(DatabaseSettings(prefix=prefix, host="192.0.2.1"), "matsudo-takikan")
