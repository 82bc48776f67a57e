"""参加支援事業 — the participation service (Social Welfare Act art. 106-4 (2)(ii))."""
