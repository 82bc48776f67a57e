"""故障試験 — the fault campaign: a generated workload, faults on a seeded schedule, and a checker
that reads every store, queue and the audit ledger afterwards (issue 22).

- `observe`: what the checker reads (stores, inboxes, the ledger, dead letters), as plain data;
- `checker`: the properties proven over that data and the history (pure, testable without servers);
- `schedule`: the faults drawn from the seed; `history`: the file of every command and fault;
- `node`, `injectors`, `workload`, `campaign`: the harness that runs it on its own broker node.
"""
