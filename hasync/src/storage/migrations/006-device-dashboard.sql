-- The dashboard a device's Home Assistant frontend shows (design §5c): NULL generates one from the
-- scope; else a household dashboard's url_path ('lovelace': Home Assistant's default "Overview"),
-- served with everything outside the scope removed. Rows stored before read as NULL.
ALTER TABLE devices ADD COLUMN dashboard TEXT;
