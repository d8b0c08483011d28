-- Every import, also a refused or failed one, leaves a row here: the postmortem's import failed
-- without a trace. Rejected rows are kept with the line and column an operator must fix.
CREATE TABLE import_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  source TEXT NOT NULL,
  file_name TEXT,
  sha256 TEXT,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  forced INTEGER NOT NULL DEFAULT 0,
  rows_read INTEGER NOT NULL DEFAULT 0,
  inserted INTEGER NOT NULL DEFAULT 0,
  updated INTEGER NOT NULL DEFAULT 0,
  unchanged INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0,
  rejected INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'rejected', 'failed')),
  message TEXT
);

CREATE TABLE import_rejects (
  run_id INTEGER NOT NULL REFERENCES import_runs (id) ON DELETE CASCADE,
  line INTEGER NOT NULL,
  column_no INTEGER,
  field TEXT,
  reason TEXT NOT NULL
);
CREATE INDEX import_rejects_run ON import_rejects (run_id);

-- Emails are matched case-insensitively everywhere (signup looks members up by email).
CREATE INDEX accounts_wolves_email ON accounts_wolves (lower(email));
