-- Household rules of a device (design §5b). Lists are JSON arrays of ids; rows stored before this
-- migration read as no floors, labels or domains, nothing view-only, no end date, no schedule and
-- no action PIN. The action PIN is stored only as a salted scrypt hash (access/action-pin.ts).
ALTER TABLE devices ADD COLUMN floors TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(floors));
ALTER TABLE devices ADD COLUMN labels TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(labels));
ALTER TABLE devices ADD COLUMN domains TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(domains));
ALTER TABLE devices ADD COLUMN view_only TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(view_only));
ALTER TABLE devices ADD COLUMN view_only_domains TEXT NOT NULL DEFAULT '[]'
  CHECK (json_valid(view_only_domains));
-- ISO 8601 in UTC (`2026-12-31T22:00:00.000Z`), or NULL: never expires.
ALTER TABLE devices ADD COLUMN expires_at TEXT;
-- NULL: any time; else a JSON list of {days, from, to} windows in Home Assistant's time zone.
ALTER TABLE devices ADD COLUMN schedule TEXT CHECK (schedule IS NULL OR json_valid(schedule));
ALTER TABLE devices ADD COLUMN action_pin_hash TEXT;
ALTER TABLE devices ADD COLUMN pin_domains TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(pin_domains));
