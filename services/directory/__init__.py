"""機関名簿 — the directory service: a city's organisations and agencies, from its profile, as events."""
