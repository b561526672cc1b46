"""Every row accounted for: the reader counts records itself, refuses what it cannot read whole, and never stores a
value it misread (issue 7, points 1 and 3). One corpus file per case in tests/corpus/lezen/ (README.md there); the
large files are generated here. Every refusal compares the whole database before and after."""

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from monitor.imports import readers
from monitor.imports.pipeline import IMPORTED, REFUSED, import_file, read_refusals
from tests.helpers import ROOT, content

LEZEN = ROOT / "tests" / "corpus" / "lezen"
HEADER = ("toekenning_id;client_id;huishouden_id;regeling;besluit;aanvraagdatum;besluitdatum;ingangsdatum;einddatum;"
          "bedrag;wijk")


def record(n: int, bedrag: str = "250,00") -> str:
    return f"T{n:06d};C{n:06d}x;H{n:06d}y;IIT;toegekend;05-01-2024;15-01-2024;01-03-2024;;{bedrag};WK039603"


def refused(db: Path, path: Path, *fragments: str) -> str:
    before = content(db)
    result = import_file(db, path)
    assert result.status == REFUSED, result.message
    for fragment in fragments:
        assert fragment in result.message, result.message
    assert content(db) == before
    assert read_refusals(db)[-1]["bestandsnaam"] == result.file
    return result.message


def imported(db: Path, path: Path, rows: int):
    result = import_file(db, path)
    assert result.status == IMPORTED, result.message
    assert (result.rows, result.rows_in_file, result.rows_refused) == (rows, rows, 0)
    return result


def imported_toekenningen(db: Path) -> list[tuple]:
    """The rows of the latest import (an export older than the demo's is stored without becoming current)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT toekenning_id, ingangsdatum, extra FROM s4sd_toekenning "
                           "WHERE import_id = (SELECT max(import_id) FROM import_log) ORDER BY toekenning_id").fetchall()
    finally:
        con.close()


# ------------------------------------------------------------------ 1. rows in the file = imported + refused


def test_the_message_accounts_for_every_row(demo_copy):
    result = imported(demo_copy, ROOT / "tests" / "corpus" / "invoer" / "goed.csv", 3)
    assert "3 regels in het bestand: 3 geïmporteerd, 0 geweigerd." in result.message


def test_a_refused_file_refuses_all_its_rows(demo_copy):
    # bedrag 'inf' ... on 6 records: the reader counted them all, the gate refused the file, so 6 are refused.
    message = refused(demo_copy, LEZEN / "suite4sd_niet_eindig.csv", "6 regels in het bestand: 0 geïmporteerd, "
                                                                     "6 geweigerd.")
    assert "bedrag" in message


def test_one_unclosed_quote_in_40000_rows_is_refused_with_its_line(demo_copy, tmp_path):
    # The bug of issue 7: this file imported 33.337 (here 35.023) of 40.000 rows with exit 0.
    lines = [HEADER] + [record(n) for n in range(40_000)]
    lines[5_000] = lines[5_000].replace(";IIT;", ';"IIT;')   # list index 5000 is line 5001 of the file
    path = tmp_path / "toekenningen.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # All 40.000 rows are accounted for: 4.999 read before the open quote, 35.001 lines from it on.
    refused(demo_copy, path, "regel 5001", "aanhalingsteken", "40.000 regels in het bestand: 0 geïmporteerd, "
            "40.000 geweigerd.")


def test_unclosed_quote_small(demo_copy):
    refused(demo_copy, LEZEN / "open_aanhalingsteken.csv", "regel 4:", "aanhalingsteken")


def test_too_many_fields_after_a_multiline_cell_names_the_physical_line(demo_copy):
    # Records start on lines 2, 3 (cell over lines 3-5), 6 and 7; line 7 has one field too many.
    refused(demo_copy, LEZEN / "te_veel_velden_na_meerregelige_cel.csv", "regel 7 heeft meer velden")


def test_count_mismatch_between_reader_and_count_is_refused(demo_copy, tmp_path, monkeypatch):
    # Should the fast reader ever drop a record, the independent count catches it.
    real = readers.pacsv.read_csv
    monkeypatch.setattr(readers.pacsv, "read_csv", lambda *a, **k: real(*a, **k).slice(1))
    path = tmp_path / "toekenningen.csv"
    path.write_text(HEADER + "\n" + record(1) + "\n" + record(2) + "\n", encoding="utf-8")
    refused(demo_copy, path, "de telling vindt 2 regels met gegevens, maar de lezer 1")


# ------------------------------------------------------------------ 2. multi-line and very large cells


def test_multiline_cell_keeps_the_line_where_each_record_starts(demo_copy):
    table = readers.read_tabular(LEZEN / "meerregelige_cel.csv")
    assert list(table.frame[readers.LINE]) == [2, 3, 6]
    assert table.frame["opmerking"][1] == 'eerste regel\ntweede regel\nderde "regel"'
    imported(demo_copy, LEZEN / "meerregelige_cel.csv", 3)
    extra = {r[0]: r[2] for r in imported_toekenningen(demo_copy)}
    assert "tweede regel" in extra["T002"]


def test_five_megabyte_file_with_multiline_cells_imports_every_row(demo_copy, tmp_path):
    rows = [HEADER + ";opmerking"]
    for n in range(20_000):
        # Every third record has a cell over two lines, with a ';' and quotes inside.
        note = f'"notitie {n}\n{"y" * 200}; en ""quotes"""' if n % 3 == 0 else "x" * 200
        rows.append(record(n) + ";" + note)
    path = tmp_path / "toekenningen_groot.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert path.stat().st_size > 5_000_000
    table = readers.read_tabular(path)
    # Record n starts on line 2 + n + (records before it that took two lines): 0 → 2, 1 → 2+1+1, 4 → 2+4+2.
    assert table.frame[readers.LINE].iloc[[0, 1, 4]].tolist() == [2, 4, 8]
    imported(demo_copy, path, 20_000)


def test_a_cell_of_eight_megabytes_imports(demo_copy, tmp_path):
    big = "lang " * 1_700_000   # 8,5 MB in one cell
    path = tmp_path / "toekenningen_lange_cel.csv"
    path.write_text(f'{HEADER};opmerking\n{record(1)};"{big}"\n{record(2)};kort\n', encoding="utf-8")
    assert path.stat().st_size > 8_000_000
    imported(demo_copy, path, 2)
    extra = {r[0]: r[2] for r in imported_toekenningen(demo_copy)}
    assert len(extra["T000001"]) > 8_000_000


# ------------------------------------------------------------------ 3. XLSX


def test_xlsx_with_a_wrong_dimension_tag_imports_all_rows(demo_copy):
    # The sheet says A1:K3 but holds a header and 100 rows; read-only openpyxl read 2.
    imported(demo_copy, LEZEN / "dimensie_te_klein.xlsx", 100)
    assert len(imported_toekenningen(demo_copy)) == 100


def test_xlsx_value_right_of_the_header_is_refused_naming_the_cell(demo_copy):
    refused(demo_copy, LEZEN / "waarde_rechts_van_kopregel.xlsx", "cel M3", "rechts van de laatste kolom")


def test_xlsx_empty_rows_above_the_header_keep_excel_row_numbers(demo_copy):
    # Header on row 3, records on rows 4 and 6 (row 5 is empty).
    assert list(readers.read_tabular(LEZEN / "lege_rijen_boven_kopregel.xlsx").frame[readers.LINE]) == [4, 6]
    imported(demo_copy, LEZEN / "lege_rijen_boven_kopregel.xlsx", 2)


@pytest.mark.parametrize("name, cell", [("foutcel.xlsx", "J3 (#N/A)"), ("foutcel_deling.xlsx", "J2 (#DIV/0!)")])
def test_xlsx_error_cells_are_refused_naming_the_cell(demo_copy, name, cell):
    # The refused sheet still accounts for its rows.
    refused(demo_copy, LEZEN / name, f"foutwaarden in cel {cell}", "regels in het bestand: 0 geïmporteerd")


def test_xlsx_date_cells_are_read_as_dates(demo_copy):
    imported(demo_copy, LEZEN / "datumcellen.xlsx", 2)
    dates = [r[1] for r in imported_toekenningen(demo_copy)]
    assert [d.isoformat() for d in dates] == ["2024-03-01", "2024-03-02"]


@pytest.mark.parametrize("name", ["excel_datumnummer.csv", "datumnummer_als_getal.xlsx"])
def test_excel_serial_number_in_a_date_column_gets_a_precise_message(demo_copy, name):
    # Excel day 45292 is 01-01-2024; + 31 (januari) + 29 (februari 2024) = 45352 is 01-03-2024.
    refused(demo_copy, LEZEN / name, "regel 2 kolom ingangsdatum: 45352 (Excel-datumnummer voor 01-03-2024)")


# ------------------------------------------------------------------ 4. column names that collide


def test_case_insensitive_duplicate_columns_are_refused(demo_copy):
    refused(demo_copy, LEZEN / "dubbele_kolom_hoofdletters.csv", "Opmerking, opmerking", "Hernoem")


@pytest.mark.parametrize("column", ["regel", "import_id", "extra", "vervangen_door", "wijk_code", "bedrag_ongeldig",
                                    "ingangsdatum_na_einddatum"])
def test_a_column_named_like_the_monitors_own_is_refused(demo_copy, column):
    refused(demo_copy, LEZEN / f"kolom_{column}.csv", f"kolom {column} heeft een naam die de monitor zelf gebruikt",
            "Hernoem")


# ------------------------------------------------------------------ 5. mixed encodings


@pytest.mark.parametrize("name, odd", [("gemengd_utf8_met_cp1252_regel.csv", "Windows-1252"),
                                       ("gemengd_cp1252_met_utf8_regel.csv", "UTF-8")])
def test_mixed_encodings_are_refused_naming_the_line(demo_copy, name, odd):
    message = refused(demo_copy, LEZEN / name, f"regel 4 is opgeslagen als {odd}")
    # Refused for its encoding, the file still accounts for its rows: every data line below the header is refused.
    data_rows = sum(1 for line in (LEZEN / name).read_bytes().splitlines()[1:] if line.strip())
    assert f"{data_rows} regels in het bestand: 0 geïmporteerd, {data_rows} geweigerd." in message


def test_pure_windows_1252_stays_accepted(demo_copy):
    imported(demo_copy, ROOT / "tests" / "corpus" / "invoer" / "windows1252.csv", 2)


# ------------------------------------------------------------------ 6. paths that are no export


def cli(*args: str, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor", "import", *args, "--db", str(db)], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


@pytest.mark.parametrize("path, fragment", [
    (LEZEN / "map_zonder_cbs", "is een map en geen CBS-export"),
    (LEZEN / "zip_met_csv.zip", "is een zip-bestand, maar geen Excel-werkmap en geen CBS-export (het bevat a.csv"),
    (LEZEN / "bestaat_niet.csv", "bestand niet gevonden"),
])
def test_cli_refuses_paths_that_are_no_export(demo_copy, path, fragment):
    before = content(demo_copy)
    result = cli(str(path), db=demo_copy)
    assert result.returncode == 1
    assert fragment in result.stdout
    assert "Traceback" not in result.stderr
    assert content(demo_copy) == before


def test_cli_refuses_a_file_name_that_is_not_utf8(demo_copy, tmp_path):
    path = Path(os.fsdecode(os.fsencode(str(tmp_path)) + b"/toekenningen_\xff.csv"))
    path.write_bytes((ROOT / "tests" / "corpus" / "invoer" / "goed.csv").read_bytes())
    before = content(demo_copy)
    result = cli(str(path), db=demo_copy)
    assert result.returncode == 1
    assert "✗ toekenningen_?.csv: de bestandsnaam bevat tekens die geen UTF-8 zijn" in result.stdout
    assert "Traceback" not in result.stderr
    assert content(demo_copy) == before


# ------------------------------------------------------------------ 7. formulas


@pytest.mark.parametrize("name, where", [("formule_na_spatie.csv", "regel 2 kolom opmerking"),
                                         ("formule_na_tab.csv", "regel 3 kolom opmerking")])
def test_formula_after_whitespace_is_refused(demo_copy, name, where):
    refused(demo_copy, LEZEN / name, "Excel-formule", where)


def test_formula_in_a_header_name_is_refused(demo_copy):
    refused(demo_copy, LEZEN / "formule_in_kopregel.csv", 'kolomnaam =HYPERLINK("x") begint als een Excel-formule')


def test_signed_number_in_a_number_column_stays_allowed(demo_copy):
    imported(demo_copy, LEZEN / "getal_met_teken.csv", 2)


# ------------------------------------------------------------------ 8. non-finite numbers


@pytest.mark.parametrize("text", ["inf", "-inf", "nan", "NaN", "Infinity", "-Infinity", "1e400", "INF"])
def test_parse_amounts_refuses_non_finite_numbers(text):
    numbers, bad = readers.parse_amounts(pd.Series([text, "1.234,5", "-5", ""], dtype="str"))
    assert bad.tolist() == [True, False, False, False]
    assert pd.isna(numbers[0]) and numbers[1] == 1234.5 and numbers[2] == -5


@pytest.mark.parametrize("name, fragments", [
    # rows 2..7: inf, nan, NaN, Infinity, 1e400, -inf: six bad amounts (-inf on regel 7 is also a formula start).
    ("suite4sd_niet_eindig.csv", ["bedrag: 6 waarde(n) zijn geen bedrag", "regel 2, 3, 4, 5, 6 …",
                                  "regel 7 kolom bedrag"]),
    ("divosa_waarde_inf.csv", ["kolom waarde: 1 waarde(n) zijn geen getal", "regel 3"]),
    ("metingen_waarde_inf.csv", ["kolom waarde: 1 regel(s) zonder getal", "regel 3"]),
    ("metingen_teller_nan.csv", ["kolom teller: 1 waarde(n) zijn geen getal", "regel 2"]),
    ("metingen_noemer_overloop.csv", ["kolom noemer: 1 waarde(n) zijn geen getal", "regel 2"]),
])
def test_non_finite_numbers_are_refused_in_every_export_type(demo_copy, name, fragments):
    refused(demo_copy, LEZEN / name, *fragments)
