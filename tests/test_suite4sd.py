"""Suite4SD record exports: recognising, parsing, the GX suites and storing, against hand-computed expectations.

The corpus in tests/corpus/suite4sd/ holds one file per bad case (see its README); all ids are made up.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import great_expectations.expectations as gx_expectations
import pandas as pd
import pytest
from openpyxl import Workbook

from monitor import store
from monitor.imports import bsn, gate, readers, suite4sd
from monitor.imports.base import CRITICAL, WARNING, ImportRefused

PROJECT_DIR = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "corpus" / "suite4sd"
TEMPLATES = PROJECT_DIR / "data" / "templates"
MIGRATIONS = PROJECT_DIR / "monitor" / "migrations"


def heemskerk_wijken() -> dict[str, str]:
    """The 11 Heemskerk wijken as CBS writes them (85984NED: Codering_3 and WijkenEnBuurten)."""
    cbs = pd.read_csv(PROJECT_DIR / "data" / "cbs" / "85984NED.csv", sep=";", dtype=str)
    rows = cbs[cbs["Codering_3"].str.strip().str.startswith("WK0396")]
    return dict(zip(rows["Codering_3"].str.strip(), rows["WijkenEnBuurten"].str.strip()))


WIJKEN = heemskerk_wijken()
REGELINGEN = suite4sd.load_regelingen()


def parse(path: Path, declared: str | None = None):
    return suite4sd.parse(readers.read_tabular(path), WIJKEN, REGELINGEN, declared)


def failures(parsed) -> dict[str, object]:
    """Failed checks by expectation name (pre-checks of the reader included)."""
    return {f.expectation: f for f in parsed.findings + gate.validate(parsed.frame, parsed.suite) if not f.passed}


def critical(parsed) -> dict[str, object]:
    return {name: f for name, f in failures(parsed).items() if f.severity == CRITICAL}


@pytest.fixture
def con(tmp_path):
    connection = store.open_store(tmp_path / "x.duckdb")
    yield connection
    connection.close()


def stored(con, table: str, order: str) -> list[dict]:
    frame = con.execute(f"SELECT * FROM {table} ORDER BY {order}").df()
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


# ------------------------------------------------------------------ the wijken fixture itself


def test_heemskerk_has_eleven_wijken():
    assert len(WIJKEN) == 11
    assert WIJKEN["WK039603"] == "Wijk 03 Hofland, Oosterwijk en Zuidbroek"


# ------------------------------------------------------------------ templates


@pytest.mark.parametrize("type_name", list(suite4sd.TYPES))
def test_each_template_parses_validates_and_stores(type_name, con):
    path = TEMPLATES / f"{type_name}.csv"
    parsed = parse(path)
    assert parsed.detected_type == f"Suite4SD {type_name}"
    assert (parsed.source, parsed.suite, parsed.supersede_key, parsed.periods) == (
        "suite4sd", f"suite4sd_{type_name}", f"suite4sd:{type_name}", [])
    assert failures(parsed) == {}
    lines = path.read_text(encoding="utf-8").strip().splitlines()
    assert parsed.rows == len(lines) - 1
    assert parsed.store(con, 7) == parsed.rows
    table = suite4sd.TYPES[type_name].table
    assert con.execute(f"SELECT count(*), min(import_id), max(import_id), count(vervangen_door) FROM {table}"
                       ).fetchone() == (parsed.rows, 7, 7, 0)


@pytest.mark.parametrize("type_name", list(suite4sd.TYPES))
def test_templates_are_semicolon_utf8_with_every_column(type_name):
    table = readers.read_tabular(TEMPLATES / f"{type_name}.csv")
    kind = suite4sd.TYPES[type_name]
    assert (table.delimiter, table.encoding) == (";", "utf-8-sig")
    assert list(table.frame.columns.drop(readers.LINE)) == list(kind.columns)
    assert 2 <= len(table.frame) <= 3
    assert bsn.scan_table(table.frame) == []


def test_toekenningen_template_values_round_trip(con):
    parsed = parse(TEMPLATES / "toekenningen_minimaregelingen.csv")
    frame = parsed.frame
    assert frame["bedrag"].tolist() == [1234.56, 250.0, 0.0]
    assert frame["wijk_code"].tolist() == ["WK039603", "WK039605", "WK039607"]
    assert frame["regel"].tolist() == [2, 3, 4]
    parsed.store(con, 1)
    rows = stored(con, "s4sd_toekenning", "toekenning_id")
    assert rows[0] == {
        "toekenning_id": "TK2024-0001", "client_id": "d697f694785380bc2424538bdede85c5",
        "huishouden_id": "bfa37c546b07f7140561091672103a6b", "regeling": "IIT",
        "besluit": "toegekend", "aanvraagdatum": pd.Timestamp("2024-01-08"), "besluitdatum": pd.Timestamp("2024-01-22"),
        "ingangsdatum": pd.Timestamp("2024-02-01"), "einddatum": None, "bedrag": 1234.56, "wijk": "WK039603",
        "inkomen_pct_wsm": 105.0, "aantal_kinderen": 2, "wijk_code": "WK039603", "extra": None, "import_id": 1,
        "vervangen_door": None,
    }
    assert con.execute("SELECT bedrag, einddatum, ingangsdatum FROM s4sd_toekenning WHERE toekenning_id = 'TK2024-0002'"
                       ).fetchone() == (Decimal("250.00"), date(2024, 12, 31), date(2024, 3, 1))
    assert con.execute("SELECT wijk, wijk_code, ingangsdatum FROM s4sd_toekenning WHERE besluit = 'afgewezen'"
                       ).fetchone() == ("Kerkbeek", "WK039607", None)


def test_yes_no_becomes_boolean_and_numbers_keep_their_decimals(con):
    parse(TEMPLATES / "loonkostensubsidie.csv").store(con, 3)
    assert con.execute("SELECT lks_id, loonwaarde_pct, uren_per_week, uitkering_bij_start, einddatum "
                       "FROM s4sd_loonkostensubsidie ORDER BY lks_id").fetchall() == [
        ("LKS-0001", Decimal("55.00"), Decimal("24.00"), True, date(2024, 3, 31)),
        ("LKS-0002", Decimal("72.50"), Decimal("32.00"), False, None)]
    parse(TEMPLATES / "jeugdhulp_trajecten.csv").store(con, 4)
    assert con.execute("SELECT traject_id, geboortejaar, met_verblijf, kosten, wijk_code FROM s4sd_jeugdhulp_traject "
                       "ORDER BY traject_id").fetchall() == [
        ("JH-0001", 2012, False, Decimal("8450.00"), "WK039609"),
        ("JH-0002", 2008, True, Decimal("42300.00"), "WK039610"),
        ("JH-0003", 2016, False, Decimal("1200.50"), "WK039608")]


# ------------------------------------------------------------------ recognising


@pytest.mark.parametrize("type_name", list(suite4sd.TYPES))
def test_detect_type_from_the_header(type_name):
    kind = suite4sd.TYPES[type_name]
    assert suite4sd.detect_type(list(kind.required)) == type_name
    assert suite4sd.detect_type(["regel", *reversed(kind.columns), "opmerking"]) == type_name
    assert suite4sd.detect_type(list(kind.required[1:])) != type_name
    # One column short (not the id): still this type, so that the refusal can name the missing column.
    assert suite4sd.detect_type([c for c in kind.required if c != kind.required[-1]]) == type_name


def test_detect_type_prefers_the_most_specific_type():
    # client_id and the inburgering columns plus a whole toekenningen header: toekenningen has more required columns.
    columns = [*suite4sd.TYPES["inburgering"].required, *suite4sd.TYPES["toekenningen_minimaregelingen"].required]
    assert suite4sd.detect_type(columns) == "toekenningen_minimaregelingen"
    assert suite4sd.detect_type(["periode", "indicator", "waarde"]) is None
    assert suite4sd.detect_type(["client_id", "periode", "waarde"]) is None


def test_missing_column_is_refused_naming_it_and_the_template(tmp_path):
    path = tmp_path / "kort.csv"
    path.write_text("uitkering_id;client_id;huishouden_id;regeling;ingangsdatum;wijk\n"
                    "UK-1;c1;h1;PW;01-01-2024;WK039601\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        parse(path)
    assert "einddatum, reden_beeindiging" in refused.value.message
    assert "data/templates" in refused.value.message
    with pytest.raises(ImportRefused, match="onbekend Suite4SD-exporttype 'toeslagen'"):
        parse(path, declared="toeslagen")
    path.write_text("dossier;client_id\nD1;c1\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match="is geen Suite4SD-export"):
        parse(path)


def test_declared_type_is_checked_against_its_columns():
    with pytest.raises(ImportRefused, match="als Suite4SD-export inburgering ontbreekt kolom vestigingsdatum"):
        parse(TEMPLATES / "wmo_voorzieningen.csv", declared="inburgering")


# ------------------------------------------------------------------ bad files: refused before validation


@pytest.mark.parametrize("name, column", [("toekenningen_bsn.csv", "client_id"), ("jeugdhulp_bsn.csv", "bsn")])
def test_raw_bsn_column_is_refused_with_the_pseudonymise_command(name, column):
    with pytest.raises(ImportRefused) as refused:
        parse(CORPUS / name)
    message = refused.value.message
    assert f"kolom {column} bevat burgerservicenummers" in message
    assert f"python -m monitor pseudonimiseer BESTAND --kolom {column}" in message


@pytest.mark.parametrize("name, where", [("toekenningen_formule.csv", "regel 3 kolom bedrag"),
                                         ("jeugdhulp_formule.csv", "regel 2 kolom verwijzer")])
def test_formula_cell_is_a_critical_finding(name, where):
    parsed = parse(CORPUS / name)
    (formula,) = [f for f in parsed.findings if f.expectation == "formulecellen"]
    assert formula.severity == CRITICAL and not formula.passed
    assert where in formula.message


# ------------------------------------------------------------------ bad files: refused by the GX suite

BAD = [
    ("toekenningen_negatief_bedrag.csv", "expect_column_values_to_be_between(bedrag)", "regel 3"),
    ("toekenningen_onbekende_regeling.csv", "expect_column_values_to_be_in_set(regeling_onbekend)", "regel 2)"),
    ("toekenningen_formule.csv", "expect_column_values_to_be_in_set(bedrag_ongeldig)", "regel 3"),
    ("uitkeringen_ingang_na_einde.csv", "expect_column_values_to_be_in_set(ingangsdatum_na_einddatum)", "regel 3"),
    ("uitkeringen_dubbele_id.csv", "expect_column_values_to_be_unique(uitkering_id)", "regel 2, 3"),
    ("uitkeringen_dubbele_id.csv", "expect_column_values_to_be_in_set(regeling)", "regel 4"),
    ("loonkostensubsidie_tekst_in_getal.csv", "expect_column_values_to_be_in_set(loonwaarde_pct_ongeldig)", "regel 3"),
    ("loonkostensubsidie_buiten_bereik.csv", "expect_column_values_to_be_between(loonwaarde_pct)", "regel 2)"),
    ("loonkostensubsidie_buiten_bereik.csv", "expect_column_values_to_be_in_set(uitkering_bij_start)", "regel 3"),
    ("inburgering_onmogelijke_datum.csv", "expect_column_values_to_be_in_set(vestigingsdatum_ongeldig)", "regel 3"),
    ("inburgering_dubbele_client.csv", "expect_column_values_to_be_unique(client_id)", "regel 2, 3"),
    ("wmo_negatieve_kosten.csv", "expect_column_values_to_be_between(kosten)", "regel 3"),
    ("wmo_negatieve_kosten.csv", "expect_column_values_to_be_in_set(soort)", "regel 3"),
    ("jeugdhulp_ongeldig.csv", "expect_column_values_to_be_between(geboortejaar)", "regel 2)"),
    ("jeugdhulp_ongeldig.csv", "expect_column_values_to_be_in_set(geboortejaar_ongeldig)", "regel 3"),
    ("jeugdhulp_ongeldig.csv", "expect_column_values_to_be_in_set(vorm)", "regel 3"),
    ("jeugdhulp_ongeldig.csv", "expect_column_values_to_be_in_set(ingangsdatum_na_einddatum)", "regel 3"),
]


@pytest.mark.parametrize("name, expectation, lines", BAD, ids=[f"{b[0]}-{b[1]}" for b in BAD])
def test_bad_file_fails_a_critical_check_naming_the_column_and_line(name, expectation, lines):
    found = critical(parse(CORPUS / name))
    assert expectation in found, list(found)
    finding = found[expectation]
    column = re.search(r"\((\w+?)(?:_ongeldig|_onbekend|_na_einddatum)?\)$", expectation).group(1)
    assert finding.message.startswith(column)
    assert lines in finding.message
    assert finding.rows == len(lines.strip(")").removeprefix("regel ").split(", "))


# An unreadable value in a column that must be filled also leaves that column empty.
ALSO_EMPTY = {"inburgering_onmogelijke_datum.csv": "expect_column_values_to_not_be_null(vestigingsdatum)",
              "loonkostensubsidie_tekst_in_getal.csv": "expect_column_values_to_not_be_null(loonwaarde_pct)"}


def test_each_bad_file_fails_only_the_expected_critical_checks():
    """No check fires by accident: every critical failure of the bad corpus is one listed in BAD (or a formula)."""
    for name in sorted({b[0] for b in BAD}):
        expected = {b[1] for b in BAD if b[0] == name} | {"formulecellen", ALSO_EMPTY.get(name)}
        found = set(critical(parse(CORPUS / name)))
        assert found <= expected, (name, found - expected)


def test_impossible_date_is_flagged_not_silently_dropped():
    parsed = parse(CORPUS / "inburgering_onmogelijke_datum.csv")
    assert parsed.frame["vestigingsdatum_ongeldig"].tolist() == [False, True]
    assert parsed.frame["vestigingsdatum"].isna().tolist() == [False, True]


def test_every_type_has_a_bad_file():
    covered = {b[0].split("_")[0] for b in BAD}
    assert covered == {name.split("_")[0] for name in suite4sd.TYPES}


# ------------------------------------------------------------------ warnings do not refuse


def test_warnings_unknown_wijk_future_dates_and_extra_columns(con):
    parsed = parse(CORPUS / "toekenningen_waarschuwingen.csv")
    found = failures(parsed)
    assert {name for name, f in found.items() if f.severity == CRITICAL} == set()
    assert set(found) == {
        "expect_column_values_to_not_be_null(wijk_code)", "expect_column_values_to_not_be_null(huishouden_id)",
        "expect_column_values_to_be_in_set(aanvraagdatum_in_toekomst)",
        "expect_column_values_to_be_in_set(besluitdatum_in_toekomst)",
        "expect_column_values_to_be_in_set(aanvraagdatum_na_besluitdatum)"}
    assert all(f.severity == WARNING for f in found.values())
    assert "(regel 2, 4)" in found["expect_column_values_to_not_be_null(wijk_code)"].message
    parsed.store(con, 5)
    extras = con.execute("SELECT toekenning_id, wijk, wijk_code, extra FROM s4sd_toekenning ORDER BY 1").fetchall()
    assert [(i, w, c, json.loads(e)) for i, w, c, e in extras] == [
        ("TK-1", "Wijk 99 Nergenshuizen", None, {"opmerking": "eerste aanvraag", "dossier": "D-17"}),
        ("TK-2", "Kerkbeek", "WK039607", {"opmerking": None, "dossier": "D-18"}),
        ("TK-3", None, None, {"opmerking": "spoed", "dossier": None})]


def test_codes_are_compared_without_regard_to_capitals():
    frame = parse(CORPUS / "toekenningen_onbekende_regeling.csv").frame
    assert frame["regeling"].tolist() == ["VOEDSELBANK", "JFSC"]
    assert frame["besluit"].tolist() == ["toegekend", "toegekend"]
    assert frame["regeling_onbekend"].tolist() == [True, False]


# ------------------------------------------------------------------ file variants


def test_windows_1252_with_crlf_and_wijk_names_in_any_case(con):
    table = readers.read_tabular(CORPUS / "uitkeringen_windows1252.csv")
    assert table.encoding == "cp1252"
    parsed = suite4sd.parse(table, WIJKEN, REGELINGEN)
    assert failures(parsed) == {}
    frame = parsed.frame
    assert frame["wijk_code"].tolist() == ["WK039603", "WK039603", "WK039605"]
    assert frame["regeling"].tolist() == ["PW", "IOAZ", "BBZ"]
    assert frame["reden_beeindiging"].tolist()[1:] == ["geëmigreerd", "beëindiging bedrijf"]
    parsed.store(con, 2)
    assert con.execute("SELECT reden_beeindiging, einddatum FROM s4sd_uitkering WHERE uitkering_id = 'UK-2'"
                       ).fetchone() == ("geëmigreerd", date(2024, 1, 31))


def test_comma_delimiter_with_quoted_amounts_and_names():
    table = readers.read_tabular(CORPUS / "wmo_komma.csv")
    assert table.delimiter == ","
    parsed = suite4sd.parse(table, WIJKEN, REGELINGEN)
    assert failures(parsed) == {}
    frame = parsed.frame
    assert frame["kosten"].tolist() == [3120.0, 2450.75, 0.0]
    assert frame["voorziening"].tolist()[1] == "rolstoel, elektrisch"
    assert frame["soort"].tolist() == ["maatwerk", "maatwerk", "voorliggend"]
    assert frame["wijk_code"].tolist() == ["WK039601", "WK039603", "WK039607"]


def test_xlsx_with_real_dates_and_numbers(tmp_path, con):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Jeugdhulp"
    sheet.append(list(suite4sd.TYPES["jeugdhulp_trajecten"].required))
    sheet.append(["JH-1", "c5a1", 2012, "Specialistisch", "n", datetime(2024, 1, 8), datetime(2024, 6, 30), 8450.0,
                  "huisarts", "WK039609"])
    sheet.append(["JH-2", "c5a2", 2008, "jeugdbescherming", "J", datetime(2023, 10, 1), None, 1234.56, "rechter",
                  "Wijk 03 Hofland, Oosterwijk en Zuidbroek"])
    path = tmp_path / "jeugdhulp.xlsx"
    workbook.save(path)
    parsed = parse(path)
    assert parsed.detected_type == "Suite4SD jeugdhulp_trajecten"
    assert failures(parsed) == {}
    parsed.store(con, 9)
    assert con.execute("SELECT traject_id, geboortejaar, vorm, met_verblijf, ingangsdatum, einddatum, kosten, "
                       "wijk_code FROM s4sd_jeugdhulp_traject ORDER BY 1").fetchall() == [
        ("JH-1", 2012, "specialistisch", False, date(2024, 1, 8), date(2024, 6, 30), Decimal("8450.00"), "WK039609"),
        ("JH-2", 2008, "jeugdbescherming", True, date(2023, 10, 1), None, Decimal("1234.56"), "WK039603")]


# ------------------------------------------------------------------ wijken and dates


def test_wijk_spellings_resolve_to_the_cbs_code():
    values = pd.Series(["WK039603", "wk039603 ", "Wijk 03 Hofland, Oosterwijk en Zuidbroek",
                        "hofland,  oosterwijk en zuidbroek", "Hofland", "", None], dtype="str")
    assert suite4sd.resolve_wijken(values, WIJKEN).tolist()[:4] == ["WK039603"] * 4
    assert suite4sd.resolve_wijken(values, WIJKEN).isna().tolist()[4:] == [True, True, True]


def test_wijk_names_match_without_accents():
    wijken = {"WK999901": "Wijk 01 Zeeënbuurt", "WK999902": "Wijk 02 Café-Oost"}
    values = pd.Series(["zeeenbuurt", "Zeeënbuurt", "CAFÉ-OOST", "cafe-oost"], dtype="str")
    assert suite4sd.resolve_wijken(values, wijken).tolist() == ["WK999901", "WK999901", "WK999902", "WK999902"]


def test_future_is_judged_against_today():
    kind = suite4sd.TYPES["jeugdhulp_trajecten"]
    raw = readers.read_tabular(TEMPLATES / "jeugdhulp_trajecten.csv").frame
    frame = suite4sd.typed_frame(raw, kind, WIJKEN, REGELINGEN, pd.Timestamp("2024-01-31"))
    assert frame["ingangsdatum_in_toekomst"].tolist() == [False, False, True]
    assert frame["geboortejaar_in_toekomst"].tolist() == [False, False, False]
    frame = suite4sd.typed_frame(raw, kind, WIJKEN, REGELINGEN, pd.Timestamp("2012-06-30"))
    assert frame["geboortejaar_in_toekomst"].tolist() == [False, False, True]


# ------------------------------------------------------------------ the suites


def suite_json(type_name: str) -> dict:
    return json.loads((PROJECT_DIR / "expectations" / f"suite4sd_{type_name}.json").read_text(encoding="utf-8"))


def camel(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))


@pytest.mark.parametrize("type_name", list(suite4sd.TYPES))
def test_suite_is_well_formed_and_matches_the_frame(type_name):
    suite = suite_json(type_name)
    assert suite["name"] == f"suite4sd_{type_name}"
    frame = parse(TEMPLATES / f"{type_name}.csv").frame
    checked = set()
    for expectation in suite["expectations"]:
        assert hasattr(gx_expectations, camel(expectation["type"])), expectation["type"]
        assert expectation["severity"] in (CRITICAL, WARNING)
        message = expectation["meta"]["bericht"]
        assert message.format(kolom="x", aantal=1)
        column = expectation["kwargs"].get("column")
        if column:
            assert column in frame.columns, column
            checked.add(column)
    helpers = {c for c in frame.columns if re.search(r"_(ongeldig|onbekend|in_toekomst)$|_na_|^wijk_code$", c)}
    assert helpers <= checked, helpers - checked
    kind = suite4sd.TYPES[type_name]
    assert {kind.id_column, "client_id", *kind.codes, *kind.yes_no, *kind.numbers} <= checked


@pytest.mark.parametrize("type_name", list(suite4sd.TYPES))
def test_suite_checks_ids_critically(type_name):
    id_column = suite4sd.TYPES[type_name].id_column
    kinds = {(e["type"], e["kwargs"].get("column")): e["severity"] for e in suite_json(type_name)["expectations"]}
    assert kinds[("expect_column_values_to_be_unique", id_column)] == CRITICAL
    assert kinds[("expect_column_values_to_not_be_null", id_column)] == CRITICAL
    assert kinds[("expect_column_values_to_not_be_null", "client_id")] == CRITICAL
    assert kinds[("expect_table_columns_to_match_set", None)] == CRITICAL


@pytest.mark.parametrize("type_name", list(suite4sd.TYPES))
def test_not_null_columns_of_the_table_are_critical_in_the_suite(type_name, con):
    """A NOT NULL column that the suite lets through empty would abort the import at INSERT instead of explaining."""
    kind = suite4sd.TYPES[type_name]
    not_null = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND is_nullable = 'NO'",
        [kind.table]).fetchall()} - {"import_id"}
    critical_not_null = {e["kwargs"]["column"] for e in suite_json(type_name)["expectations"]
                         if e["type"] == "expect_column_values_to_not_be_null" and e["severity"] == CRITICAL}
    assert not_null == critical_not_null


# ------------------------------------------------------------------ schema and regelingen


def test_migration_needs_only_the_initial_schema():
    con = duckdb.connect()
    con.execute((MIGRATIONS / "0001_initial.sql").read_text(encoding="utf-8"))
    con.execute((MIGRATIONS / "0003_suite4sd.sql").read_text(encoding="utf-8"))
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {kind.table for kind in suite4sd.TYPES.values()} | {"regeling"} <= tables


@pytest.mark.parametrize("type_name", list(suite4sd.TYPES))
def test_table_columns_follow_the_type(type_name, con):
    kind = suite4sd.TYPES[type_name]
    columns = [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [kind.table]).fetchall()]
    assert columns == [*suite4sd.stored_columns(kind), "vervangen_door"]


def test_regelingen_from_the_seed(con):
    frame = suite4sd.read_regelingen()
    grens = dict(zip(frame["code"], frame["inkomensgrens_pct_wsm"]))
    assert {code: grens[code] for code in ("KWIJTSCHELDING", "KINDPAKKET", "IIT", "MAATSCH_ACT", "JFSC",
                                            "ENERGIETOESLAG", "CZM", "BIJZ_BIJSTAND", "COMPUTER")} == {
        "KWIJTSCHELDING": 100, "KINDPAKKET": 110, "IIT": 110, "MAATSCH_ACT": 110, "JFSC": 120,
        "ENERGIETOESLAG": 120, "CZM": 130, "BIJZ_BIJSTAND": 150, "COMPUTER": 110}
    assert pd.isna(grens["STUDIETOESLAG"])
    assert REGELINGEN["JFSC"] == "Jeugdfonds Sport & Cultuur"
    assert len(REGELINGEN) == 10
    assert suite4sd.save_regelingen(con) == 10
    assert suite4sd.save_regelingen(con) == 10
    assert con.execute("SELECT naam, inkomensgrens_pct_wsm FROM regeling WHERE code = 'CZM'").fetchone() == (
        "Collectieve zorgverzekering minima", Decimal("130.00"))


def test_regelingen_list_with_a_typo_is_refused(tmp_path):
    path = tmp_path / "regelingen.csv"
    path.write_text("code;naam;inkomensgrens_pct_wsm\nIIT;Individuele inkomenstoeslag;110\niit;Dubbel;honderd\n",
                    encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        suite4sd.read_regelingen(path)
    assert "regel 3: inkomensgrens 'honderd' is geen getal" in refused.value.message
    assert "code IIT staat er meer dan eens in" in refused.value.message


def test_a_new_regeling_in_the_list_is_accepted_in_toekenningen(tmp_path):
    path = tmp_path / "regelingen.csv"
    path.write_text("code;naam;inkomensgrens_pct_wsm\nVOEDSELBANK;Voedselbank;120\n"
                    "JFSC;Jeugdfonds Sport & Cultuur;120\n", encoding="utf-8")
    parsed = suite4sd.parse(readers.read_tabular(CORPUS / "toekenningen_onbekende_regeling.csv"), WIJKEN,
                            suite4sd.load_regelingen(path))
    assert failures(parsed) == {}


# ------------------------------------------------------------------ docs/suite4sd.md


DOC = (PROJECT_DIR / "docs" / "suite4sd.md").read_text(encoding="utf-8")
README = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("type_name", list(suite4sd.TYPES))
def test_docs_describe_every_column_of_the_type(type_name):
    kind = suite4sd.TYPES[type_name]
    # The columns are documented in the README, next to the templates.
    section = README.split(f"#### `{type_name}` → `{kind.table}`")[1].split("\n#### ")[0].split("\n## ")[0]
    rows = re.findall(r"^\| `(\w+)` \| (ja|nee) \|", section, re.MULTILINE)
    assert rows == [(c, "ja") for c in kind.required] + [(c, "nee") for c in kind.optional]
    for values in kind.codes.values():
        assert all(f"`{v}`" in section for v in values)


def test_docs_list_the_regelingen_as_in_the_file():
    frame = suite4sd.read_regelingen()
    for code, naam, grens in frame.itertuples(index=False):
        shown = "leeg" if pd.isna(grens) else f"{grens:g}"
        assert f"| `{code}` | {naam} | {shown} |" in DOC
