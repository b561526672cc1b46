-- Divosa exports (Benchmark Werk en Inkomen, Monitor Vroegsignalering Schulden): every value with its comparison
-- group. Written by monitor/imports/divosa.py; column meanings: docs/divosa_en_metingen.md and docs/schema.md.

CREATE TABLE divosa_waarde (
    bron                VARCHAR NOT NULL CHECK (bron IN ('benchmark_wi', 'vroegsignalering')),
    indicator           VARCHAR NOT NULL,
    indicator_label     VARCHAR NOT NULL,
    plan_indicator      VARCHAR,
    gemeente_code       VARCHAR,
    vergelijking        VARCHAR NOT NULL,
    vergelijking_label  VARCHAR,
    periode             VARCHAR NOT NULL,
    periode_start       DATE NOT NULL,
    periode_eind        DATE NOT NULL,
    waarde              DOUBLE NOT NULL,
    eenheid             VARCHAR NOT NULL,
    import_id           BIGINT NOT NULL,
    vervangen_door      BIGINT
);
