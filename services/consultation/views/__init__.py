"""照会用の投影 — in-process read models of this instance, caught up from its own event log
before each query (the log is the single source; these are rebuilt from it on every start)."""
