"""報告 — the campaign's short report: commands by answer, faults of each kind, restarts, the
longest catch-up and every violation with what shows it (ids and positions, nothing personal)."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path


def summarise(seed, seconds, history, faults, restarts, caught_up, violations, observations) -> dict:
    commands = history.of_kind("command")
    fault_log = history.of_kind("fault")
    slowest = max(caught_up.items(), key=lambda item: item[1], default=(None, 0.0))
    return {
        "seed": seed, "seconds": seconds, "history": str(history.path),
        "commands": len(commands),
        "answers": dict(Counter(c["answer"] for c in commands)),
        "through_gateway": dict(Counter(c["answer"] for c in commands if c.get("via") == "gateway")),
        "by_method": {m: dict(Counter(c["answer"] for c in commands if c["method"] == m))
                      for m in sorted({c["method"] for c in commands})},
        "refusals": dict(Counter(f"{c['method']}: {c.get('reason', '')[:120]}" for c in commands
                                 if c["answer"] == "refused")),
        "faults": dict(Counter(e["fault"] for e in fault_log if e["phase"] == "end")),  # injected
        "faults_scheduled": dict(Counter(f.kind for f in faults)),
        "faults_failed": [f for f in fault_log if f["phase"] == "failed"],
        "restarts": dict(restarts),
        "events_stored": sum(len(v.events) for v in observations.instances.values()),
        "integration_events": sum(len(e) for e in observations.ledger.values()),
        "inbox_entries": sum(len(v.inbox) for v in observations.instances.values()),
        "dead_letters": sum(len(v.dead_letters) for v in observations.instances.values()),
        "catch_up": caught_up, "longest_catch_up": {"instance": slowest[0], "seconds": slowest[1]},
        "violations": [v.as_dict() for v in violations],
        "held": not violations,
    }


def write(result: dict, out: Path) -> Path:
    path = out / f"report-{result['seed']}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def text(result: dict) -> str:
    answers = ", ".join(f"{n} {a}" for a, n in sorted(result["answers"].items()))
    faults = ", ".join(f"{n} {k}" for k, n in sorted(result["faults"].items()))
    door = ", ".join(f"{n} {a}" for a, n in sorted(result["through_gateway"].items())) or "none"
    lines = [f"faults: seed {result['seed']}: {result['commands']} commands ({answers}; through the gateway: {door}); "
             f"faults: {faults}",
             f"  {result['integration_events']} integration events, {result['inbox_entries']} inbox entries, "
             f"{result['dead_letters']} dead letters; restarts {sum(result['restarts'].values())}",
             f"  longest catch-up after the last fault: {result['longest_catch_up']['seconds']:.1f} s "
             f"({result['longest_catch_up']['instance']})"]
    lines += [f"  refused {n}× {reason}" for reason, n in sorted(result["refusals"].items())]
    if result["faults_failed"]:
        lines.append(f"  {len(result['faults_failed'])} fault(s) could not be injected (see the history)")
    if result["held"]:
        lines.append("  held: no violation")
    else:
        lines.append(f"  {len(result['violations'])} VIOLATION(S):")
        lines += [f"    {v['kind']} at {v['instance']}: {v['detail']}" for v in result["violations"][:30]]
    lines.append(f"  history: {result['history']}")
    return "\n".join(lines)
