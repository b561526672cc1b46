-- The monitor's first schema. Column meanings: docs/schema.md.

CREATE TABLE plan (
    plan_id        VARCHAR PRIMARY KEY,
    gemeente_code  VARCHAR NOT NULL,
    gemeente_naam  VARCHAR NOT NULL,
    titel          VARCHAR NOT NULL,
    ondertitel     VARCHAR,
    start          DATE NOT NULL,
    evaluatiejaar  INTEGER NOT NULL,
    budget_jaar    INTEGER,
    bron           VARCHAR
);

CREATE TABLE opgave (
    plan_id           VARCHAR NOT NULL,
    opgave_id         VARCHAR NOT NULL,
    volgorde          INTEGER NOT NULL,
    naam              VARCHAR NOT NULL,
    budget            DECIMAL(14, 2),
    beleidsterreinen  VARCHAR[],
    PRIMARY KEY (plan_id, opgave_id)
);

CREATE TABLE indicator (
    plan_id                 VARCHAR NOT NULL,
    indicator_id            VARCHAR NOT NULL,
    volgorde                INTEGER NOT NULL,
    opgave_id               VARCHAR NOT NULL,
    soort                   VARCHAR NOT NULL CHECK (soort IN ('doelstelling', 'bbv')),
    beleidsterrein          VARCHAR,
    titel                   VARCHAR NOT NULL,
    doelstelling            VARCHAR,
    resultaatgebied         VARCHAR,
    eenheid                 VARCHAR NOT NULL,
    vergelijking            VARCHAR CHECK (vergelijking IN ('at_least', 'at_most', 'keep_level', 'growth_per_year')),
    elke_wijk               BOOLEAN NOT NULL DEFAULT false,
    nulmeting_status        VARCHAR NOT NULL CHECK (nulmeting_status IN ('bekend', 'geen', 'volgt')),
    nulmeting_waarde        DOUBLE,
    nulmeting_periode       VARCHAR,
    doel_tekst              VARCHAR,
    doel_waarde             DOUBLE,
    doel_procent            DOUBLE,
    groei_procent_per_jaar  DOUBLE,
    doel_periode            VARCHAR,
    meetinstrument          VARCHAR NOT NULL,
    meetfrequentie          VARCHAR NOT NULL,
    aanlevering             VARCHAR NOT NULL CHECK (aanlevering IN ('import', 'meting')),
    bron                    VARCHAR NOT NULL,
    berekening              VARCHAR,
    focus                   VARCHAR,
    toelichting             VARCHAR,
    PRIMARY KEY (plan_id, indicator_id)
);

CREATE TABLE gemeente (
    gemeente_code  VARCHAR PRIMARY KEY,
    naam           VARCHAR NOT NULL
);

CREATE TABLE wijk (
    wijk_code      VARCHAR PRIMARY KEY,
    gemeente_code  VARCHAR NOT NULL,
    naam           VARCHAR NOT NULL,
    inwoners       INTEGER,
    peiljaar       INTEGER
);

CREATE SEQUENCE import_id_seq START 1;

CREATE TABLE import_log (
    import_id       BIGINT PRIMARY KEY DEFAULT nextval('import_id_seq'),
    gestart_op      TIMESTAMP NOT NULL,
    afgerond_op     TIMESTAMP,
    gebruiker       VARCHAR NOT NULL,
    bestandsnaam    VARCHAR NOT NULL,
    sha256          VARCHAR NOT NULL,
    bron            VARCHAR NOT NULL,
    type_herkend    VARCHAR,
    rijen           INTEGER,
    resultaat       VARCHAR NOT NULL CHECK (resultaat IN ('geimporteerd', 'geweigerd', 'al_geimporteerd')),
    waarschuwingen  VARCHAR[],
    melding         VARCHAR,
    vervangen_door  BIGINT
);

CREATE SEQUENCE measurement_id_seq START 1;

CREATE TABLE measurement (
    measurement_id  BIGINT PRIMARY KEY DEFAULT nextval('measurement_id_seq'),
    indicator_id    VARCHAR NOT NULL,
    gemeente_code   VARCHAR NOT NULL,
    wijk_code       VARCHAR NOT NULL DEFAULT '',
    periode         VARCHAR NOT NULL,
    periode_start   DATE NOT NULL,
    periode_eind    DATE NOT NULL,
    waarde          DOUBLE NOT NULL,
    teller          DOUBLE,
    noemer          DOUBLE,
    eenheid         VARCHAR NOT NULL,
    status          VARCHAR NOT NULL CHECK (status IN ('voorlopig', 'definitief')),
    bron            VARCHAR NOT NULL,
    herkomst        VARCHAR NOT NULL CHECK (herkomst IN ('nulmeting', 'import', 'meting', 'berekend', 'voorbeelddata')),
    import_id       BIGINT,
    toelichting     VARCHAR,
    vervangen_door  BIGINT
);

CREATE VIEW current_measurement AS
    SELECT * FROM measurement WHERE vervangen_door IS NULL;

CREATE TABLE cbs_observation (
    tabel           VARCHAR NOT NULL,
    regio_code      VARCHAR NOT NULL,
    regio_label     VARCHAR NOT NULL,
    periode         VARCHAR NOT NULL,
    periode_label   VARCHAR NOT NULL,
    dimensies       VARCHAR NOT NULL DEFAULT '',
    maat            VARCHAR NOT NULL,
    waarde          DOUBLE,
    status          VARCHAR,
    import_id       BIGINT,
    vervangen_door  BIGINT
);

CREATE TABLE narrative (
    indicator_id   VARCHAR NOT NULL,
    gemeente_code  VARCHAR NOT NULL,
    periode        VARCHAR NOT NULL,
    tekst          VARCHAR NOT NULL,
    auteur         VARCHAR NOT NULL,
    bijgewerkt_op  TIMESTAMP NOT NULL,
    voorbeelddata  BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (indicator_id, gemeente_code, periode)
);
