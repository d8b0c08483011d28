-- Random keys the service makes for itself on first use (the CSRF form key), kept here so every
-- instance sharing the database, and every restart, uses the same one: forms open in a browser
-- keep working across a restart or a load balancer.
CREATE TABLE secrets (
  name TEXT PRIMARY KEY,
  value BLOB NOT NULL,
  created_at TEXT NOT NULL
);
