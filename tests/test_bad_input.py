"""Bad input never crashes: one corpus file per case, each refused with a Dutch message and the database unchanged."""

from pathlib import Path

import duckdb
import pytest

from monitor.imports.pipeline import IMPORTED, REFUSED, import_file, read_refusals
from tests.helpers import CORPUS, content


@pytest.fixture
def db(demo_copy):
    return demo_copy


def refused(db: Path, name: str, *fragments: str, bron: str = "auto") -> str:
    before = content(db)
    result = import_file(db, CORPUS / name, bron)
    assert result.status == REFUSED, result.message
    assert result.file == name
    for fragment in fragments:
        assert fragment in result.message, result.message
    assert content(db) == before
    assert read_refusals(db)[-1]["bestandsnaam"] == name
    return result.message


@pytest.mark.parametrize("name", ["goed.csv", "goed.xlsx", "bom.csv", "komma.csv", "windows1252.csv"])
def test_good_variants_import(db, name):
    result = import_file(db, CORPUS / name)
    assert result.status == IMPORTED, result.message
    assert result.detected_type == "Suite4SD toekenningen_minimaregelingen"
    assert result.rows == {"goed.csv": 3, "komma.csv": 3}.get(name, 2)


def test_bom_does_not_end_up_in_the_first_column(db):
    result = import_file(db, CORPUS / "bom.csv")
    con = duckdb.connect(str(db), read_only=True)
    # the export's own rows (it is older than the demo's example toekenningen, so it is stored but not current)
    ids = sorted(r[0] for r in con.execute(
        "SELECT toekenning_id FROM s4sd_toekenning WHERE import_id = ?", [result.import_id]).fetchall())
    con.close()
    assert ids == ["T001", "T002"]


def test_extra_column_is_accepted(db):
    result = import_file(db, CORPUS / "extra_kolom.csv")
    assert result.status == IMPORTED, result.message
    assert result.rows == 2


def test_wrong_delimiter(db):
    refused(db, "verkeerd_scheidingsteken.csv", "scheidingsteken")


def test_wrong_encoding_utf16(db):
    refused(db, "utf16.csv", "UTF-16", "CSV UTF-8")


def test_header_only(db):
    refused(db, "alleen_kopregel.csv", "alleen een kopregel")


def test_truncated_last_line(db):
    refused(db, "afgekapt.csv", "regel 4", "afgekapt")


def test_missing_column(db):
    refused(db, "kolom_ontbreekt.csv", "ontbreekt kolom bedrag", "data/templates")


def test_duplicate_ids(db):
    refused(db, "dubbele_id.csv", "toekenning_id", "regel 2, 3")


def test_text_in_number_column(db):
    refused(db, "tekst_in_getal.csv", "bedrag", "regel 3")


def test_impossible_date(db):
    refused(db, "onmogelijke_datum.csv", "ingangsdatum", "regel 2")


def test_formula_cell(db):
    refused(db, "formule.csv", "formule", "regel 3", "regeling")


def test_negative_amount(db):
    refused(db, "negatief_bedrag.csv", "bedrag", "regel 3")


def test_raw_bsn_column(db):
    refused(db, "bsn.csv", "bsn", "elfproef", "python -m monitor pseudonimiseer")


def test_xlsx_with_several_sheets(db):
    refused(db, "meerdere_werkbladen.xlsx", "2 werkbladen", "Toekenningen, Toelichting")


def test_other_type_than_declared(db):
    refused(db, "goed.csv", "metingen", "suite4sd", bron="metingen")
