"""Bereik of the minimaregelingen: the KWIZ table 2021-2022 exactly, a handcrafted Suite4SD export computed by hand,
the choice of doelgroep, the national bands and the series."""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path

import pytest

from monitor import bereik, store
from monitor.imports import readers
from monitor.imports.base import ImportRefused
from monitor.imports.pipeline import IMPORTED, import_file

PROJECT_DIR = Path(__file__).resolve().parent.parent
HEADER = ("toekenning_id;client_id;huishouden_id;regeling;besluit;aanvraagdatum;besluitdatum;ingangsdatum;einddatum;"
          "bedrag;wijk;inkomen_pct_wsm;aantal_kinderen")
JAAR_2024 = (date(2024, 1, 1), date(2025, 1, 1))


def by_code(frame) -> dict:
    return {row.code: row for row in frame.itertuples()}


# ------------------------------------------------------------------ the KWIZ measurement 1 juli 2021 - 1 juli 2022

# code: (doelgroep, gebruik, bereik as published, landelijk_min, landelijk_max, beoordeling)
KWIZ_TABLE = {
    # 358 / 1.311 = 27,31% → 27%; 27 > 25 (band 20-25): "net iets boven" in KWIZ's words.
    "BIJZ_BIJSTAND": (1311, 358, 27, 20, 25, bereik.BOVEN),
    # 892 / 1.200 = 74,33% → 74%; within 70-75.
    "KWIJTSCHELDING": (1200, 892, 74, 70, 75, bereik.BINNEN),
    # 246 / 736 = 33,42% → 33% (the published figure); 249 / 736 = 33,83% would be 34%: the table's 246 is right.
    # "ongeveer 50%" is taken as 45-55: 33 is below it.
    "IIT": (736, 246, 33, 45, 55, bereik.ONDER),
    # 541 / 1.895 = 28,55% → 29%; below 35-40.
    "CZM": (1895, 541, 29, 35, 40, bereik.ONDER),
    # 487 / 1.311 = 37,15% → 37%; within 35-40.
    "MAATSCH_ACT": (1311, 487, 37, 35, 40, bereik.BINNEN),
    # 117 / 420 = 27,86% → 28%; below 45-50.
    "KINDPAKKET": (420, 117, 28, 45, 50, bereik.ONDER),
}


def test_kwiz_table_is_reproduced_exactly():
    meting = by_code(bereik.kwiz_meting())
    for code, (doelgroep, gebruik, published, low, high, judgement) in KWIZ_TABLE.items():
        row = meting[code]
        assert (row.doelgroep_huishoudens, row.gebruik_huishoudens, row.bereik_pct) == (doelgroep, gebruik, published)
        assert bereik.whole_percent(gebruik, doelgroep) == published
        assert row.bereik_exact == pytest.approx(gebruik * 100 / doelgroep)
        assert (row.landelijk_min, row.landelijk_max, row.beoordeling) == (low, high, judgement)
        assert row.periode == "1 juli 2021 tot 1 juli 2022"
        assert (row.van, row.tot) == (date(2021, 7, 1), date(2022, 7, 1))
        assert "Evaluatie minimabeleid en schuldhulpverlening gemeente Heemskerk" in row.bron


def test_kwiz_keeps_its_own_doelgroep_and_notes():
    meting = by_code(bereik.kwiz_meting())
    # KWIZ's doelgroep per regeling: the 110% group for bijzondere bijstand and maatschappelijke activiteiten, the
    # 130% group for CZM, 100% for kwijtschelding, and own groups (736, 420) for IIT and the Kindpakket.
    assert {c: meting[c].inkomensgrens for c in KWIZ_TABLE} == {
        "BIJZ_BIJSTAND": 110, "KWIJTSCHELDING": 100, "IIT": 110, "CZM": 130, "MAATSCH_ACT": 110, "KINDPAKKET": 110}
    assert "249" in meting["IIT"].toelichting and "246" in meting["IIT"].toelichting
    assert "45 tot 55" in meting["IIT"].toelichting
    assert "714 inwoners" in meting["CZM"].toelichting
    # Energietoeslag and studietoeslag: gebruik without a bereik, as in the running text.
    for code, gebruik in (("ENERGIETOESLAG", 1329), ("STUDIETOESLAG", 3)):
        assert meting[code].gebruik_huishoudens == gebruik
        assert math.isnan(meting[code].bereik_pct) and meting[code].beoordeling == bereik.ONBEKEND


def test_a_published_bereik_that_does_not_add_up_is_refused(tmp_path):
    text = (PROJECT_DIR / "data" / "bereik_kwiz_2022.csv").read_text(encoding="utf-8")
    wrong = tmp_path / "kwiz.csv"
    wrong.write_text(text.replace(";736;246;33;", ";736;249;33;"), encoding="utf-8")
    with pytest.raises(ImportRefused, match=r"bereik_pct 33 past niet bij gebruik 249 en doelgroep 736 \(34\)"):
        bereik.read_kwiz(wrong)
    wrong.write_text(text + text.splitlines()[1] + "\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match="regel 10: code BIJZ_BIJSTAND staat er al eerder in"):
        bereik.read_kwiz(wrong)


# ------------------------------------------------------------------ arithmetic and the band


@pytest.mark.parametrize("teller, noemer, expected", [
    (358, 1311, 27),   # 27,31
    (1, 8, 13),        # 12,5: half up, where banker's rounding would give 12
    (5, 8, 63),        # 62,5
    (1, 3, 33),        # 33,33
    (0, 10, 0),
])
def test_whole_percent_rounds_half_up(teller, noemer, expected):
    assert bereik.whole_percent(teller, noemer) == expected


@pytest.mark.parametrize("pct, low, high, expected", [
    (19, 20, 25, bereik.ONDER),
    (20, 20, 25, bereik.BINNEN),   # the bounds belong to the band
    (25, 20, 25, bereik.BINNEN),
    (26, 20, 25, bereik.BOVEN),
    (30, float("nan"), float("nan"), bereik.ONBEKEND),
    (float("nan"), 20, 25, bereik.ONBEKEND),
    (None, 20, 25, bereik.ONBEKEND),
])
def test_band_classification(pct, low, high, expected):
    assert bereik.beoordeling(pct, low, high) == expected


def test_period_labels():
    assert bereik.periode_label(date(2024, 1, 1), date(2025, 1, 1)) == "2024"
    assert bereik.periode_label(date(2024, 7, 1), date(2025, 7, 1)) == "1 juli 2024 tot 1 juli 2025"


# ------------------------------------------------------------------ the shipped doelgroepen


def test_shipped_doelgroepen_per_regeling(con):
    rows = by_code(bereik.bereik(con, *JAAR_2024))
    doelgroep = {code: row.doelgroep_huishoudens for code, row in rows.items()}
    # The general KWIZ 2022 estimates at 100/110/130% Wsm, and KWIZ's own groups for IIT and the Kindpakket.
    assert {c: doelgroep[c] for c in ("KWIJTSCHELDING", "IIT", "CZM", "MAATSCH_ACT", "KINDPAKKET")} == {
        "KWIJTSCHELDING": 1200, "IIT": 736, "CZM": 1895, "MAATSCH_ACT": 1311, "KINDPAKKET": 420}
    # Bijzondere bijstand has a grens of 150% Wsm: there is no estimate at 150%.
    assert math.isnan(doelgroep["BIJZ_BIJSTAND"])
    assert "geen doelgroepschatting voor 150% Wsm" in rows["BIJZ_BIJSTAND"].toelichting
    # Regelingen for a subgroup without an estimate, and one without a grens: no bereik, and the reason.
    for code in ("ENERGIETOESLAG", "JFSC", "COMPUTER", "STUDIETOESLAG"):
        assert math.isnan(rows[code].bereik_pct) and rows[code].beoordeling == bereik.ONBEKEND
        assert "geen bereik" in rows[code].toelichting


def test_shipped_doelgroepen_match_the_kwiz_estimates():
    frame = bereik.read_doelgroepen()
    general = frame[frame["regeling"].isna()].set_index("inkomensgrens_pct_wsm")
    assert general["huishoudens"].to_dict() == {100: 1200, 110: 1311, 120: 1634, 130: 1895}
    assert general["kinderen"].to_dict() == {100: 790, 110: 910, 120: 1090, 130: 1300}
    assert set(frame["periode"]) == {"2022"}


@pytest.mark.parametrize("line, message", [
    ("2022;110;;1.311;;KWIZ;", "huishoudens '1.311' is geen geheel getal"),
    ("2022;110;;1311;;KWIZ;\n2022;110;;1400;;KWIZ;", "regel 3: dezelfde periode, grens en regeling"),
    ("tweeduizend;110;;1311;;KWIZ;", "regel 2: Periode 'tweeduizend' niet herkend"),
    ("2022;;;1311;;KWIZ;", "regel 2: inkomensgrens_pct_wsm is leeg"),
    ("2022;110;;1311;;;", "regel 2: bron is leeg"),
])
def test_doelgroepen_file_mistakes_are_reported(tmp_path, line, message):
    path = tmp_path / "doelgroepen.csv"
    path.write_text(";".join(bereik.DOELGROEPEN_COLUMNS) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match=re.escape(message)):
        bereik.read_doelgroepen(path)


# ------------------------------------------------------------------ a handcrafted export, computed by hand

# Small doelgroepen so every bereik is easy to check by hand. 110% has a 2022 and a 2025 estimate; 120% and 150%
# have no general row; the Kindpakket has its own group; JFSC a row without households.
DOELGROEPEN = """periode;inkomensgrens_pct_wsm;regeling;huishoudens;kinderen;bron;toelichting
2022;100;;8;;test 100;
2022;110;;10;;test 110 (2022);
2025;110;;20;;test 110 (2025);
2022;130;;4;;test 130;
2022;110;KINDPAKKET;4;;test kindpakket;huishoudens met kinderen
2022;120;JFSC;;;test jfsc;regeling voor kinderen
"""

# (toekenning_id, client_id, huishouden_id, regeling, besluit, besluitdatum)
TOEKENNINGEN = [
    # KWIJTSCHELDING, 2024: h01 (twice), h02, h03, h04, h05 → 5 households.
    ("t01", "c01", "h01", "KWIJTSCHELDING", "toegekend", "2024-02-10"),
    ("t02", "c01", "h01", "KWIJTSCHELDING", "toegekend", "2024-09-10"),   # second toekenning of h01: counts once
    ("t03", "c02", "h02", "KWIJTSCHELDING", "toegekend", "2024-03-01"),
    ("t04", "c03", "h03", "KWIJTSCHELDING", "toegekend", "2024-04-01"),
    ("t05", "c04", "h04", "KWIJTSCHELDING", "toegekend", "2024-05-01"),
    ("t06", "c05", "h05", "KWIJTSCHELDING", "toegekend", "2024-12-31"),   # last day of the period: counted
    ("t07", "c06", "h06", "KWIJTSCHELDING", "afgewezen", "2024-06-01"),   # afgewezen: not counted
    ("t08", "c07", "h07", "KWIJTSCHELDING", "ingetrokken", "2024-06-01"),  # ingetrokken: not counted
    ("t09", "c08", "h08", "KWIJTSCHELDING", "toegekend", "2023-12-31"),   # before the period
    ("t10", "c09", "h09", "KWIJTSCHELDING", "toegekend", "2025-01-01"),   # `tot` itself is outside the period
    # IIT, 2024: h01 and h10 → 2 households.
    ("t11", "c01", "h01", "IIT", "toegekend", "2024-03-15"),
    ("t12", "c10", "h10", "IIT", "toegekend", "2024-07-01"),
    ("t13", "c11", "h11", "IIT", "toegekend", "2025-06-20"),              # only in the window to 1 juli 2025
    # MAATSCH_ACT, 2024: h01-h04 → 4 households; c12 is a second aanvrager in h04.
    *[(f"t{14 + i}", f"c0{i + 1}", f"h0{i + 1}", "MAATSCH_ACT", "toegekend", "2024-05-15") for i in range(3)],
    ("t17", "c12", "h04", "MAATSCH_ACT", "toegekend", "2024-05-15"),
    # CZM, 2024: h01, h02 → 2 households.
    ("t18", "c01", "h01", "CZM", "toegekend", "2024-01-02"),
    ("t19", "c02", "h02", "CZM", "toegekend", "2024-01-02"),
    # KINDPAKKET, 2024: h03 twice → 1 household.
    ("t20", "c03", "h03", "KINDPAKKET", "toegekend", "2024-02-01"),
    ("t21", "c03", "h03", "KINDPAKKET", "toegekend", "2024-08-01"),
    # BIJZ_BIJSTAND, 2024: h01 → 1 household, but no doelgroep at 150% Wsm.
    ("t22", "c01", "h01", "BIJZ_BIJSTAND", "toegekend", "2024-10-01"),
    # JFSC, 2024: no huishouden_id; c20 twice and c21 → 2 households (counted per aanvrager).
    ("t23", "c20", "", "JFSC", "toegekend", "2024-03-01"),
    ("t24", "c20", "", "JFSC", "toegekend", "2024-09-01"),
    ("t25", "c21", "", "JFSC", "toegekend", "2024-09-01"),
]


def export_csv(path: Path, rows) -> Path:
    lines = [HEADER]
    for toekenning, client, huishouden, regeling, besluit, besluitdatum in rows:
        toegekend = besluit == "toegekend"
        lines.append(";".join([toekenning, client, huishouden, regeling, besluit, besluitdatum, besluitdatum,
                               besluitdatum if toegekend else "", "", "100,00" if toegekend else "0,00",
                               "WK039603", "105", "1"]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def handcrafted(tmp_path):
    """A database with the handcrafted export imported through the pipeline, and the test doelgroepen."""
    db = tmp_path / "bereik.duckdb"
    result = import_file(db, export_csv(tmp_path / "toekenningen.csv", TOEKENNINGEN))
    assert result.status == IMPORTED, result.message
    doelgroepen = tmp_path / "doelgroepen.csv"
    doelgroepen.write_text(DOELGROEPEN, encoding="utf-8")
    con = store.connect(db, read_only=True)
    yield con, doelgroepen, db, tmp_path
    con.close()


def test_handcrafted_export_gives_the_hand_computed_bereik(handcrafted):
    con, doelgroepen, _, _ = handcrafted
    rows = by_code(bereik.bereik(con, *JAAR_2024, doelgroepen_path=doelgroepen))
    # code: (doelgroep, gebruik, bereik_pct, beoordeling against the KWIZ band)
    expected = {
        # 5 / 8 = 62,5% → 63% (half up); band 70-75 → onder.
        "KWIJTSCHELDING": (8, 5, 63, bereik.ONDER),
        # 2 / 10 = 20%: the 2022 estimate at 110%, since the 2025 one starts after 2024; band 45-55 → onder.
        "IIT": (10, 2, 20, bereik.ONDER),
        # 4 / 10 = 40%; band 35-40, bound included → binnen.
        "MAATSCH_ACT": (10, 4, 40, bereik.BINNEN),
        # 2 / 4 = 50%; band 35-40 → boven.
        "CZM": (4, 2, 50, bereik.BOVEN),
        # 1 / 4 = 25%: the Kindpakket's own group, not the 10 at 110%; band 45-50 → onder.
        "KINDPAKKET": (4, 1, 25, bereik.ONDER),
        # 0 / 10 = 0%; no national band → onbekend.
        "COMPUTER": (10, 0, 0, bereik.ONBEKEND),
    }
    for code, (doelgroep, gebruik, pct, judgement) in expected.items():
        row = rows[code]
        assert (row.doelgroep_huishoudens, row.gebruik_huishoudens, row.bereik_pct, row.beoordeling) == (
            doelgroep, gebruik, pct, judgement), code
        assert row.bereik_exact == pytest.approx(gebruik * 100 / doelgroep)
        assert row.periode == "2024"
    assert rows["KWIJTSCHELDING"].bereik_exact == 62.5
    assert rows["KINDPAKKET"].toelichting.startswith("doelgroep: huishoudens met kinderen")


def test_regelingen_without_a_doelgroep_still_show_gebruik(handcrafted):
    con, doelgroepen, _, _ = handcrafted
    rows = by_code(bereik.bereik(con, *JAAR_2024, doelgroepen_path=doelgroepen))
    bijz = rows["BIJZ_BIJSTAND"]
    assert bijz.gebruik_huishoudens == 1 and math.isnan(bijz.bereik_pct) and bijz.beoordeling == bereik.ONBEKEND
    assert "geen doelgroepschatting voor 150% Wsm in doelgroepen.csv" in bijz.toelichting
    jfsc = rows["JFSC"]
    assert jfsc.gebruik_huishoudens == 2 and math.isnan(jfsc.bereik_pct)
    assert "geen bereik: regeling voor kinderen" in jfsc.toelichting
    assert "3 toekenning(en) zonder huishouden_id: geteld per aanvrager" in jfsc.toelichting
    energie = rows["ENERGIETOESLAG"]
    assert energie.gebruik_huishoudens == 0 and "geen doelgroepschatting voor 120% Wsm" in energie.toelichting
    assert "geen inkomensgrens" in rows["STUDIETOESLAG"].toelichting
    assert list(bereik.bereik(con, *JAAR_2024, doelgroepen_path=doelgroepen).columns) == bereik.COLUMNS


def test_a_newer_export_replaces_the_older_one(handcrafted):
    con, doelgroepen, db, tmp_path = handcrafted
    con.close()
    newer = export_csv(tmp_path / "toekenningen_nieuw.csv", [
        ("n01", "c30", "h30", "KWIJTSCHELDING", "toegekend", "2024-03-01"),
        ("n02", "c31", "h31", "IIT", "toegekend", "2024-12-01"),
        # Runs past the first export (June 2025), so it is the newer snapshot; a 2025 refusal leaves 2024 alone.
        ("n03", "c32", "h32", "CZM", "afgewezen", "2025-07-01"),
    ])
    # 3 rows replacing 13 is a shrinking replacement: confirmed, as the steward would.
    assert import_file(db, newer, confirmed=True).status == IMPORTED
    with store.connect(db, read_only=True) as fresh:
        rows = by_code(bereik.bereik(fresh, *JAAR_2024, doelgroepen_path=doelgroepen))
    # Only the current export counts: 1 / 8 = 12,5% → 13% (half up); 1 / 10 = 10%.
    assert (rows["KWIJTSCHELDING"].gebruik_huishoudens, rows["KWIJTSCHELDING"].bereik_pct) == (1, 13)
    assert (rows["IIT"].gebruik_huishoudens, rows["IIT"].bereik_pct) == (1, 10)
    assert rows["MAATSCH_ACT"].gebruik_huishoudens == 0


# ------------------------------------------------------------------ the series


def test_series_starts_with_kwiz_then_every_covered_window(handcrafted):
    con, doelgroepen, _, _ = handcrafted
    reeks = bereik.bereik_reeks(con, doelgroepen_path=doelgroepen)
    # The export covers December 2023 (t09) to June 2025 (t13): the windows ending 1 January 2025 and 1 July 2025
    # lie inside it; the one ending 1 July 2024 starts in July 2023, before the export.
    assert list(dict.fromkeys(reeks["periode"])) == ["1 juli 2021 tot 1 juli 2022", "2024",
                                                     "1 juli 2024 tot 1 juli 2025"]
    assert (reeks["periode"] == "1 juli 2021 tot 1 juli 2022").sum() == 8
    last = by_code(reeks[reeks["periode"] == "1 juli 2024 tot 1 juli 2025"])
    # KWIJTSCHELDING from 1 July 2024 to 1 July 2025: h01 (t02), h05 (t06), h09 (t10) → 3 / 8 = 37,5% → 38%.
    assert (last["KWIJTSCHELDING"].gebruik_huishoudens, last["KWIJTSCHELDING"].bereik_pct) == (3, 38)
    # IIT: h10 (1 July 2024, the first day) and h11 → 2; the 2025 estimate at 110% (20) now applies: 10%.
    assert (last["IIT"].doelgroep_huishoudens, last["IIT"].gebruik_huishoudens, last["IIT"].bereik_pct) == (20, 2, 10)
    assert last["IIT"].doelgroep_periode == "2025"
    assert list(reeks.columns) == bereik.COLUMNS


def test_series_without_toekenningen_is_the_kwiz_measurement(con):
    reeks = bereik.bereik_reeks(con)
    assert set(reeks["periode"]) == {"1 juli 2021 tot 1 juli 2022"}
    assert len(reeks) == 8


def test_windows_before_the_kwiz_period_are_left_out(tmp_path):
    db = tmp_path / "oud.duckdb"
    rows = [("o01", "c01", "h01", "IIT", "toegekend", "2021-01-05"),
            ("o02", "c01", "h01", "IIT", "toegekend", "2023-01-20")]
    assert import_file(db, export_csv(tmp_path / "oud.csv", rows)).status == IMPORTED
    with store.connect(db, read_only=True) as con:
        # Covered: January 2021 to January 2023. Windows: 2021 (to 1 January 2022), July 2021 to July 2022 (the
        # KWIZ period itself) and 2022; only 2022 ends after the KWIZ period.
        assert bereik.vensters(con) == [(date(2021, 1, 1), date(2022, 1, 1)), (date(2021, 7, 1), date(2022, 7, 1)),
                                        (date(2022, 1, 1), date(2023, 1, 1))]
        reeks = bereik.bereik_reeks(con)
    assert list(dict.fromkeys(reeks["periode"])) == ["1 juli 2021 tot 1 juli 2022", "2022"]


# ------------------------------------------------------------------ docs/bereik.md


def test_docs_describe_the_files_and_the_outcomes():
    text = (PROJECT_DIR / "docs" / "bereik.md").read_text(encoding="utf-8")
    for column in {*bereik.DOELGROEPEN_COLUMNS, *bereik.KWIZ_COLUMNS, *bereik.COLUMNS}:
        assert f"`{column}`" in text, f"docs/bereik.md beschrijft kolom {column} niet"
    for outcome in (bereik.ONDER, bereik.BINNEN, bereik.BOVEN, bereik.ONBEKEND):
        assert f"`{outcome}`" in text
    for name in ("data/doelgroepen_heemskerk.csv", "data/bereik_kwiz_2022.csv", "ingetrokken", "afgewezen"):
        assert name in text


def test_shipped_files_read_as_csv_with_semicolons():
    for name in ("doelgroepen_heemskerk.csv", "bereik_kwiz_2022.csv"):
        assert readers.read_tabular(PROJECT_DIR / "data" / name).delimiter == ";"


def test_kerncijfer_is_the_lowest_bereik_of_the_latest_period_by_the_peildatum():
    # The KWIZ measurement 1 juli 2021 tot 1 juli 2022 alone (data/bereik_kwiz_2022.csv): bereik 27 (BIJZ_BIJSTAND,
    # band 20-25), 74 (70-75), 33 (45-55), 29 (35-40), 37 (35-40), 28 (KINDPAKKET, 45-50); Energietoeslag and
    # studietoeslag have no doelgroep. Lowest: 27, Bijzondere bijstand. At or above the lower bound: 27 >= 20,
    # 74 >= 70, 37 >= 35 → 3 of 6.
    series = bereik.kwiz_meting()
    figure = bereik.kerncijfer(series, date(2023, 1, 1))
    assert (figure.naam, figure.bereik_pct, figure.landelijk_min, figure.landelijk_max) == (
        "Bijzondere bijstand", 27, 20, 25)
    assert (figure.op_niveau, figure.regelingen) == (3, 6)
    assert figure.periode == "1 juli 2021 tot 1 juli 2022"
    # Before 1 July 2022 the period has not ended: no figure yet
    assert bereik.kerncijfer(series, date(2022, 6, 30)) is None
