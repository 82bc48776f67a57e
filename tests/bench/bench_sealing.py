"""`make bench`: what sealing a personal part costs per event, in process (issue 21).

The mapper alone, an intake's event with two persons and a summary: stored and read back with
sealing off (eventsourcing's Mapper, the baseline, measured in the same run) and on (the
SealingMapper, keys already in memory as they are on the hot path). The end-to-end figures with
sealing on and off are in bench_referrals.py.
"""
from __future__ import annotations

import sys
import time
from uuid import uuid4

from eventsourcing.domain import Aggregate, event

from kasane.privacy.keystore import MemoryKeyStore
from kasane.privacy.sealing import SealingMapper
from kasane.store.application import KasaneApplication

ROUNDS = 20_000


class Consultation(Aggregate):
    @event("Received")
    def __init__(self, household_id: str, personal: dict):
        self.household_id, self.personal = household_id, personal


def intake_event():
    persons = [{"person_id": str(uuid4()), "name": "見本 ハナ", "kana": "ミホン ハナ", "birth_date": "1942-05-10",
                "relation": "self", "area": None},
               {"person_id": str(uuid4()), "name": "見本 一郎", "kana": "ミホン イチロウ", "birth_date": None,
                "relation": "child", "area": None}]
    personal = {"persons": persons, "summary": "母の介護と長男のひきこもり", "address": None, "phone": None}
    return Consultation(household_id=str(uuid4()), personal=personal).collect_events()[0]


def per_event(call) -> float:
    started = time.perf_counter()
    for _ in range(ROUNDS):
        call()
    return (time.perf_counter() - started) / ROUNDS * 1e6


def main() -> int:
    print("== kasane bench: sealing a personal part, per event (mapper only) ==", flush=True)
    domain_event = intake_event()
    plain = KasaneApplication().mapper
    sealed = SealingMapper(plain.transcoder, keys=MemoryKeyStore())
    figures = {}
    for name, mapper in (("off", plain), ("on", sealed)):
        stored = mapper.to_stored_event(domain_event)
        figures[name] = (per_event(lambda m=mapper: m.to_stored_event(domain_event)),
                         per_event(lambda m=mapper, s=stored: m.to_domain_event(s)), len(stored.state))
        write, read, size = figures[name]
        print(f"  sealing {name:3}: store {write:6.1f} µs, read {read:6.1f} µs, state {size} bytes")
    (w0, r0, s0), (w1, r1, s1) = figures["off"], figures["on"]
    print(f"  on / off: store {w1 / w0:4.1f} x (+{w1 - w0:.0f} µs), read {r1 / r0:4.1f} x (+{r1 - r0:.0f} µs), "
          f"state {s1 / s0:4.1f} x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
