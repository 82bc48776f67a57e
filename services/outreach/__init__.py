"""アウトリーチ等を通じた継続的支援事業 — the outreach service (issue 8)."""
