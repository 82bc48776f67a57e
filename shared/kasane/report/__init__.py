"""進捗管理 — the city's yearly progress report: each KPI row of the city's profile joined to
the count of the events that row counts (or to what city staff entered by hand, 手入力)."""
