"""Where a phase's CPU went: each service process, PostgreSQL, RabbitMQ, and the machine's idle
time (from /proc: user + system time of each process, and the machine's own counters).

A drain that leaves the machine idle is bound by waits (round trips, confirms, commits), one that
saturates it by CPU; which process spends the most per event says where to look next.
"""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass

_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_of(pid: str) -> tuple[str, float] | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            text = stat.read()
    except OSError:
        return None
    name, fields = text[text.index("(") + 1:text.rindex(")")], text[text.rindex(")") + 2:].split()
    return name, (int(fields[11]) + int(fields[12])) / _TICK


def _machine() -> tuple[int, int]:
    """(all ticks, idle ticks) of the machine so far."""
    with open("/proc/stat") as stat:
        ticks = [int(t) for t in stat.readline().split()[1:]]
    return sum(ticks), ticks[3] + ticks[4]


@dataclass
class CpuSnapshot:
    per_pid: dict
    machine: tuple[int, int]

    @classmethod
    def take(cls) -> CpuSnapshot:
        return cls({pid: cpu for pid in os.listdir("/proc") if pid.isdigit() and (cpu := _cpu_of(pid))},
                   _machine())


def shares(before: CpuSnapshot, after: CpuSnapshot, services: dict[int, str]) -> tuple[Counter, float]:
    """(CPU seconds per group between the snapshots, the machine's busy share). Groups: the
    services by pid (`services`: pid -> label), PostgreSQL, RabbitMQ, everything else."""
    spent: Counter = Counter()
    for pid, (name, cpu) in after.per_pid.items():
        used = cpu - before.per_pid.get(pid, (name, 0.0))[1]
        label = services.get(int(pid)) or ("PostgreSQL" if name.startswith("postgres") else
                                           "RabbitMQ" if name in ("beam.smp", "erl_child_setup") else "other")
        spent[label] += used
    total, idle = (a - b for a, b in zip(after.machine, before.machine))
    return spent, 1 - idle / total if total else 0.0


def cpu_line(before: CpuSnapshot, after: CpuSnapshot, services: dict[int, str], events: int) -> str:
    spent, busy = shares(before, after, services)
    parts = [f"{label} {seconds * 1000 / events:.2f}" for label, seconds in spent.most_common() if seconds > 0.01]
    return f"  CPU per event (ms): {', '.join(parts)}; the machine {busy:.0%} busy"
