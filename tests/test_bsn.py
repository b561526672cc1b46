"""No raw BSN anywhere: the scanner (monitor/imports/bsn.py) on every cell and header, masked messages, the
pseudonymiser for every way a BSN is written, and the whole test corpus leaving no elfproef number in the database."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from monitor import pseudonymise
from monitor.imports import bsn, readers
from monitor.imports.pipeline import IMPORTED, REFUSED, import_file, read_refusals, refusals_path
from tests.helpers import ROOT, content

CORPUS = ROOT / "tests" / "corpus" / "bsn"
KEY = "sleutel-voor-de-bsn-test-5678"


# ------------------------------------------------------------------ the rule


@pytest.mark.parametrize("text, digits", [
    ("123456782", "123456782"),
    ("123.456.782", "123456782"),
    ("123 456 782", "123456782"),
    ("1234 56 782", "123456782"),
    ("123\u00a0456\u00a0782", "123456782"),
    ("12345672", "012345672"),      # 0*9 + 1*8 + 2*7 + 3*6 + 4*5 + 5*4 + 6*3 + 7*2 - 2 = 110 = 10 * 11
    ("12.345.672", "012345672"),
    ("klant 123456782 belde", "123456782"),
    ("bsn:111222333;", "111222333"),  # 9+8+7+12+10+8+9+6-3 = 66 = 6 * 11
])
def test_every_writing_of_a_bsn_is_found(text, digits):
    assert [number for _, _, number in bsn.find(text)] == [digits]


@pytest.mark.parametrize("text", [
    "123456783",                          # 9 digits, fails the elfproef (sum 111)
    "2cc4ba5e781cb27df61b99a23815308f",   # a pseudonym
    "12345678252f2bd22ce35aa1d42ceab8",   # a pseudonym that starts with an elfproef number: one hex token
    "T00012345", "TK2024-0001", "WK039603",
    "2024-01-15", "15-01-2024", "15.01.2024", "2024.01.15",
    "06-12345678",                        # 012345678: sum 104, not divisible by 11
    "000000000", "1234567", "1234567890",
])
def test_ids_hashes_dates_and_other_numbers_are_not_bsns(text):
    assert bsn.find(text) == []


def test_exemptions_are_only_dates_and_amounts_in_their_declared_columns():
    assert bsn.elfproef("020240107")                   # 0*9+2*8+0*7+2*6+4*5+0*4+1*3+0*2-7 = 44 = 4 * 11
    assert bsn.exempt_value(bsn.DATE, "20240107")      # ... but 7 januari 2024 in a date column is a date
    assert bsn.exempt_value(bsn.NUMBER, "12345672,50") and bsn.exempt_value(bsn.NUMBER, "1.234.567,89")
    assert not bsn.exempt_value(bsn.NUMBER, "12345672")          # a whole number: cannot be told from a BSN
    assert not bsn.exempt_value(bsn.NUMBER, "123456782,00")      # nine whole digits: above one hundred million
    assert not bsn.exempt_value(bsn.NUMBER, "12.345.672")        # thousands dots, no decimals
    assert not bsn.exempt_value(bsn.DATE, "20241307")            # no month 13
    frame = pd.DataFrame({readers.LINE: [2, 3], "bedrag": ["12345672,50", "12345672"],
                          "datum": ["20240107", "20240107"], "tekst": ["", "per 20240107"]}, dtype="str")
    hits = bsn.scan_table(frame, {"bedrag": bsn.NUMBER, "datum": bsn.DATE})
    assert [(h.column, h.line, h.masked) for h in hits] == [("bedrag", 3, "1234****"), ("tekst", 3, "2024****")]


def test_cbs_measure_values_are_not_scanned_but_their_labels_are():
    frame = pd.DataFrame({readers.LINE: [2, 3], "regio_label": ["Heemskerk", "wijk 123456782"],
                          "waarde": ["12345672", "17942942"]}, dtype="str")
    hits = bsn.scan_table(frame, skip=["waarde"])
    assert [(h.column, h.line) for h in hits] == [("regio_label", 3)]


def test_masking_keeps_four_digits_and_leaves_no_elfproef_number():
    assert bsn.mask_text("klant 123.456.782 en 12345672") == "klant 1234***** en 1234****"
    assert bsn.find(bsn.mask_text("111222333 999999990")) == []


# ------------------------------------------------------------------ the corpus


@pytest.fixture
def db(demo_copy):
    return demo_copy


@pytest.mark.parametrize("name, where, total", [
    ("punten.csv", "regel 3 kolom client_id (1234*****)", 1),
    ("spaties.csv", "regel 4 kolom client_id (1234*****)", 1),
    ("voorloopnul_weg.csv", "regel 5 kolom client_id (1234****)", 1),
    ("xlsx_getalcel.xlsx", "regel 3 kolom client_id (1234*****), regel 4 kolom client_id (1234****)", 2),
    ("placeholder_eerst.csv", "regel 2 kolom client_id (1000*****)", 59),   # 60 rows, one 'onbekend'
    ("dertig_procent.csv", "regel 5 kolom client_id (1000*****)", 6),       # 6 of 20 = 30%
    ("opmerking.csv", "regel 3 kolom opmerking (1234*****)", 1),
    ("extra_kolom.csv", "regel 4 kolom bsn_partner (9999*****)", 1),
    ("kopregel.csv", "regel 1 de kopregel (kolomnaam nummer 14) (1234*****)", 1),
    ("metingen_toelichting.csv", "regel 3 kolom toelichting (1112*****)", 1),
    ("reden_beeindiging.csv", "regel 3 kolom reden_beeindiging (1112*****)", 1),
    ("verwijzer.csv", "regel 2 kolom verwijzer (1234****)", 1),
    ("divosa_tekst.csv", "regel 4 kolom vergelijkingsgroep (9999*****)", 1),
])
def test_bsn_anywhere_refuses_the_file_masked_and_changes_nothing(db, name, where, total):
    before = content(db)
    result = import_file(db, CORPUS / name)
    assert result.status == REFUSED, result.message
    assert "burgerservicenummers" in result.message and where in result.message
    assert "python -m monitor pseudonimiseer BESTAND" in result.message and "Pseudonimiseren" in result.message
    assert (f"({total} in totaal)" in result.message) == (total > 5)
    (finding,) = result.findings
    assert finding.rows == total and not finding.passed
    assert content(db) == before
    log = refusals_path(db).read_text(encoding="utf-8")
    assert read_refusals(db)[-1]["bestandsnaam"] == name
    assert bsn.find(log) == [] and bsn.find(result.message) == []


@pytest.mark.parametrize("name", ["geen_bsn_hex_en_datums.csv", "geen_bsn_bedrag.csv"])
def test_hex_pseudonyms_dates_and_amounts_import(db, name):
    result = import_file(db, CORPUS / name)
    assert result.status == IMPORTED, result.message


def test_a_date_without_dashes_is_refused_as_a_date_not_as_a_bsn(db):
    before = content(db)
    result = import_file(db, CORPUS / "datum_zonder_streepjes.csv")
    assert result.status == REFUSED
    assert "ingangsdatum" in result.message and "burgerservicenummers" not in result.message
    assert content(db) == before


def test_check_examples_are_masked_in_the_refusal_log(db, tmp_path):
    # bedrag 12345672,50 is an amount (exempt), but above the suite's 10.000.000: the range check quotes it.
    source = (CORPUS / "geen_bsn_hex_en_datums.csv").read_text(encoding="utf-8").replace("1.234,56", "12345672,50")
    path = tmp_path / "te_hoog_bedrag.csv"
    path.write_text(source, encoding="utf-8")
    result = import_file(db, path)
    assert result.status == REFUSED and "bedrag" in result.message
    assert bsn.find(refusals_path(db).read_text(encoding="utf-8")) == []
    assert bsn.find(json.dumps([f.examples for f in result.findings], default=str)) == []


# ------------------------------------------------------------------ the pseudonymiser


@pytest.fixture
def key_env(monkeypatch):
    monkeypatch.setenv(pseudonymise.KEY_ENV, KEY)


def test_every_writing_gets_the_pseudonym_of_its_nine_digits():
    key = KEY.encode()
    plain = pseudonymise.pseudonym("123456782", key)
    assert {pseudonymise.pseudonym(v, key) for v in ("123.456.782", " 123 456 782", "1234 56 782")} == {plain}
    assert pseudonymise.pseudonym("12345672", key) == pseudonymise.pseudonym("012345672", key)


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*") if p.suffix in (".csv", ".xlsx")
                                        and not p.name.startswith(("geen_bsn", "datum_"))))
def test_pseudonymised_corpus_file_passes_the_scanner_and_imports(key_env, db, tmp_path, name):
    source = tmp_path / name
    shutil.copy(CORPUS / name, source)
    assert pseudonymise.main([str(source)]) == 0
    output = pseudonymise.default_output(source)
    assert bsn.find(output.read_text(encoding="utf-8-sig")) == []
    result = import_file(db, output)
    if name == "divosa_tekst.csv":
        # A pseudonym in a comparison group's label leaves a label the mapping does not know: refused for that.
        assert result.status == REFUSED and "burgerservicenummers" not in result.message
        assert "vergelijkingsgroep" in result.message
    else:
        assert result.status == IMPORTED, result.message


def test_amounts_and_dates_stay_as_they_are(key_env, tmp_path):
    source = tmp_path / "bedrag.csv"
    shutil.copy(CORPUS / "geen_bsn_bedrag.csv", source)
    text = source.read_text(encoding="utf-8").replace("mantelzorgers in beeld", "cliënt 123456782, in beeld")
    source.write_text(text, encoding="utf-8")
    assert pseudonymise.main([str(source)]) == 0
    out = pseudonymise.default_output(source).read_text(encoding="utf-8")
    assert out == text.replace("123456782", pseudonymise.pseudonym("123456782", KEY.encode()))
    assert "12345672,50" in out


# ------------------------------------------------------------------ the whole corpus


def corpus_items() -> list[Path]:
    """Every import case under tests/corpus/: a CBS v3/v4 folder as a whole, else each data file."""
    items = []
    for folder in sorted(p for p in (ROOT / "tests" / "corpus").rglob("*") if p.is_dir()):
        files = sorted(p for p in folder.iterdir() if p.is_file())
        if any(p.name in ("TypedDataSet.json", "Observations.csv", "Observations.json") for p in files):
            items.append(folder)
        else:
            items += [p for p in files if p.suffix.lower() in (".csv", ".xlsx", ".xls", ".json", ".zip", ".txt")]
    return items


def test_no_elfproef_number_anywhere_after_the_whole_corpus(db, capsys):
    items = corpus_items()
    for item in items:
        import_file(db, item)
    con = duckdb.connect(str(db), read_only=True)
    try:
        columns = con.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main' AND "
            "(data_type LIKE '%VARCHAR%' OR data_type = 'JSON') AND table_name IN (SELECT table_name FROM "
            "information_schema.tables WHERE table_type = 'BASE TABLE')").fetchall()
        cells, found = 0, []
        for table, column in columns:
            values = pd.Series([r[0] for r in con.execute(
                f'SELECT CAST("{column}" AS VARCHAR) FROM {table} WHERE "{column}" IS NOT NULL').fetchall()],
                dtype="str")
            cells += len(values)
            found += [(table, h.column, h.masked) for h in
                      bsn.scan_values(values, pd.Series(range(len(values))), column)]
    finally:
        con.close()
    log = refusals_path(db).read_text(encoding="utf-8").splitlines()
    with capsys.disabled():
        print(f"\n{len(items)} corpusbestanden geïmporteerd; {cells} cellen in {len(columns)} tekstkolommen en "
              f"{len(log)} regels van het weigeringenlogboek gescand")
    assert len(items) >= 90 and cells > 10_000 and len(log) >= 50
    assert found == []
    assert [line for line in log if bsn.find(line)] == []
