"""The import pipeline: all or nothing, the same file twice, newer exports supersede older ones, the log."""

import shutil
from pathlib import Path

import duckdb
import pytest

from monitor.imports import pipeline
from monitor.imports.pipeline import ALREADY, IMPORTED, REFUSED, import_file
from tests.helpers import CORPUS, content

GOOD = CORPUS / "goed.csv"


@pytest.fixture
def db(tmp_path):
    return tmp_path / "nieuw.duckdb"


def rows(db: Path, sql: str, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def test_import_creates_and_migrates_a_new_database(db):
    result = import_file(db, GOOD)
    assert result.status == IMPORTED
    assert rows(db, "SELECT count(*) FROM plan") == [(1,)]
    assert rows(db, "SELECT count(*) FROM wijk") == [(11,)]  # Heemskerk's wijken from the shipped CBS extract
    assert rows(db, "SELECT count(*) FROM regeling WHERE code IN ('IIT', 'KINDPAKKET', 'JFSC')") == [(3,)]
    assert rows(db, "SELECT count(*) FROM s4sd_toekenning WHERE vervangen_door IS NULL") == [(3,)]


def test_the_log_records_when_who_file_sha_type_rows_result(db):
    result = import_file(db, GOOD, user="steward")
    (entry,) = rows(db, "SELECT gebruiker, bestandsnaam, sha256, bron, type_herkend, rijen, resultaat, gestart_op, "
                        "afgerond_op, bevindingen FROM import_log WHERE import_id = ?", [result.import_id])
    assert entry[:7] == ("steward", "goed.csv", pipeline.sha256_of(GOOD), "suite4sd",
                         "Suite4SD toekenningen_minimaregelingen", 3, "geimporteerd")
    assert entry[7] <= entry[8]
    assert "expect_column_values_to_be_unique" in entry[9]


def test_same_file_twice_changes_nothing(db):
    first = import_file(db, GOOD)
    before = content(db)
    second = import_file(db, GOOD)
    assert second.status == ALREADY
    assert second.import_id == first.import_id
    assert "al geïmporteerd" in second.message
    assert content(db) == before


def test_newer_export_supersedes_and_the_old_version_stays_retrievable(db, tmp_path):
    first = import_file(db, GOOD)
    newer = tmp_path / "toekenningen_juni.csv"
    text = GOOD.read_text(encoding="utf-8").replace("1.234,56", "1.300,00")
    newer.write_text(text + "T004;C0b1c2;H0d1e2;JFSC;toegekend;01-05-2024;02-05-2024;01-06-2024;;225,00;WK039605\n",
                     encoding="utf-8")
    second = import_file(db, newer)
    assert second.status == IMPORTED
    current = rows(db, "SELECT toekenning_id, CAST(bedrag AS DOUBLE) FROM s4sd_toekenning WHERE vervangen_door IS NULL "
                       "ORDER BY toekenning_id")
    assert current == [("T001", 1300.0), ("T002", 250.0), ("T003", 0.0), ("T004", 225.0)]
    old = rows(db, "SELECT toekenning_id, CAST(bedrag AS DOUBLE), vervangen_door FROM s4sd_toekenning WHERE import_id = ? "
                   "ORDER BY toekenning_id", [first.import_id])
    assert old == [("T001", 1234.56, second.import_id), ("T002", 250.0, second.import_id),
                   ("T003", 0.0, second.import_id)]
    assert rows(db, "SELECT vervangen_door FROM import_log WHERE import_id = ?", [first.import_id]) == [
        (second.import_id,)]


def test_an_import_failing_half_way_changes_nothing(db, monkeypatch):
    import_file(db, GOOD)
    before = content(db)

    def fail(*args, **kwargs):
        raise RuntimeError("schijf vol")

    # The rows are written and the older export superseded before the recomputation fails.
    monkeypatch.setattr(pipeline, "refresh_computed", fail)
    newer = CORPUS / "extra_kolom.csv"
    result = import_file(db, newer)
    assert result.status == REFUSED
    assert "teruggedraaid" in result.message and "schijf vol" in result.message
    assert content(db) == before


def test_unknown_file_kind_is_explained(db, tmp_path):
    other = tmp_path / "iets.csv"
    other.write_text("naam;leeftijd\nAnna;40\n", encoding="utf-8")
    result = import_file(db, other)
    assert result.status == REFUSED
    assert "niet herkend" in result.message and "naam, leeftijd" in result.message


def test_bsn_refusal_leaves_the_database_byte_for_byte_equal_in_content(tmp_path):
    db = tmp_path / "monitor.duckdb"
    import_file(db, GOOD)
    before = content(db)
    assert import_file(db, CORPUS / "bsn.csv").status == REFUSED
    assert content(db) == before


def test_copy_is_not_needed_for_refusals_log(db):
    import_file(db, CORPUS / "alleen_kopregel.csv")
    assert pipeline.read_refusals(db)[0]["resultaat"] == "geweigerd"
    assert not rows(db, "SELECT * FROM import_log WHERE bestandsnaam = 'alleen_kopregel.csv'")


def test_refused_file_is_not_copied_anywhere(db, tmp_path):
    source = tmp_path / "kopie.csv"
    shutil.copy(CORPUS / "negatief_bedrag.csv", source)
    assert import_file(db, source).status == REFUSED
    assert sorted(p.name for p in db.parent.iterdir() if p.name.startswith(db.name)) == [
        db.name, f"{db.name}.weigeringen.jsonl"]
