-- Logins through Home Assistant's login flow (/auth/*): one refresh token per login, bound to the
-- OAuth client it was issued to and to its device. Tokens are stored only as SHA-256 (hex);
-- revoking the device deletes its logins and their access tokens with it.
CREATE TABLE device_logins (
  id TEXT PRIMARY KEY,
  device_id TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  client_id TEXT NOT NULL,
  refresh_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER
) STRICT;

CREATE INDEX device_logins_by_device ON device_logins (device_id);

-- Short-lived access tokens of a login (Home Assistant's last 30 minutes).
CREATE TABLE login_access_tokens (
  token_hash TEXT PRIMARY KEY,
  login_id TEXT NOT NULL REFERENCES device_logins (id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX login_access_tokens_by_expiry ON login_access_tokens (expires_at);
CREATE INDEX login_access_tokens_by_login ON login_access_tokens (login_id);
