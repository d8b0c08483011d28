-- Signup requests waiting to be answered. The web request only writes a row here, the same for
-- every address, so neither its response nor its timing can tell a member from anyone else; a
-- background pass looks the address up, queues the one mail it should get, and deletes the row in
-- the same transaction. A row that stays here is a request not yet answered.
CREATE TABLE signup_asks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL,
  asked_at TEXT NOT NULL
);
