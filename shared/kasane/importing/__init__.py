"""データ移行 — `kasane import`: a city's existing records (CSV in UTF-8 or Shift_JIS/CP932,
.xlsx) read, mapped by a YAML mapping, validated, and sent in batches to a consultation
instance's `import_consultations` use case, with progress and resumable state.

sources (reading files), dates (和暦 and 西暦), mapping (columns → intake fields and codes, and
each row's idempotency key), progress (the bar), state (where an interrupted run resumes), run
(the whole import)."""
