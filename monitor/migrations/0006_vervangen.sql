-- Routine replacements: the stretch of time an import covers, and undone imports. Column meanings: docs/schema.md.
ALTER TABLE import_log ADD COLUMN dekking_van DATE;
ALTER TABLE import_log ADD COLUMN dekking_tot DATE;

CREATE TABLE import_ongedaan (
    import_id        BIGINT PRIMARY KEY,
    gestart_op       TIMESTAMP NOT NULL,
    gebruiker        VARCHAR NOT NULL,
    bestandsnaam     VARCHAR NOT NULL,
    sha256           VARCHAR NOT NULL,
    bron             VARCHAR NOT NULL,
    type_herkend     VARCHAR,
    rijen            INTEGER,
    vervangsleutel   VARCHAR,
    ongedaan_op      TIMESTAMP NOT NULL,
    ongedaan_door    VARCHAR NOT NULL,
    rijen_verwijderd INTEGER NOT NULL,
    rijen_hersteld   INTEGER NOT NULL
);
