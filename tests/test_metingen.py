"""The metingenblad: a good sheet stores hand-checked measurements, every bad case is refused in Dutch with file, row
and column, and a newer sheet replaces exactly the figures it delivers again.

Files: tests/corpus/metingen/ (goed.csv and one file per bad case, each a one-cell change of goed.csv).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from monitor import catalogue, store
from monitor.imports import gate, metingen, pipeline, readers
from monitor.imports.base import CRITICAL, WARNING, ImportRefused
from tests.helpers import content

PROJECT_DIR = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "corpus" / "metingen"
PLAN = catalogue.load_plan(PROJECT_DIR / "data" / "plans" / "heemskerk.toml")
# Heemskerk's wijken as CBS names them (85984NED), as store.load_wijken returns them.
WIJKEN = {
    "WK039601": "Wijk 01 Heemskerk-Dorp",
    "WK039602": "Wijk 02 Commandeurs en Marquette",
    "WK039603": "Wijk 03 Hofland, Oosterwijk en Zuidbroek",
    "WK039604": "Wijk 04 Heemskerkerduin en Noorddorp",
    "WK039605": "Wijk 05 Poelenburg en Oosterzij",
    "WK039606": "Wijk 06 Noordbroek en De Trompet",
    "WK039607": "Wijk 07 Kerkbeek",
    "WK039608": "Wijk 08 Assumburg",
    "WK039609": "Wijk 09 Hoogdorp en Waterakkers",
    "WK039610": "Wijk 10 Broekpolder",
    "WK039611": "Wijk 11 Oostelijk Heemskerk",
}
COLUMNS = "indicator_id, wijk_code, periode, waarde, teller, noemer, eenheid, status, bron, toelichting"

# goed.csv by hand: periods in canonical form, wijk by code, CBS name or full name, '1.802' is 1802, units from the
# plan, an empty bron is the plan's bron (ZW-1), 'Voorlopig' in any case is voorlopig, empty status is definitief.
GOOD_ROWS = {
    ("VW-2", "", "2024-H1", 127.0, None, None, "aantal kinderen", "definitief", "Team Sportservice",
     "gebruikers Jeugdfonds Sport & Cultuur"),
    ("VW-3", "", "2023", 92.3, 360.0, 390.0, "%", "definitief", "GGD Kennemerland, Gezondheidsmonitor Jeugd", None),
    ("OO-5", "WK039601", "2024", 44.5, None, None, "%", "voorlopig", "GGD Kennemerland, Gezondheidsmonitor", None),
    ("OO-5", "WK039602", "2024", 47.2, None, None, "%", "voorlopig", "GGD Kennemerland, Gezondheidsmonitor", None),
    ("OO-5", "WK039603", "2024", 49.0, None, None, "%", "voorlopig", "GGD Kennemerland, Gezondheidsmonitor", None),
    ("OO-6", "", "2025", 1802.0, None, None, "aantal mantelzorgers", "definitief", "MantelZ",
     "mantelzorgers in beeld op 31 december"),
    ("ZW-1", "", "2024", 231.0, None, None, "nachten", "definitief", "Registraties BCT",
     "gemiddeld aantal nachten per opvangperiode"),
    ("OZ-6", "", "2023/2024", 37.0, None, None, "aantal leerlingen", "definitief", "Jaarverslag Leerplein",
     "nulmeting x van het plan"),
}


def check(parsed, name: str) -> list:
    """What the import pipeline does before storing: the reader's findings plus the GX suite; a critical one refuses."""
    findings = parsed.findings + gate.validate(parsed.frame, parsed.suite)
    failed = [f for f in findings if not f.passed and f.severity == CRITICAL]
    if failed:
        raise ImportRefused(name, " ".join(f.message for f in failed), findings)
    return findings


def assert_refused(action, name: str, fragments: list[str]) -> None:
    """action() is refused with a Dutch message that starts with the file name and contains every fragment."""
    with pytest.raises(ImportRefused) as refused:
        action()
    text = str(refused.value)
    assert text.startswith(f"{name}: ")
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} ontbreekt in: {text}"


def store_parsed(con, parsed, name: str) -> int:
    check(parsed, name)
    import_id = store.log_import(con, bestandsnaam=name, sha256=name, bron=parsed.source,
                                 type_herkend=parsed.detected_type, rijen=parsed.rows)
    parsed.store(con, import_id)
    return import_id


def parse(path: Path):
    return metingen.parse(readers.read_tabular(path), PLAN, WIJKEN)


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def rows(con, where: str = "vervangen_door IS NULL") -> set[tuple]:
    return set(con.execute(f"SELECT {COLUMNS} FROM measurement WHERE {where}").fetchall())


# ------------------------------------------------------------------ good sheets


def test_good_sheet_stores_the_hand_checked_measurements(con):
    parsed = parse(CORPUS / "goed.csv")
    import_id = store_parsed(con, parsed, "goed.csv")
    assert rows(con) == GOOD_ROWS
    assert con.execute("SELECT DISTINCT herkomst, gemeente_code, import_id FROM measurement").fetchall() == [
        ("meting", "GM0396", import_id)]
    assert con.execute("SELECT periode_start, periode_eind FROM measurement WHERE indicator_id = 'OZ-6'").fetchone() == (
        date(2023, 8, 1), date(2024, 7, 31))


def excel_number(text: str) -> float | int | None:
    """A Dutch number as Excel stores it: 92,3 is the float 92.3, 1.802 the integer 1802, empty is an empty cell."""
    if not text:
        return None
    return float(text.replace(".", "").replace(",", ".")) if "," in text else int(text.replace(".", ""))


def test_good_sheet_as_xlsx_stores_the_same(con, tmp_path):
    header, *body = (CORPUS / "goed.csv").read_text(encoding="utf-8").splitlines()
    workbook = openpyxl.Workbook()
    workbook.active.append(header.split(";"))
    for line in body:
        cells = line.split(";")
        cells[3:6] = [excel_number(c) for c in cells[3:6]]
        workbook.active.append(cells)
    workbook.save(tmp_path / "metingen.xlsx")
    store_parsed(con, parse(tmp_path / "metingen.xlsx"), "metingen.xlsx")
    assert rows(con) == GOOD_ROWS


def test_parsed_describes_the_sheet():
    parsed = parse(CORPUS / "goed.csv")
    assert (parsed.source, parsed.suite, parsed.rows) == ("metingen", "metingen", 8)
    assert parsed.detected_type == "metingenblad (6 indicatoren)"
    assert parsed.periods == ["2023", "2024-H1", "2023/2024", "2024", "2025"]
    assert parsed.supersede_key.startswith("metingen:OO-5,OO-6,OZ-6,VW-2,VW-3,ZW-1:")
    assert not parsed.findings


def test_template_is_a_valid_sheet(con):
    parsed = metingen.parse(readers.read_tabular(PROJECT_DIR / "data" / "templates" / "metingen.csv"), PLAN, WIJKEN)
    assert all(f.passed for f in check(parsed, "metingen.csv"))
    store_parsed(con, parsed, "metingen.csv")
    assert con.execute("SELECT indicator_id, periode, waarde FROM measurement ORDER BY indicator_id").fetchall() == [
        ("OO-6", "2024", 1754.0), ("VW-2", "2023-H2", 108.0)]


def test_recognised_by_its_columns():
    assert metingen.looks_like_metingen(["indicator_id", "periode", "wijk", "waarde", "teller", "noemer", "bron",
                                         "toelichting"])
    assert metingen.looks_like_metingen(["Indicator_ID", "Periode", "Waarde"])
    assert not metingen.looks_like_metingen(["gemeente", "indicator", "periode", "waarde", "vergelijkingsgroep"])


def test_header_case_does_not_matter(con, tmp_path):
    path = write(tmp_path / "hoofdletters.csv", ["Indicator_ID;Periode;Waarde;Bron", "ZW-1;2024;231;BCT"])
    store_parsed(con, parse(path), path.name)
    assert con.execute("SELECT indicator_id, periode, waarde, bron, status FROM measurement").fetchall() == [
        ("ZW-1", "2024", 231.0, "BCT", "definitief")]


# ------------------------------------------------------------------ bad sheets

# (file, what the Dutch message must name: the row and the column or the cause)
REFUSED = [
    ("onbekende_indicator.csv", ["kolom indicator_id", "niet in het plan", "regel 8"]),
    ("procent_boven_100.csv", ["kolom waarde", "tussen 0 en 100", "regel 5"]),
    ("negatief.csv", ["kolom waarde", "negatieve", "regel 2"]),
    ("teller_groter_dan_noemer.csv", ["kolommen teller en noemer", "groter dan de noemer", "regel 3"]),
    ("periode_onleesbaar.csv", ["kolom periode", "regel 2", "Periode '3e helft 2024' is ongeldig",
                                "halfjaar 3 bestaat niet"]),
    ("onbekende_wijk.csv", ["kolom wijk", "niet bij de gemeente", "regel 6"]),
    ("periode_toekomst.csv", ["kolom periode", "nog niet begonnen", "regel 7"]),
    ("dubbel.csv", ["dezelfde indicator_id, periode en wijk", "regel 2, 10"]),
    ("geen_getal.csv", ["kolom waarde", "zonder getal", "regel 8"]),
    ("teller_geen_getal.csv", ["kolom teller", "geen getal", "regel 3"]),
    ("formule.csv", ["Excel-formule", "regel 9 kolom toelichting"]),
    ("status_onbekend.csv", ["kolom status", "voorlopig of definitief", "regel 7"]),
]


@pytest.mark.parametrize("name, fragments", REFUSED, ids=[r[0] for r in REFUSED])
def test_bad_sheet_is_refused_naming_file_row_and_column(name, fragments):
    assert_refused(lambda: check(parse(CORPUS / name), name), name, fragments)


@pytest.mark.parametrize("name, fragments", [
    ("bsn.csv", ["kolom bsn", "burgerservicenummers", "python -m monitor pseudonimiseer"]),
    ("kolom_ontbreekt.csv", ["ontbreekt kolom waarde", "data/templates/"]),
])
def test_unreadable_sheet_is_refused_while_parsing(name, fragments):
    assert_refused(lambda: parse(CORPUS / name), name, fragments)


def test_running_period_is_not_the_future(tmp_path):
    path = write(tmp_path / "dit_jaar.csv", ["indicator_id;periode;waarde", f"ZW-1;{date.today().year};231"])
    assert all(f.passed for f in check(parse(path), path.name))


def test_value_matching_teller_and_noemer_only_within_the_rounding_shown(tmp_path):
    # 360 / 390 × 100 = 92,307…: 92,3 and 92 are that figure rounded, 92,4 is not.
    lines = ["indicator_id;periode;waarde;teller;noemer", "VW-3;2023;{};360;390"]
    outcomes = {}
    for value in ("92,3", "92", "92,31", "92,4"):
        path = write(tmp_path / "vw3.csv", [lines[0], lines[1].format(value)])
        findings = check(parse(path), path.name)
        outcomes[value] = next(f.passed for f in findings if f.column == "waarde_past_bij_teller_en_noemer")
    assert outcomes == {"92,3": True, "92": True, "92,31": True, "92,4": False}


@pytest.mark.parametrize("name, fragment, line", [
    ("waarde_past_niet.csv", "teller / noemer × 100", "regel 3"),
    ("import_indicator.csv", "aanlevering = import", "regel 10"),
])
def test_warning_imports_and_says_why(con, name, fragment, line):
    parsed = parse(CORPUS / name)
    warnings = [f for f in check(parsed, name) if not f.passed]
    assert [f.severity for f in warnings] == [WARNING]
    assert fragment in warnings[0].message and line in warnings[0].message
    parsed.store(con, store.log_import(con, bestandsnaam=name, sha256=name, bron="metingen", type_herkend="t",
                                       rijen=parsed.rows))
    assert con.execute("SELECT count(*) FROM measurement").fetchone()[0] == parsed.rows


# ------------------------------------------------------------------ supersession


def test_newer_sheet_replaces_only_the_figures_it_delivers_again(con, tmp_path):
    first = store_parsed(con, parse(CORPUS / "goed.csv"), "goed.csv")
    correction = write(tmp_path / "correctie.csv", ["indicator_id;periode;wijk;waarde;bron",
                                                    "OO-5;2024;WK039602;46,8;GGD Kennemerland"])
    second = store_parsed(con, parse(correction), correction.name)
    current = {(r[0], r[1], r[2]): r[3] for r in rows(con)}
    assert current[("OO-5", "WK039602", "2024")] == 46.8
    assert current[("OO-5", "WK039601", "2024")] == 44.5 and current[("OO-5", "WK039603", "2024")] == 49.0
    assert len(current) == len(GOOD_ROWS)
    assert con.execute("SELECT waarde, import_id, vervangen_door FROM measurement WHERE vervangen_door IS NOT NULL"
                       ).fetchall() == [(47.2, first, second)]
    # The older sheet still delivers current figures, so it is not replaced as a whole.
    assert con.execute("SELECT vervangen_door FROM import_log WHERE import_id = ?", [first]).fetchone()[0] is None


def test_sheet_of_which_nothing_current_is_left_is_marked_replaced(con, tmp_path):
    old = write(tmp_path / "oud.csv", ["indicator_id;periode;waarde", "VW-2;1e helft 2024;127"])
    new = write(tmp_path / "nieuw.csv", ["indicator_id;periode;waarde", "VW-2;2024-H1;129", "ZW-1;2024;231"])
    first = store_parsed(con, parse(old), old.name)
    second = store_parsed(con, parse(new), new.name)
    assert con.execute("SELECT vervangen_door FROM import_log WHERE import_id = ?", [first]).fetchone()[0] == second
    assert rows(con, "vervangen_door IS NOT NULL") == {
        ("VW-2", "", "2024-H1", 127.0, None, None, "aantal kinderen", "definitief", "Team Sportservice", None)}


def test_other_origins_are_never_replaced(con, tmp_path):
    store.insert_measurements(con, [store.Measurement("ZW-1", "GM0396", "2024", 240.0, "nachten", "plan", "nulmeting")])
    path = write(tmp_path / "zw1.csv", ["indicator_id;periode;waarde", "ZW-1;2024;231"])
    store_parsed(con, parse(path), path.name)
    assert con.execute("SELECT herkomst, waarde FROM current_measurement ORDER BY waarde").fetchall() == [
        ("meting", 231.0), ("nulmeting", 240.0)]


# ------------------------------------------------------------------ through the import pipeline


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "x.duckdb"
    connection = store.open_store(path)
    store.save_plan(connection, PLAN)
    store.insert_many(connection, "INSERT INTO wijk VALUES (?, ?, ?, NULL, NULL)",
                      [[code, "GM0396", name] for code, name in WIJKEN.items()])
    connection.close()
    return path


def test_pipeline_imports_a_sheet_and_a_partial_correction(db, tmp_path):
    result = pipeline.import_file(db, CORPUS / "goed.csv")
    assert (result.status, result.rows) == (pipeline.IMPORTED, 8), result.message
    # Same indicators and wijk column, one wijk corrected: the other wijken must stay current.
    correction = write(tmp_path / "correctie.csv", [
        "indicator_id;periode;wijk;waarde;teller;noemer;bron;toelichting;status",
        "VW-2;1e helft 2024;;127;;;Team Sportservice;gebruikers Jeugdfonds Sport & Cultuur;",
        "VW-3;2023;;92,3;360;390;GGD Kennemerland, Gezondheidsmonitor Jeugd;;",
        "OO-5;2024;WK039602;46,8;;;GGD Kennemerland, Gezondheidsmonitor;;definitief",
        "OO-6;2025;;1.802;;;MantelZ;mantelzorgers in beeld op 31 december;definitief",
        "ZW-1;2024;;231;;;;gemiddeld aantal nachten per opvangperiode;",
        "OZ-6;2023-2024;;37;;;Jaarverslag Leerplein;nulmeting x van het plan;",
    ])
    assert pipeline.import_file(db, correction).status == pipeline.IMPORTED
    con = store.connect(db, read_only=True)
    try:
        oo5 = con.execute("SELECT wijk_code, waarde, status FROM current_measurement WHERE indicator_id = 'OO-5' "
                          "ORDER BY wijk_code").fetchall()
    finally:
        con.close()
    assert oo5 == [("WK039601", 44.5, "voorlopig"), ("WK039602", 46.8, "definitief"), ("WK039603", 49.0, "voorlopig")]


def test_pipeline_refusal_changes_nothing(db):
    before = content(db)
    result = pipeline.import_file(db, CORPUS / "onbekende_wijk.csv")
    assert result.status == pipeline.REFUSED
    assert "kolom wijk" in result.message and "regel 6" in result.message
    assert content(db) == before
