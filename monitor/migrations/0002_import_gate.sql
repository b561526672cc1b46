-- Imports behind the quality gate: what an import replaces, which periods it covers, and its validation report.
ALTER TABLE import_log ADD COLUMN vervangsleutel VARCHAR;
ALTER TABLE import_log ADD COLUMN perioden VARCHAR[];
ALTER TABLE import_log ADD COLUMN bevindingen VARCHAR;
