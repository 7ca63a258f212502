-- Wall-display settings of a device (issue 16): a JSON object {screensaver_after_s, dim_schedule},
-- or NULL for the defaults (no screensaver, no dim schedule), which rows stored before read as.
ALTER TABLE devices ADD COLUMN display TEXT CHECK (display IS NULL OR json_valid(display));
