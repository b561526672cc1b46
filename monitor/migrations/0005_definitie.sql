-- The written definition of a computed indicator (what is counted, over which period, what is left out), from the
-- plan's `definitie`. Column meaning: docs/schema.md.
ALTER TABLE indicator ADD COLUMN definitie VARCHAR;
