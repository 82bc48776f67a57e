"""監査 — tamper evidence of every store, signed checkpoints and the auditors' verification."""
