"""`make bench`: what checking an integration event against its contract costs (issue 24).

The relay checks every event it publishes and every consumer every event it takes. marshmallow
is the contract's definition; the hot path checks with the contract's JSON Schema compiled once
(kasane.bus.compiled_contracts). Measured in the same run over every valid example in
contracts/, with the JSON encoding of the same events as the baseline.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import kasane_contracts
from kasane.bus.compiled_contracts import validate_fast
from kasane_contracts import validate_envelope

ROUNDS = 50


def events() -> list[dict]:
    examples = Path(kasane_contracts.__file__).parent / "examples"
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(examples.glob("*/valid/*.json"))]


def per_second(work, items) -> float:
    started = time.perf_counter()
    for _ in range(ROUNDS):
        for item in items:
            work(item)
    return ROUNDS * len(items) / (time.perf_counter() - started)


def main() -> int:
    items = events()
    validate_fast(items[0])  # compile outside the measurement (once per contract per process)
    for item in items:
        validate_fast(item)
    encode = per_second(lambda e: json.dumps(e, ensure_ascii=False).encode(), items)
    marshmallow = per_second(validate_envelope, items)
    compiled = per_second(validate_fast, items)
    print(f"== kasane bench: contract check per event ({len(items)} examples x {ROUNDS}) ==")
    print(f"baseline: JSON encoding of the event          {encode:9.0f} events/s")
    print(f"  marshmallow (the contract's definition)      {marshmallow:9.0f} events/s  "
          f"= {encode / marshmallow:5.2f} x the encoding's cost per event")
    print(f"  compiled JSON Schema (hot path)              {compiled:9.0f} events/s  "
          f"= {encode / compiled:5.2f} x the encoding's cost per event")
    print(f"  per event: marshmallow {1e6 / marshmallow:.0f} µs, compiled {1e6 / compiled:.0f} µs "
          f"({compiled / marshmallow:.1f} x faster; four contracts with rules across fields stay on marshmallow)")
    referred = [e for e in items if e["type"] == "consultation.household_referred"]
    slow, fast = per_second(validate_envelope, referred), per_second(validate_fast, referred)
    print(f"  household_referred (the referral bench's event): marshmallow {1e6 / slow:.0f} µs, "
          f"compiled {1e6 / fast:.0f} µs ({fast / slow:.1f} x faster)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
