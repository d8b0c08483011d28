-- A signup request: the emailed link's token is never stored, only its SHA-256, so a copy of the
-- database cannot be used to finish someone else's signup. Used once, within its lifetime.
CREATE TABLE signup_requests (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  token_sha256 TEXT NOT NULL UNIQUE,
  purpose TEXT NOT NULL,
  email TEXT NOT NULL,
  id_wolves TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);
CREATE INDEX signup_requests_email ON signup_requests (lower(email));
