-- The periodic jobs `serve` runs (sync-groups): when each last ran and how it ended, and who runs
-- it now. Several instances may serve one database; an instance runs a job only while it holds
-- its lease, so each job runs once per period. A crashed holder's lease lapses at lease_until.
-- Times are whole seconds in one ISO form, so they compare as text.
CREATE TABLE job_runs (
  job TEXT PRIMARY KEY,
  holder TEXT,
  lease_until TEXT,
  last_started_at TEXT,
  last_finished_at TEXT,
  last_outcome TEXT CHECK (last_outcome IN ('done', 'refused', 'failed')),
  last_detail TEXT
);
