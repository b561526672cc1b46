"""Indicators computed from Suite4SD record exports, on small exports written here and imported through the gate.

Every expected value is worked out by hand in the comments. Shared rules (indicators/records.py): the begin of an
export is the first of the month of its earliest counted date (for records that run over time: the earliest
einddatum); the stand is its latest aanvraag-, besluit-, start- or vestigingsdatum, not after the import; a period
counts only when it lies between the two.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from indicators import records
from indicators.financieel_fit import terugval_vergelijking, toekenningen_per_regeling
from monitor import store
from monitor.catalogue import load_plan
from monitor.cbs import Observation, store_observations
from monitor.compute import compute_function
from monitor.imports.pipeline import IMPORTED, import_file

PROJECT_DIR = Path(__file__).resolve().parent.parent
PLAN = load_plan(PROJECT_DIR / "data" / "plans" / "heemskerk.toml")
GM = "GM0396"
SUITE4SD = ("FF-1", "FF-2", "FF-4", "FF-5", "FF-6", "ZW-3", "ZW-4", "ZW-5", "OZ-3", "OZ-4")

HEADERS = {
    "toekenningen": "toekenning_id;client_id;huishouden_id;regeling;besluit;aanvraagdatum;besluitdatum;ingangsdatum;"
                    "einddatum;bedrag;wijk",
    "uitkeringen": "uitkering_id;client_id;huishouden_id;regeling;ingangsdatum;einddatum;reden_beeindiging;wijk",
    "lks": "lks_id;client_id;werkgever_id;startdatum;einddatum;loonwaarde_pct;uren_per_week;uitkering_bij_start",
    "inburgering": "client_id;vestigingsdatum;pw_ingangsdatum;pw_einddatum;reden_uitstroom",
    "wmo": "voorziening_id;client_id;voorziening;soort;ingangsdatum;einddatum;kosten;wijk",
    "jeugd": "traject_id;client_id;geboortejaar;vorm;met_verblijf;ingangsdatum;einddatum;kosten;verwijzer;wijk",
}


def export(tmp_path: Path, kind: str, rows: list[str], name: str | None = None) -> Path:
    path = tmp_path / (name or f"{kind}.csv")
    path.write_text("\n".join([HEADERS[kind], *rows]) + "\n", encoding="utf-8")
    return path


def imported(tmp_path: Path, *files: Path) -> Path:
    db = tmp_path / "monitor.duckdb"
    for path in files:
        result = import_file(db, path)
        assert result.status == IMPORTED, result.message
    return db


@pytest.fixture
def connect():
    opened = []

    def open_(db: Path):
        opened.append(store.connect(db))
        return opened[-1]

    yield open_
    for con in opened:
        con.close()


def compute(con, indicator_id: str):
    return compute_function(PLAN.indicator(indicator_id).berekening)(con, GM, indicator_id)


def values(con, indicator_id: str) -> dict[str, float]:
    rows = compute(con, indicator_id)
    assert len({m.periode for m in rows}) == len(rows)
    return {m.periode: round(m.waarde, 6) for m in rows}


def population(con, *rows: tuple[str, str, str, float]) -> None:
    store_observations(con, [Observation(tabel, GM, "Heemskerk", periode, periode, "", maat, waarde, "definitief")
                             for tabel, periode, maat, waarde in rows], import_id=None)


# ------------------------------------------------------------------ the plan


def test_every_computed_indicator_has_a_written_definition():
    for indicator in PLAN.indicators:
        if indicator.berekening:
            assert len(indicator.definitie) > 150, indicator.id
    assert {i.id for i in PLAN.indicators if i.berekening} >= set(SUITE4SD)


def test_the_definition_is_stored_with_the_plan(tmp_path, connect):
    con = connect(imported(tmp_path, export(tmp_path, "lks", ["L1;a;W1;2023-02-01;;60;32;J"])))
    assert store.load_plan(con).indicator("FF-4").definitie == PLAN.indicator("FF-4").definitie
    assert "uitkering_bij_start" in PLAN.indicator("FF-4").definitie


def test_bbv_definitions_state_the_unit_conversion():
    assert "per 1.000 → per 10.000" in PLAN.indicator("BBV-WMO-MAATWERK").definitie
    for indicator_id in ("BBV-BIJSTAND", "BBV-REINTEGRATIE"):
        assert "maal 10.000" in PLAN.indicator(indicator_id).definitie


# ------------------------------------------------------------------ FF-1 and FF-2: toekenningen


TOEKENNINGEN = [
    "T1;c1;h1;IIT;toegekend;2022-12-20;2023-01-05;2023-02-01;;500,00;WK039601",
    "T2;c2;h2;KINDPAKKET;toegekend;2023-03-01;2023-03-10;2023-04-01;2023-12-31;250,00;WK039602",
    "T3;c3;h3;CZM;afgewezen;2023-03-20;2023-04-01;;;0;WK039603",            # afgewezen: never counted
    "T4;c4;h4;BIJZ_BIJSTAND;ingetrokken;2023-04-20;2023-05-01;;;0;WK039604",  # ingetrokken: never counted
    "T5;c5;h5;KINDPAKKET;toegekend;2023-08-01;2023-08-20;2023-09-01;;250,00;WK039605",
    "T6;c6;h6;IIT;toegekend;2023-12-01;2023-12-31;2024-01-01;;500,00;WK039606",
    "T7;c7;h7;KINDPAKKET;afgewezen;2024-01-15;2024-02-01;;;0;WK039607",
    "T8;c8;h8;KWIJTSCHELDING;toegekend;2024-06-01;2024-06-30;2024-01-01;2024-12-31;300,00;WK039608",
    "T9;c9;h9;IIT;toegekend;2024-06-25;2024-07-02;2024-08-01;;500,00;WK039609",  # after the half year: sets the stand
]


def test_toekenningen_per_year_and_rolling_12_months(tmp_path, connect):
    con = connect(imported(tmp_path, export(tmp_path, "toekenningen", TOEKENNINGEN)))
    # Begin 1-1-2023 (first besluit 5-1-2023), stand 2-7-2024 (T9). Complete: the year 2023, and the 12 months
    # 1-7-2023 t/m 30-6-2024 stored as 2024-H1; 2024 itself is not complete.
    # FF-1 2023: T1, T2, T5, T6 = 4 (T3 afgewezen, T4 ingetrokken left out); 2024-H1: T5, T6, T8 = 3
    assert values(con, "FF-1") == {"2023": 4, "2024-H1": 3}
    # FF-2 (KINDPAKKET) 2023: T2, T5 = 2 (T7 afgewezen); 2024-H1: T5 = 1
    assert values(con, "FF-2") == {"2023": 2, "2024-H1": 1}
    rolling = {m.periode: m for m in compute(con, "FF-1")}["2024-H1"]
    assert "12 maanden" in rolling.toelichting and "1 juli 2023 t/m 30 juni 2024" in rolling.toelichting
    assert (rolling.herkomst, rolling.bron) == ("berekend", "berekend uit Suite4SD (toekenningen minimaregelingen)")


def test_the_import_stores_the_computed_values(tmp_path, connect):
    con = connect(imported(tmp_path, export(tmp_path, "toekenningen", TOEKENNINGEN)))
    stored = con.execute("SELECT periode, waarde, herkomst FROM current_measurement WHERE indicator_id = 'FF-1' "
                         "ORDER BY periode_eind").fetchall()
    assert stored == [("2023", 4.0, "berekend"), ("2024-H1", 3.0, "berekend")]


def test_half_year_not_complete_without_a_later_besluit(tmp_path, connect):
    # Without T9 and T8 the stand is 31-12-2023 (T6): 2023 is complete, the 12 months up to 30-6-2024 are not.
    con = connect(imported(tmp_path, export(tmp_path, "toekenningen", TOEKENNINGEN[:7])))
    assert values(con, "FF-1") == {"2023": 4}


def test_a_besluit_in_the_future_does_not_extend_the_stand(tmp_path, connect):
    # A besluitdatum in 2099 is a warning at the gate, not a refusal; it must not make 2024-2098 look complete.
    future = "T10;c10;h10;IIT;toegekend;2023-12-01;2099-01-01;2099-01-01;;500,00;WK039601"
    con = connect(imported(tmp_path, export(tmp_path, "toekenningen", TOEKENNINGEN[:7] + [future])))
    assert values(con, "FF-1") == {"2023": 4}


def test_a_newer_export_replaces_the_older(tmp_path, connect):
    first = export(tmp_path, "toekenningen", TOEKENNINGEN, "oud.csv")
    # The newer export has T2 withdrawn after all: 2023 then counts T1, T5, T6 = 3.
    newer = [r.replace("KINDPAKKET;toegekend", "KINDPAKKET;ingetrokken") if r.startswith("T2;") else r
             for r in TOEKENNINGEN]
    con = connect(imported(tmp_path, first, export(tmp_path, "toekenningen", newer, "nieuw.csv")))
    assert values(con, "FF-1") == {"2023": 3, "2024-H1": 3}
    assert values(con, "FF-2") == {"2023": 1, "2024-H1": 1}


def test_toekenningen_per_regeling(tmp_path, connect):
    con = connect(imported(tmp_path, export(tmp_path, "toekenningen", TOEKENNINGEN)))
    frame = toekenningen_per_regeling(con, "2023")
    assert list(frame.columns) == ["regeling", "naam", "toekenningen"]
    counts = dict(zip(frame["regeling"], frame["toekenningen"]))
    # 2023 toegekend: IIT T1, T6; KINDPAKKET T2, T5; the afgewezen CZM and ingetrokken bijzondere bijstand count 0
    assert counts["IIT"] == 2 and counts["KINDPAKKET"] == 2
    assert counts["CZM"] == 0 and counts["BIJZ_BIJSTAND"] == 0
    assert len(frame) == 10  # every regeling of data/regelingen_heemskerk.csv
    assert frame["naam"][0] in ("Individuele inkomenstoeslag", "Kindpakket")
    # A half year is counted over that half year itself: 1e halfjaar 2024 has T8 only.
    half = toekenningen_per_regeling(con, "1e halfjaar 2024")
    assert half["toekenningen"].sum() == 1


# ------------------------------------------------------------------ FF-4: loonkostensubsidie


def test_loonkostensubsidie_on_each_half_year_end(tmp_path, connect):
    con = connect(imported(tmp_path, export(tmp_path, "lks", [
        "L0;f;W1;2022-06-01;2023-01-31;50;32;J",   # earliest einddatum: the export begins 1-1-2023
        "L1;a;W1;2023-02-01;;60;32;J",
        "L2;b;W2;2023-03-01;2023-12-31;55;24;J",   # ends on 31-12-2023: not counted on that day
        "L3;c;W3;2023-01-15;2024-03-31;70;36;N",   # no benefit at the start: never counted
        "L4;d;W4;2023-05-01;2024-01-31;40;20;J",
        "L5;d;W5;2023-09-01;;45;16;J",             # d's second subsidy at the same time: d counts once
        "L6;e;W6;2024-01-02;2024-02-28;50;32;J",
        "L7;g;W7;2024-07-01;;65;32;J",             # sets the stand: 1-7-2024
    ])))
    # 30-6-2023: a, b, d = 3 (f ended, c has N); 31-12-2023: a, d = 2 (b ends that day);
    # 30-6-2024: a, d = 2 (e ended in February, g starts in July)
    assert values(con, "FF-4") == {"2023-H1": 3, "2023-H2": 2, "2024-H1": 2}
    assert compute(con, "FF-4")[0].toelichting == "Stand op 30 juni 2023."


# ------------------------------------------------------------------ FF-5: terugval


UITKERINGEN = [
    "U1;a;ha;PW;2021-01-01;2023-02-28;werk gevonden;WK039601",
    "U2;a;ha;PW;2023-11-01;;;WK039601",                          # a back within 12 months: terugval
    "U3;b;hb;PW;2020-05-01;2023-06-30;Werkaanvaarding;WK039602",
    "U4;b;hb;PW;2024-07-01;;;WK039602",                          # one day after the 12 months: no terugval
    "U5;c;hc;PW;2022-01-01;2023-09-30;vrijwilligerswerk;WK039603",  # not work: left out
    "U6;d;hd;PW;2022-03-01;2023-10-31;verhuizing;WK039604",      # not work: left out
    "U7;e;he;IOAW;2022-01-01;2023-04-30;werk;WK039605",          # IOAW, not bijstand: left out
    "U8;e;he;PW;2023-06-01;;;WK039605",
    "U9;f;hf;PW;2021-06-01;2023-12-31;inkomsten uit arbeid;WK039606",
    "U10;f;hf;IOAW;2024-03-01;;;WK039606",                       # back, but not in the bijstand: no terugval
    "U11;g;hg;PW;2022-02-01;2023-05-31;werk gevonden;WK039607",
    "U12;g;hg;PW;2023-07-01;2023-08-31;werk gevonden;WK039607",  # g ends for work twice in 2023: counted once
    "U13;g;hg;PW;2024-02-01;;;WK039607",
    "U14;h;hh;PW;2022-01-01;2022-12-31;werk;WK039608",           # earliest einddatum: the export begins 1-12-2022
    "U15;i;hi;PW;2025-01-06;;;WK039609",                         # sets the stand: 6-1-2025
]


def test_terugval_per_year_of_ending(tmp_path, connect):
    con = connect(imported(tmp_path, export(tmp_path, "uitkeringen", UITKERINGEN)))
    # The export begins 1-12-2022, so 2022 is not complete; 2023 is, and its 12 months after end on 31-12-2024,
    # before the stand (6-1-2025). 2024 would need a stand of 31-12-2025.
    # 2023: ended PW for work: a, b, f, g = 4; back in PW within 12 months: a, g = 2 → 50%
    rows = compute(con, "FF-5")
    assert [(m.periode, m.waarde, m.teller, m.noemer) for m in rows] == [("2023", 50.0, 2, 4)]
    assert rows[0].bron == "berekend uit Suite4SD (uitkeringen Participatiewet)"


def test_terugval_beside_divosa(tmp_path, connect):
    divosa = PROJECT_DIR / "data" / "templates" / "divosa_long.csv"  # Heemskerk 2023: 16%
    con = connect(imported(tmp_path, export(tmp_path, "uitkeringen", UITKERINGEN), divosa))
    comparison = terugval_vergelijking(con)
    assert comparison.reeksen.to_dict("records") == [
        {"periode": "2023", "divosa": 16.0, "berekend": 50.0, "teller": 2, "noemer": 4}]
    assert "andere gemeente" in comparison.uitleg and "reden van beëindiging" in comparison.uitleg
    assert comparison.voorbeelddata is False
    # Both stay stored under FF-5, told apart by their source.
    stored = con.execute("SELECT herkomst, waarde FROM current_measurement WHERE indicator_id = 'FF-5' "
                         "AND periode = '2023' ORDER BY herkomst").fetchall()
    assert stored == [("berekend", 50.0), ("import", 16.0)]


# ------------------------------------------------------------------ FF-6: inburgering


def test_inburgeraars_out_of_bijstand_within_3_5_years(tmp_path, connect):
    con = connect(imported(tmp_path, export(tmp_path, "inburgering", [
        "i1;2020-01-10;2020-02-01;2022-05-31;werk",        # out before 10-7-2023 (3,5 years): counted as out
        "i2;2020-03-15;2020-04-01;2023-12-31;werk",        # out after 15-9-2023: counted, not out
        "i3;2020-05-20;;;",                                # never bijstand: left out
        "i4;2020-06-30;2020-07-01;2021-03-31;verhuizing",  # moved away: outcome unknown, left out
        "i5;2020-08-01;2020-08-15;;",                      # still in bijstand: counted, not out
        "i6;2020-11-11;2024-06-01;;",                      # bijstand only after the 3,5 years: left out
        "i7;2021-02-01;2021-02-01;2024-08-01;studie",      # out on the last day of the 3,5 years: out
        "i8;2025-01-15;;;",                                # sets the stand: 15-1-2025
    ])))
    # The export begins 1-1-2020 (i1). 30-6-2024: settled in 2020 → i1, i2, i5 counted, i1 out: 1/3.
    # 31-12-2024: settled 1-7-2020 t/m 30-6-2021 → i5, i7 counted, i7 out: 1/2. Earlier half years would need
    # people settled before 2020, which the export does not cover; 30-6-2025 is after the stand.
    rows = compute(con, "FF-6")
    assert [(m.periode, round(m.waarde, 4), m.teller, m.noemer) for m in rows] == [
        ("2024-H1", 33.3333, 1, 3), ("2024-H2", 50.0, 1, 2)]
    assert "1 januari 2020 t/m 31 december 2020" in rows[0].toelichting


# ------------------------------------------------------------------ ZW-3, ZW-4, ZW-5: Wmo


WMO = [
    # kosten are days × a day rate, so each period's share is easy to check
    "W1;a;hulp bij het huishouden;maatwerk;2022-01-01;2023-01-31;3960,00;WK039601",  # 396 days × 10
    "W2;a;scootmobiel;maatwerk;2023-01-01;2023-12-31;3650,00;WK039601",              # 365 days × 10
    "W3;b;begeleiding individueel;maatwerk;2023-06-01;;7940,00;WK039602",            # 397 days to the stand × 20
    "W4;c;dagbesteding;maatwerk;2023-03-01;2023-08-31;9200,00;WK039603",             # 184 days × 50
    "W5;c;dagbesteding De Zonnebloem (gekanteld);voorliggend;2023-09-01;;500,00;WK039603",
    "W6;d;Dagbesteding;voorliggend;2023-02-01;2023-05-31;;WK039604",
    "W7;e;dagbesteding;maatwerk;2024-01-01;;5490,00;WK039605",                       # 183 days × 30
    "W8;f;maaltijdservice;voorliggend;2023-01-01;;1000,00;WK039606",                 # voorliggend: no costs, no user
    "W9;g;rolstoel;maatwerk;2024-07-01;;;WK039607",                                  # sets the stand: 1-7-2024
    "W10;h;dagbesteding;maatwerk;2023-10-01;2024-03-31;1830,00;WK039608",            # 183 days × 10
]


def test_wmo_dagbesteding_voorliggend(tmp_path, connect):
    con = connect(imported(tmp_path, export(tmp_path, "wmo", WMO)))
    # Begin 1-1-2023 (earliest einddatum 31-1-2023), stand 1-7-2024.
    # 2023: dagbesteding users c, d, h = 3; voorliggend c (had both), d = 2 → 66,67%
    # 1-7-2023 t/m 30-6-2024: c (W4, W5), e, h = 3 (d ended in May); voorliggend c = 1 → 33,33%
    assert values(con, "ZW-3") == {"2023": 66.666667, "2024-H1": 33.333333}


def test_wmo_maatwerk_costs_per_user(tmp_path, connect):
    con = connect(imported(tmp_path, export(tmp_path, "wmo", WMO)))
    # 2023: users a, b, c, h = 4; costs W1 31 days × 10 = 310, W2 3650, W3 214 days × 20 = 4280, W4 9200,
    # W10 92 days × 10 = 920 → 18360 / 4 = 4590. W5 and W8 are voorliggend: their 1500 is not counted.
    # 1-7-2023 t/m 30-6-2024: users a, b, c, e, h = 5; W2 184 × 10 = 1840, W3 366 × 20 = 7320,
    # W4 62 × 50 = 3100, W7 182 × 30 = 5460, W10 1830 → 19550 / 5 = 3910
    rows = {m.periode: m for m in compute(con, "ZW-4")}
    assert {p: round(m.waarde, 6) for p, m in rows.items()} == {"2023": 4590.0, "2024-H1": 3910.0}
    assert (rows["2023"].teller, rows["2023"].noemer) == (18360.0, 4)


def test_wmo_maatwerk_users_per_1000_inwoners(tmp_path, connect):
    con = connect(imported(tmp_path, export(tmp_path, "wmo", WMO)))
    population(con, ("85383NED", "2023", "InwonersTotaal_1", 40000), ("85984NED", "2024", "AantalInwoners_5", 25000))
    # 2023: 4 users / 40000 × 1000 = 0,1; 2024-H1: 5 users / 25000 (85383NED has no 2024: the wijk table's 2024)
    rows = {m.periode: m for m in compute(con, "ZW-5")}
    assert {p: round(m.waarde, 6) for p, m in rows.items()} == {"2023": 0.1, "2024-H1": 0.2}
    assert "CBS 85383NED (InwonersTotaal, 2023)" in rows["2023"].toelichting
    assert "CBS 85984NED (AantalInwoners, 2024)" in rows["2024-H1"].toelichting


def test_population_of_a_later_year_waits_for_cbs(tmp_path, connect):
    con = connect(imported(tmp_path, export(tmp_path, "wmo", WMO)))
    population(con, ("85383NED", "2022", "InwonersTotaal_1", 20000))
    # Neither 2023 nor 2024 published: both use 2022, and say so. 4 / 20000 × 1000 = 0,2; 5 / 20000 × 1000 = 0,25
    rows = {m.periode: m for m in compute(con, "ZW-5")}
    assert {p: round(m.waarde, 6) for p, m in rows.items()} == {"2023": 0.2, "2024-H1": 0.25}
    assert "het inwonertal van 2023 is nog niet gepubliceerd" in rows["2023"].toelichting


def test_wmo_without_population_gives_no_rate(tmp_path, connect):
    con = connect(imported(tmp_path, export(tmp_path, "wmo", WMO)))
    assert compute(con, "ZW-5") == []


# ------------------------------------------------------------------ OZ-3 and OZ-4: specialistische jeugdhulp


def test_specialistische_jeugdhulp(tmp_path, connect):
    con = connect(imported(tmp_path, export(tmp_path, "jeugd", [
        "J1;a;2010;specialistisch;N;2022-07-01;2023-06-30;14600,00;huisarts;WK039601",   # 365 days × 40
        "J2;b;2012;specialistisch;N;2023-01-01;2023-01-31;3100,00;huisarts;WK039602",    # earliest einddatum
        "J3;c;2004;specialistisch;J;2023-01-01;2023-12-31;36500,00;gemeente;WK039603",   # 19 in 2023: left out
        "J4;d;2005;specialistisch;N;2023-05-01;;2600,00;huisarts;WK039604",              # 17 on 1-1-2023: in
        "J5;e;2015;jeugdbescherming;J;2023-01-01;;50000,00;gecertificeerde instelling;WK039605",  # other vorm
        "J6;f;;specialistisch;N;2023-12-01;2023-12-31;620,00;huisarts;WK039606",        # no geboortejaar: in
        "J7;a;2010;specialistisch;N;2023-09-01;2023-12-31;1220,00;huisarts;WK039601",    # a's second traject
        "J8;g;2016;overig;N;2024-01-15;;;gemeente;WK039607",                             # sets the stand
    ])))
    population(con, ("85383NED", "2023", "InwonersJongerDan18_2", 8000))
    # Begin 1-1-2023, stand 15-1-2024: only 2023. Jeugdigen a, b, d, f = 4 → 4 / 8000 × 1000 = 0,5
    assert values(con, "OZ-3") == {"2023": 0.5}
    # Costs 2023: J1 181 days × 40 = 7240, J2 3100, J4 245 of 260 days to the stand × 10 = 2450, J6 620, J7 1220
    # = 14630 / 4 = 3657,5 (J3 and J5 are not counted)
    assert values(con, "OZ-4") == {"2023": 3657.5}


# ------------------------------------------------------------------ example data and empty exports


def test_records_from_an_example_export_make_voorbeelddata(tmp_path, connect):
    db = imported(tmp_path, export(tmp_path, "toekenningen", TOEKENNINGEN))
    con = connect(db)
    con.execute("UPDATE import_log SET bron = 'voorbeelddata' WHERE bron = 'suite4sd'")
    rows = compute(con, "FF-1")
    assert {m.herkomst for m in rows} == {"voorbeelddata"}
    assert all("voorbeelddata" in m.bron and "CBS" not in m.bron for m in rows)
    assert [m.waarde for m in rows] == [4, 3]


def test_no_records_no_values(con):
    # `con`: a new database with the plan only (tests/conftest.py)
    population(con, ("85383NED", "2023", "InwonersTotaal_1", 40000), ("85383NED", "2023", "InwonersJongerDan18_2", 8000))
    for indicator_id in SUITE4SD:
        assert compute(con, indicator_id) == [], indicator_id
    assert terugval_vergelijking(con).reeksen.empty


def test_year_windows():
    cover = records.Coverage(begin=date(2022, 3, 1), stand=date(2025, 7, 1), example=False)
    # 2022 starts before the begin; 2023 and 2024 are complete; 2025 is not, but its first half is
    assert [(w.periode, w.start, w.end) for w in records.year_windows(cover)] == [
        ("2023", date(2023, 1, 1), date(2023, 12, 31)), ("2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("2025-H1", date(2024, 7, 1), date(2025, 6, 30))]
    assert records.half_year_ends(cover) == [date(2022, 6, 30), date(2022, 12, 31), date(2023, 6, 30),
                                             date(2023, 12, 31), date(2024, 6, 30), date(2024, 12, 31),
                                             date(2025, 6, 30)]


# ------------------------------------------------------------------ the demo database, recomputed with pandas

EXPORTS = PROJECT_DIR / "data" / "voorbeelddata" / "exports"
CBS_DIR = PROJECT_DIR / "data" / "cbs"
WERK = r"\b(?:werk|werkaanvaarding|arbeid|dienstverband|baan)\b"
ONBEKEND = r"verhui|vertrek|vertrok|emigr|overl"


def read_export(name: str, dates: list[str]) -> pd.DataFrame:
    frame = pd.read_csv(EXPORTS / f"{name}.csv", sep=";", dtype=str, keep_default_na=False)
    for column in dates:
        frame[column] = pd.to_datetime(frame[column].replace("", None))
    return frame


def euros(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.str.replace(",", ".", regex=False).replace("", "0"))


def month_start(day) -> pd.Timestamp:
    return pd.Timestamp(day.year, day.month, 1)


def windows(begin: pd.Timestamp, stand: pd.Timestamp) -> list[tuple[str, pd.Timestamp, pd.Timestamp]]:
    """Whole calendar years from the begin to the stand, then the 12 months up to 30 June of the next year."""
    found = []
    year = begin.year if begin.month == 1 else begin.year + 1
    while pd.Timestamp(year, 12, 31) <= stand:
        found.append((str(year), pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)))
        year += 1
    if pd.Timestamp(year, 6, 30) <= stand and pd.Timestamp(year - 1, 7, 1) >= begin:
        found.append((f"{year}-H1", pd.Timestamp(year - 1, 7, 1), pd.Timestamp(year, 6, 30)))
    return found


def half_year_ends(begin: pd.Timestamp, stand: pd.Timestamp) -> list[pd.Timestamp]:
    return [day for year in range(begin.year, stand.year + 1)
            for day in (pd.Timestamp(year, 6, 30), pd.Timestamp(year, 12, 31)) if begin <= day <= stand]


def half_year(day: pd.Timestamp) -> str:
    return f"{day.year}-H{1 if day.month == 6 else 2}"


def cbs_heemskerk(table: str, column: str) -> dict[int, float]:
    """year → value for Heemskerk in a shipped CBS extract, definitief before voorlopig."""
    frame = pd.read_csv(CBS_DIR / f"{table}.csv", sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    region = "RegioS" if "RegioS" in frame else "WijkenEnBuurten"
    frame = frame[frame[region].str.strip() == "Heemskerk"]
    if "Codering_3" in frame:
        frame = frame[frame["Codering_3"].str.strip() == "GM0396"]
    period = frame["Perioden"].str.strip() if "Perioden" in frame else pd.Series("2024", index=frame.index)
    frame = frame.assign(jaar=period, waarde=pd.to_numeric(frame[column].str.strip(), errors="coerce"))
    frame = frame[frame["jaar"].str.fullmatch(r"\d{4}") & frame["waarde"].notna()]
    frame = frame.assign(voorlopig=frame.get("StatusCijfer", pd.Series("", index=frame.index)).str.strip()
                         .str.lower() == "voorlopig").sort_values("voorlopig")
    return {int(j): w for j, w in frame.drop_duplicates("jaar")[["jaar", "waarde"]].itertuples(index=False)}


def inwoners(year: int, *sources: dict[int, float]) -> float:
    for source in sources:  # the same year from the first source that has it
        if year in source:
            return source[year]
    earlier = {y: v for source in reversed(sources) for y, v in source.items() if y <= year}
    return earlier[max(earlier)]


def running(frame: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    return frame[(frame["ingangsdatum"] <= last) & (frame["einddatum"].isna() | (frame["einddatum"] >= first))]


def spread_costs(frame: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp, stand: pd.Timestamp) -> float:
    end = frame["einddatum"].fillna(stand)
    inside = (end.clip(upper=last) - frame["ingangsdatum"].clip(lower=first)).dt.days + 1
    total = (end - frame["ingangsdatum"]).dt.days + 1
    return float((euros(frame["kosten"]) * inside / total).sum())


def expected_from_exports() -> dict[str, dict[str, float]]:
    result: dict[str, dict[str, float]] = {}

    toekenningen = read_export("toekenningen_minimaregelingen", ["aanvraagdatum", "besluitdatum"])
    stand = toekenningen[["aanvraagdatum", "besluitdatum"]].max().max()
    granted = toekenningen[toekenningen["besluit"] == "toegekend"]
    for indicator_id, rows in (("FF-1", granted), ("FF-2", granted[granted["regeling"] == "KINDPAKKET"])):
        result[indicator_id] = {p: len(rows[rows["besluitdatum"].between(a, b)])
                                for p, a, b in windows(month_start(toekenningen["besluitdatum"].min()), stand)}

    lks = read_export("loonkostensubsidie", ["startdatum", "einddatum"])
    with_benefit = lks[lks["uitkering_bij_start"] == "J"]
    result["FF-4"] = {
        half_year(day): with_benefit[(with_benefit["startdatum"] <= day) & (with_benefit["einddatum"].isna()
                                                                           | (with_benefit["einddatum"] > day))]
        ["client_id"].nunique()
        for day in half_year_ends(month_start(lks["einddatum"].min()), lks["startdatum"].max())}

    uitkeringen = read_export("uitkeringen_participatiewet", ["ingangsdatum", "einddatum"])
    stand, begin = uitkeringen["ingangsdatum"].max(), month_start(uitkeringen["einddatum"].min())
    pw = uitkeringen[uitkeringen["regeling"] == "PW"]
    werk = pw[pw["reden_beeindiging"].str.lower().str.contains(WERK)]
    back = werk.merge(pw[["client_id", "ingangsdatum"]], on="client_id", suffixes=("", "_nieuw"))
    back = back[(back["ingangsdatum_nieuw"] > back["einddatum"])
                & (back["ingangsdatum_nieuw"] <= back["einddatum"] + pd.DateOffset(years=1))]
    result["FF-5"] = {}
    for year in range(begin.year if begin.month == 1 else begin.year + 1, stand.year):
        if pd.Timestamp(year + 1, 12, 31) <= stand:
            enders = werk[werk["einddatum"].dt.year == year]["client_id"].nunique()
            returned = back[back["einddatum"].dt.year == year]["client_id"].nunique()
            result["FF-5"][str(year)] = returned / enders * 100

    inburgering = read_export("inburgering", ["vestigingsdatum", "pw_ingangsdatum", "pw_einddatum"])
    begin = month_start(inburgering["vestigingsdatum"].min())
    limit = inburgering["vestigingsdatum"].apply(lambda d: d + pd.DateOffset(months=42))
    out = inburgering["pw_einddatum"].notna() & (inburgering["pw_einddatum"] <= limit)
    unknown = inburgering["reden_uitstroom"].str.lower().str.contains(ONBEKEND)
    counted = inburgering["pw_ingangsdatum"].notna() & (inburgering["pw_ingangsdatum"] <= limit) & ~(out & unknown)
    result["FF-6"] = {}
    for day in half_year_ends(begin, inburgering[["vestigingsdatum", "pw_ingangsdatum"]].max().max()):
        settled = ((pd.Timestamp(day.year - 4, 1, 1), pd.Timestamp(day.year - 4, 12, 31)) if day.month == 6 else
                   (pd.Timestamp(day.year - 4, 7, 1), pd.Timestamp(day.year - 3, 6, 30)))
        if settled[0] >= begin:
            cohort = counted & inburgering["vestigingsdatum"].between(*settled)
            result["FF-6"][half_year(day)] = (cohort & out).sum() / cohort.sum() * 100

    totaal = cbs_heemskerk("85383NED", "InwonersTotaal_1")
    wijken = cbs_heemskerk("85984NED", "AantalInwoners_5")
    jonger = cbs_heemskerk("85383NED", "InwonersJongerDan18_2")

    wmo = read_export("wmo_voorzieningen", ["ingangsdatum", "einddatum"])
    stand, begin = wmo["ingangsdatum"].max(), month_start(wmo["einddatum"].min())
    dagbesteding = wmo[wmo["voorziening"].str.lower().str.contains("dagbesteding")]
    maatwerk = wmo[wmo["soort"] == "maatwerk"]
    for indicator_id in ("ZW-3", "ZW-4", "ZW-5"):
        result[indicator_id] = {}
    for periode, first, last in windows(begin, stand):
        users = running(dagbesteding, first, last)
        result["ZW-3"][periode] = (users[users["soort"] == "voorliggend"]["client_id"].nunique()
                                   / users["client_id"].nunique() * 100)
        active = running(maatwerk, first, last)
        result["ZW-4"][periode] = spread_costs(active, first, last, stand) / active["client_id"].nunique()
        result["ZW-5"][periode] = active["client_id"].nunique() / inwoners(last.year, totaal, wijken) * 1000

    jeugd = read_export("jeugdhulp_trajecten", ["ingangsdatum", "einddatum"])
    stand, begin = jeugd["ingangsdatum"].max(), month_start(jeugd["einddatum"].min())
    born = pd.to_numeric(jeugd["geboortejaar"].replace("", None))
    result["OZ-3"], result["OZ-4"] = {}, {}
    for periode, first, last in windows(begin, stand):
        young = (jeugd["vorm"] == "specialistisch") & (born.isna() | (last.year - born <= 18))
        active = running(jeugd[young], first, last)
        result["OZ-3"][periode] = active["client_id"].nunique() / inwoners(last.year, jonger) * 1000
        result["OZ-4"][periode] = spread_costs(active, first, last, stand) / active["client_id"].nunique()
    return result


def test_status_json_after_build_demo_matches_a_recomputation_from_the_exports(demo_database):
    result = subprocess.run(
        [sys.executable, "-m", "monitor", "status", "--json", "--db", str(demo_database.path), "--peildatum",
         "2026-11-22"], cwd=PROJECT_DIR, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stderr
    items = {item["id"]: item for item in json.loads(result.stdout)}
    expected = expected_from_exports()
    assert set(expected) == set(SUITE4SD)
    for indicator_id, values_ in expected.items():
        shown = {m["period"]: m["value"] for m in items[indicator_id]["measurements"] if m["origin"] == "voorbeelddata"}
        # stored rounded to 6 decimals
        assert shown == pytest.approx(values_, abs=1e-6), indicator_id
        assert items[indicator_id]["latest"]["origin"] == "voorbeelddata", indicator_id
    # The 2023 values are the plan's baselines (FF-5: 16%, the Divosa baseline; FF-6 has none).
    for indicator_id in ("FF-1", "FF-2", "FF-5", "ZW-3", "ZW-4", "ZW-5", "OZ-3", "OZ-4"):
        assert expected[indicator_id]["2023"] == pytest.approx(PLAN.indicator(indicator_id).nulmeting_waarde,
                                                               abs=0.005), indicator_id
    assert expected["FF-4"]["2023-H2"] == PLAN.indicator("FF-4").nulmeting_waarde
