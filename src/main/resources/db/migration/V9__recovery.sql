-- Account recovery requests waiting to be answered, as signup_asks: the web request only writes
-- a row, the same whatever was asked, and a background pass sends the one mail it should get.
-- value: an email address (kind 'username'), or a username or email address (kind 'password').
CREATE TABLE recovery_asks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('username', 'password')),
  value TEXT NOT NULL,
  asked_at TEXT NOT NULL
);

-- Password reset links: only the SHA-256 of the token is kept, so a copy of the database cannot
-- reset anyone's password. Single use, short-lived.
CREATE TABLE password_resets (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  token_sha256 TEXT NOT NULL UNIQUE,
  username TEXT NOT NULL,
  email TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);
