"""多機関協働事業 — the collaboration service: cases, support plans and the two kinds of meeting."""
