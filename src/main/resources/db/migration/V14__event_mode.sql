-- Event mode: an admin switches it on for the hours of a signup event, and while it lasts
-- (ends_at, in the future) a client address may ask for more signup mail, for a hall behind one
-- campus address. One row at most, replaced by each switch; its absence, or an end in the past,
-- means off. Kept here, not in memory, so a restart keeps it and every instance sees it.
-- The projector link, made by an admin for the event, is stored only as the SHA-256 of its token
-- and works while the event lasts.
CREATE TABLE event_mode (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  started_at TEXT NOT NULL,
  started_by TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  projector_sha256 TEXT
);
