-- Suite4SD-style record exports, one table per export type, and the list of minimaregelingen.
-- Column meanings: docs/suite4sd.md. Every export is a full snapshot: the rows of the previous export of the same type
-- stay, with vervangen_door set to the import that replaced them, so the current records are
-- WHERE vervangen_door IS NULL. No primary keys on the record ids: each id occurs once per import.

CREATE TABLE regeling (
    code                   VARCHAR PRIMARY KEY,
    naam                   VARCHAR NOT NULL,
    inkomensgrens_pct_wsm  DECIMAL(6, 2)
);

CREATE TABLE s4sd_toekenning (
    toekenning_id    VARCHAR NOT NULL,
    client_id        VARCHAR NOT NULL,
    huishouden_id    VARCHAR,
    regeling         VARCHAR NOT NULL,
    besluit          VARCHAR NOT NULL CHECK (besluit IN ('toegekend', 'afgewezen', 'ingetrokken')),
    aanvraagdatum    DATE NOT NULL,
    besluitdatum     DATE NOT NULL,
    ingangsdatum     DATE,
    einddatum        DATE,
    bedrag           DECIMAL(12, 2),
    wijk             VARCHAR,
    inkomen_pct_wsm  DECIMAL(6, 2),
    aantal_kinderen  INTEGER,
    wijk_code        VARCHAR,
    extra            VARCHAR,
    import_id        BIGINT NOT NULL,
    vervangen_door   BIGINT
);

CREATE TABLE s4sd_uitkering (
    uitkering_id       VARCHAR NOT NULL,
    client_id          VARCHAR NOT NULL,
    huishouden_id      VARCHAR,
    regeling           VARCHAR NOT NULL CHECK (regeling IN ('PW', 'IOAW', 'IOAZ', 'BBZ')),
    ingangsdatum       DATE NOT NULL,
    einddatum          DATE,
    reden_beeindiging  VARCHAR,
    wijk               VARCHAR,
    wijk_code          VARCHAR,
    extra              VARCHAR,
    import_id          BIGINT NOT NULL,
    vervangen_door     BIGINT
);

CREATE TABLE s4sd_loonkostensubsidie (
    lks_id               VARCHAR NOT NULL,
    client_id            VARCHAR NOT NULL,
    werkgever_id         VARCHAR NOT NULL,
    startdatum           DATE NOT NULL,
    einddatum            DATE,
    loonwaarde_pct       DECIMAL(5, 2) NOT NULL,
    uren_per_week        DECIMAL(5, 2),
    uitkering_bij_start  BOOLEAN NOT NULL,
    extra                VARCHAR,
    import_id            BIGINT NOT NULL,
    vervangen_door       BIGINT
);

CREATE TABLE s4sd_inburgering (
    client_id        VARCHAR NOT NULL,
    vestigingsdatum  DATE NOT NULL,
    pw_ingangsdatum  DATE,
    pw_einddatum     DATE,
    reden_uitstroom  VARCHAR,
    extra            VARCHAR,
    import_id        BIGINT NOT NULL,
    vervangen_door   BIGINT
);

CREATE TABLE s4sd_wmo_voorziening (
    voorziening_id  VARCHAR NOT NULL,
    client_id       VARCHAR NOT NULL,
    voorziening     VARCHAR NOT NULL,
    soort           VARCHAR NOT NULL CHECK (soort IN ('maatwerk', 'voorliggend')),
    ingangsdatum    DATE NOT NULL,
    einddatum       DATE,
    kosten          DECIMAL(12, 2),
    wijk            VARCHAR,
    wijk_code       VARCHAR,
    extra           VARCHAR,
    import_id       BIGINT NOT NULL,
    vervangen_door  BIGINT
);

CREATE TABLE s4sd_jeugdhulp_traject (
    traject_id      VARCHAR NOT NULL,
    client_id       VARCHAR NOT NULL,
    geboortejaar    INTEGER,
    vorm            VARCHAR NOT NULL
                    CHECK (vorm IN ('specialistisch', 'jeugdbescherming', 'jeugdreclassering', 'overig')),
    met_verblijf    BOOLEAN NOT NULL,
    ingangsdatum    DATE NOT NULL,
    einddatum       DATE,
    kosten          DECIMAL(12, 2),
    verwijzer       VARCHAR,
    wijk            VARCHAR,
    wijk_code       VARCHAR,
    extra           VARCHAR,
    import_id       BIGINT NOT NULL,
    vervangen_door  BIGINT
);
