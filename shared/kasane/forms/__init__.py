"""帳票 — the national form set (DOMAIN.md §9) printed as PDF from events alone: a household's
recorded events in the audit ledger as known on a date, as the reader's organisation may see them."""
