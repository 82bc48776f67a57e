"""包括的相談支援事業 — the consultation service: any desk accepts any resident's trouble."""
