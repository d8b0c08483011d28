-- The link between an LDAP account and the membership it was made from. One account per
-- membership; usernames are stored lowercase, as they are compared.
CREATE TABLE accounts (
  username TEXT PRIMARY KEY,
  id_wolves TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL,
  created_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'expired', 'disabled'))
);
