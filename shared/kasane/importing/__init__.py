"""データ移行 — `kasane import`: a city's existing records (CSV in UTF-8 or Shift_JIS/CP932,
.xlsx) read, mapped by a YAML mapping, validated, and sent in batches to a consultation
instance's import use cases (`import_consultations` with their consents, `import_contacts`,
`import_households`, by the mapping's `kind`), with progress and resumable state.

sources (reading files), dates (和暦 and 西暦), mapping (columns → intake fields and codes, and
each row's idempotency key), consent (the intake row's 本人同意 columns), contacts (継続相談
files), households (household sheets), progress (the bar), state (where an interrupted run
resumes), run (the whole import)."""
