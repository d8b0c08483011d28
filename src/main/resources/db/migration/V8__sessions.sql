-- Login sessions, kept on the server so logout and a password change can end them. The cookie
-- holds a random id; only its SHA-256 is stored, so a copy of the database logs nobody in.
CREATE TABLE sessions (
  id_sha256 TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_username ON sessions (username);
