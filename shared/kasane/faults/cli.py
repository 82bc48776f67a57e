"""`kasane faults run --seed N --minutes M`: one fault campaign (故障試験), its history and report."""
from __future__ import annotations

from pathlib import Path

from kasane.config import state_dir


def add_parser(commands, sub) -> None:
    faults = sub(commands, "faults", "a fault campaign: workload, seeded faults, then the checker",
                 "Start a deployment on its own RabbitMQ node and databases, drive a generated workload "
                 "while faults drawn from the seed are injected, then check every store, queue and the "
                 "audit ledger. Writes history-SEED.jsonl and report-SEED.json; exit status 1 on a violation.")
    verbs = faults.add_subparsers(dest="verb", metavar="VERB", required=True, parser_class=type(faults))
    run = sub(verbs, "run", "run one campaign")
    run.add_argument("--seed", type=int, required=True, help="the same seed gives the same schedule")
    run.add_argument("--minutes", type=float, default=5.0, help="how long (default 5)")
    run.add_argument("--rate", type=float, default=2.0, help="commands per second (default 2)")
    run.add_argument("--out", help="where the history and report go (default var/faults/)")


def command(args) -> int:
    from kasane.faults.campaign import run
    out = Path(args.out) if args.out else state_dir() / "faults"
    result = run(args.seed, args.minutes, out, rate=args.rate)
    return 0 if result["held"] else 1
