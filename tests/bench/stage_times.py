"""Where a referral's trip goes (issue 24): the latency phase split into stages.

The times come from what the stores already record and from the stage probe the bench puts in
its services (`stage_probe/sitecustomize.py`, no I/O on the path):
- recorded: the referral event's own timestamp in consultation's log (the command's aggregate);
- stored: when consultation's chain trigger ran on its insert (`kasane_chain.chained_at`, inside
  the transaction, one round trip before its COMMIT);
- published: the relay's publish of the message returned (written to the broker's socket);
- received: the message reached collaboration's consumer (its on_message);
- taken: the consumer began the batch holding it (after the one before was committed);
- checked: unsealed, contract-checked and its signature verified: the batch's database work begins;
- prefetched: the batch's inbox state and aggregates read (one round trip);
- handled: the handlers ran (the batch's events made);
- keyed: their new data keys were made (sealing at rest);
- saved: the batch's transaction committed (events, inbox rows, chain);
- committed: its messages acked.
Beside them, the relay's wait for confirms (published -> confirmed) overlaps the consumer's stages.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import psycopg

PROBE_DIR = str(Path(__file__).resolve().parent / "stage_probe")
STAGES = ("recorded", "stored", "published", "received", "taken", "checked", "prefetched", "handled",
          "keyed", "saved", "committed")
LAST_WINS = {"committed"}  # a batch retried or isolated commits last; every other stage: first


def probe_env(marks_dir: str) -> dict:
    """The services' environment for the stage probe."""
    path = os.pathsep.join(p for p in (PROBE_DIR, os.environ.get("PYTHONPATH")) if p)
    return {"PYTHONPATH": path, "KASANE_STAGE_DIR": marks_dir}


def probe_marks(marks_dir: str) -> dict[str, dict[tuple[str, int], float]]:
    """stage -> (origin instance, position) -> epoch seconds, from every probed process."""
    marks: dict[str, dict] = {}
    for path in Path(marks_dir).glob("*.jsonl"):
        for line in path.read_text().splitlines():
            stage, origin, position, at = json.loads(line)
            seen = marks.setdefault(stage, {})
            if stage in LAST_WINS or (origin, position) not in seen:
                seen[(origin, position)] = at
    return marks


def stored_times(conninfo: dict, positions: list[int]) -> dict[int, float]:
    """notification id -> when its chain link was written, epoch seconds."""
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        rows = conn.execute("SELECT notification_id, extract(epoch FROM chained_at)::float8 "
                            "FROM kasane_chain WHERE notification_id = ANY(%s)", (positions,)).fetchall()
    return dict(rows)


def stage_table(origin: str, recorded: dict[int, float], stored: dict[int, float], marks: dict
                ) -> dict[str, list[float]]:
    """Per stage ("a -> b"), the milliseconds of each referral that has both ends; and the whole
    trip (recorded -> committed), and published -> confirmed."""
    times = {"recorded": recorded, "stored": stored,
             **{stage: {p: t for (o, p), t in marks.get(stage, {}).items() if o == origin}
                for stage in STAGES[2:] + ("confirmed",)}}
    pairs = [*zip(STAGES, STAGES[1:]), ("recorded", "committed"), ("published", "confirmed")]
    return {f"{a} -> {b}": [(times[b][p] - times[a][p]) * 1000 for p in recorded
                            if p in times[a] and p in times[b]] for a, b in pairs}


def stage_lines(table: dict[str, list[float]], percentile) -> list[str]:
    return [f"    {name:<24} p50 {percentile(ms, 50):6.1f} ms  p95 {percentile(ms, 95):6.1f} ms  (n={len(ms)})"
            for name, ms in table.items() if ms]
