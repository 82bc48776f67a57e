"""監査台帳 — the audit ledger: the city's own copy of every integration event and checkpoint."""
