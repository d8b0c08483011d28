-- One store for every mailed single-use link (a signup, a password reset, an address change),
-- replacing signup_requests, password_resets and email_changes and keeping their rows. Only the
-- SHA-256 of a link's token is kept, so a copy of the database opens nothing. A link is bound to
-- its purpose, used once, within its lifetime.
-- subject: the membership's id_wolves for a signup, the username for the others.
-- address: where it was mailed (for an address change, the new address).
-- Times are whole seconds in one ISO form, so they compare as text.
CREATE TABLE links (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  token_sha256 TEXT NOT NULL UNIQUE,
  purpose TEXT NOT NULL CHECK (purpose IN ('signup', 'password-reset', 'email-change')),
  subject TEXT NOT NULL,
  address TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);
CREATE INDEX links_subject ON links (subject, purpose);
INSERT INTO links (token_sha256, purpose, subject, address, created_at, expires_at, used_at)
  SELECT token_sha256, 'signup', id_wolves, email, strftime('%Y-%m-%dT%H:%M:%SZ', created_at),
    strftime('%Y-%m-%dT%H:%M:%SZ', expires_at), strftime('%Y-%m-%dT%H:%M:%SZ', used_at)
  FROM signup_requests;
INSERT INTO links (token_sha256, purpose, subject, address, created_at, expires_at, used_at)
  SELECT token_sha256, 'password-reset', username, email, strftime('%Y-%m-%dT%H:%M:%SZ', created_at),
    strftime('%Y-%m-%dT%H:%M:%SZ', expires_at), strftime('%Y-%m-%dT%H:%M:%SZ', used_at)
  FROM password_resets;
INSERT INTO links (token_sha256, purpose, subject, address, created_at, expires_at, used_at)
  SELECT token_sha256, 'email-change', username, new_email,
    strftime('%Y-%m-%dT%H:%M:%SZ', created_at), strftime('%Y-%m-%dT%H:%M:%SZ', expires_at),
    strftime('%Y-%m-%dT%H:%M:%SZ', used_at)
  FROM email_changes;
DROP TABLE signup_requests;
DROP TABLE password_resets;
DROP TABLE email_changes;
