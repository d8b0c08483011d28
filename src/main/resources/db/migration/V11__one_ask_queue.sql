-- One queue for every request answered by mail (a signup link, a forgotten username, a password
-- reset): the web request only writes a row, the same whatever was asked, and a background pass
-- queues the one mail it should get and deletes the row in the same transaction. It replaces
-- signup_asks and recovery_asks, and keeps the requests waiting in them, oldest first.
CREATE TABLE asks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('signup', 'username', 'password')),
  value TEXT NOT NULL,
  asked_at TEXT NOT NULL
);
INSERT INTO asks (kind, value, asked_at)
  SELECT kind, value, asked_at FROM (
    SELECT 'signup' AS kind, email AS value, asked_at, id, 0 AS source FROM signup_asks
    UNION ALL
    SELECT kind, value, asked_at, id, 1 AS source FROM recovery_asks)
  ORDER BY asked_at, source, id;
DROP TABLE signup_asks;
DROP TABLE recovery_asks;
