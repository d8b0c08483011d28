-- Account recovery requests waiting to be answered, as signup_asks: the web request only writes
-- a row, the same whatever the address, and a background pass sends the one mail it should get.
CREATE TABLE recovery_asks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('username')),
  email TEXT NOT NULL,
  asked_at TEXT NOT NULL
);
