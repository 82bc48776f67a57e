"""The ledger's domain: plain Python, no broker, no database."""
