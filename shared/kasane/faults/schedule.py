"""故障計画 — the faults of a campaign, drawn from its seed: the same seed, duration and deployment
give the same schedule (kinds, targets, moments, lengths), so a failing run can be run again.
"""
from __future__ import annotations

import random
from dataclasses import asdict, dataclass

KILL, BROKER, DATABASE, NETWORK, CLOCK, POISON = "kill", "broker", "database", "network", "clock", "poison"
DELAY, LOSS = "delay", "loss"  # the link of one instance to the broker slowed, or stalling (loopback proxy)
KINDS = (KILL, BROKER, DATABASE, NETWORK, DELAY, LOSS, CLOCK, POISON)
LINK_KINDS = (NETWORK, DELAY, LOSS)


@dataclass(frozen=True)
class Fault:
    at: float        # seconds after the workload starts
    kind: str
    target: str | None  # the instance (none for the broker)
    seconds: float   # how long it lasts (a killed process stays down that long)
    skew: float = 0.0  # a clock fault's offset in seconds
    latency: float = 0.0  # a delay's added latency (jitter up to as much again), a loss's longest stall
    seed: int = 0      # a delay's or loss's own draws (jitter, stalls), so they repeat with the seed

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def instance(self) -> str:
        """The target of a fault that has one (every kind but the broker's)."""
        assert self.target is not None, self.kind
        return self.target


def schedule(seed: int, seconds: float, instances: list[str], consumers: list[str],
             mean_gap: float = 12.0) -> list[Fault]:
    """Faults between 10 % and 70 % of the run (the rest is for catching up): every kind once, at
    a moment drawn over that window, and more of any kind, one every `2 × mean_gap` seconds on
    average (a short run draws them closer together). Faults may overlap: they come together, as
    they do in production."""
    draw = random.Random(seed)
    start, end = 0.1 * seconds, 0.7 * seconds
    mean_gap = min(mean_gap, (end - start) / (len(KINDS) + 3))
    kinds = list(KINDS)
    draw.shuffle(kinds)
    planned = [(round(draw.uniform(start, end), 2), kind) for kind in kinds]
    at = start
    while (at := at + draw.expovariate(1 / (2 * mean_gap))) <= end:
        planned.append((round(at, 2), draw.choice(KINDS)))
    return [_fault(draw, at, kind, instances, consumers) for at, kind in sorted(planned)]


def _fault(draw: random.Random, at: float, kind: str, instances, consumers) -> Fault:
    length = round(draw.uniform(2.0, 8.0), 2)
    if kind == BROKER:
        return Fault(at, kind, None, length)
    if kind == DELAY:  # 50–500 ms on every chunk, for 5–20 s
        return Fault(at, kind, draw.choice(instances), round(length * 2.5, 2),
                     latency=round(draw.uniform(0.05, 0.5), 3), seed=draw.randrange(2**31))
    if kind == LOSS:  # stalls of up to 1–5 s, now and then, for 5–20 s
        return Fault(at, kind, draw.choice(instances), round(length * 2.5, 2),
                     latency=round(draw.uniform(1.0, 5.0), 2), seed=draw.randrange(2**31))
    if kind == POISON:
        return Fault(at, kind, draw.choice(consumers), 0.0)
    if kind == CLOCK:
        return Fault(at, kind, draw.choice(instances), round(draw.uniform(10, 20), 2),
                     skew=round(draw.choice((-1, 1)) * draw.uniform(60, 3600), 1))
    return Fault(at, kind, draw.choice(instances), length)
