-- Home Assistant's frontend keeps per-user settings with frontend/set_user_data (HA:
-- components/frontend/storage.py, one store per user). A device is HAsync's user, so its
-- settings live here, one JSON value per key, and are never sent to Home Assistant.
CREATE TABLE frontend_user_data (
  device_id TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (device_id, key)
) STRICT, WITHOUT ROWID;
