-- Paired devices. The token is stored only as its SHA-256 (hex).
CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  type TEXT NOT NULL DEFAULT 'other',
  token_hash TEXT NOT NULL UNIQUE,
  read_only INTEGER NOT NULL DEFAULT 0 CHECK (read_only IN (0, 1)),
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER
) STRICT;

CREATE TABLE device_areas (
  device_id TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  area_id TEXT NOT NULL,
  PRIMARY KEY (device_id, area_id)
) STRICT, WITHOUT ROWID;

-- Single entities added to (include) or taken out of (exclude) a device's scope.
CREATE TABLE device_entities (
  device_id TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  entity_id TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('include', 'exclude')),
  PRIMARY KEY (device_id, entity_id)
) STRICT, WITHOUT ROWID;

-- A pairing offer: PIN and QR code are stored hashed; areas/entities preset the new device's scope.
CREATE TABLE pairings (
  id TEXT PRIMARY KEY,
  pin_hash TEXT NOT NULL,
  code_hash TEXT NOT NULL UNIQUE,
  name TEXT,
  areas TEXT NOT NULL DEFAULT '[]',
  entities TEXT NOT NULL DEFAULT '[]',
  status TEXT NOT NULL CHECK (status IN ('pending', 'completed', 'expired', 'cancelled', 'locked')),
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  device_id TEXT REFERENCES devices (id) ON DELETE SET NULL
) STRICT;

CREATE INDEX pairings_by_status ON pairings (status, expires_at);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  device_id TEXT,
  pairing_id TEXT,
  detail TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE INDEX audit_log_by_time ON audit_log (at, id);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
