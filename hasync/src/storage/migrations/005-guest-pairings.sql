-- A guest pairing (issue 15): the end date the paired device gets, ISO 8601 in UTC, or NULL for a
-- device without one. Rows stored before this migration read as NULL.
ALTER TABLE pairings ADD COLUMN device_expires_at TEXT;
