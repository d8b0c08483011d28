-- Who changed what, for the sysadmins and for the member who asks. Never a secret: no passwords,
-- no tokens, no key material beyond a fingerprint.
-- actor: the username acting, or '-' for someone not logged in (a recovery link, a signature).
-- outcome: 'done' or 'refused'; detail says what and why in words.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  client TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('done', 'refused')),
  detail TEXT NOT NULL
);
CREATE INDEX audit_log_target ON audit_log (target, at);

-- A member's request to change their contact address: the link mailed to the new address carries
-- the token, of which only the SHA-256 is kept. Single use, short-lived.
CREATE TABLE email_changes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  token_sha256 TEXT NOT NULL UNIQUE,
  username TEXT NOT NULL,
  new_email TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);

-- SSH-signature recovery: the text a member signs with a key on their account. Kept as it is,
-- since checking a signature needs the text signed; it is no secret, as it is worth nothing without
-- a signature by one of the account's keys. Single use, short-lived.
CREATE TABLE ssh_challenges (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  challenge TEXT NOT NULL UNIQUE,
  username TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);
