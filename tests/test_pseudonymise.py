"""Pseudonymising exports: keyed HMAC-SHA256, the key never in the repo, everything else in the file unchanged."""

from __future__ import annotations

import hashlib
import hmac
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from monitor import pseudonymise
from monitor.imports import bsn, readers, suite4sd
from monitor.imports.base import ImportRefused

CORPUS = Path(__file__).resolve().parent / "corpus" / "suite4sd"
KEY = "proef-sleutel-voor-de-test"
BSNS = ["111222333", "123456782", "999999990"]  # test numbers that pass the elfproef, not real BSNs


def expected(value: str, key: str = KEY) -> str:
    """Computed independently of the module: HMAC-SHA256 as hex, first 32 characters."""
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()[:32]


@pytest.fixture
def key_env(monkeypatch):
    monkeypatch.setenv(pseudonymise.KEY_ENV, KEY)


@pytest.fixture
def no_key(monkeypatch, tmp_path):
    monkeypatch.delenv(pseudonymise.KEY_ENV, raising=False)
    monkeypatch.setenv(pseudonymise.KEY_FILE_ENV, str(tmp_path / "bestaat-niet.key"))


def copy(name: str, folder: Path) -> Path:
    target = folder / name
    shutil.copy(CORPUS / name, target)
    return target


# ------------------------------------------------------------------ the pseudonym


def test_known_answer_rfc_4231_case_2():
    # RFC 4231 test case 2: HMAC-SHA256(key "Jefe", "what do ya want for nothing?"), cut to 32 hex characters.
    assert pseudonymise.pseudonym("what do ya want for nothing?", b"Jefe") == "5bdcc146bf60754e6a042426089575c7"


def test_pseudonym_is_keyed_stable_and_ignores_surrounding_spaces():
    value = pseudonymise.pseudonym("123456782", KEY.encode())
    assert value == expected("123456782") == "2cc4ba5e781cb27df61b99a23815308f"
    assert pseudonymise.pseudonym(" 123456782 ", KEY.encode()) == value
    assert pseudonymise.pseudonym("123456782", b"een-andere-sleutel-van-lengte") != value
    assert pseudonymise.pseudonym("123456783", KEY.encode()) != value


# ------------------------------------------------------------------ the key


def test_no_key_is_refused_in_dutch(no_key, tmp_path, capsys):
    source = copy("toekenningen_bsn.csv", tmp_path)
    assert pseudonymise.main([str(source)]) == 1
    error = capsys.readouterr().err
    assert error.startswith("Fout: geen sleutel voor het pseudonimiseren gevonden")
    assert pseudonymise.KEY_ENV in error and str(tmp_path / "bestaat-niet.key") in error
    assert not pseudonymise.default_output(source).exists()


def test_key_from_a_secrets_file(monkeypatch, tmp_path):
    key_file = tmp_path / "geheim" / "pseudoniem.key"
    key_file.parent.mkdir()
    key_file.write_text(KEY + "\n", encoding="utf-8")
    monkeypatch.delenv(pseudonymise.KEY_ENV, raising=False)
    monkeypatch.setenv(pseudonymise.KEY_FILE_ENV, str(key_file))
    assert pseudonymise.load_key() == KEY.encode()


def test_default_key_file_is_in_the_home_config(monkeypatch, tmp_path):
    monkeypatch.delenv(pseudonymise.KEY_ENV, raising=False)
    monkeypatch.delenv(pseudonymise.KEY_FILE_ENV, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    with pytest.raises(pseudonymise.PseudonymiseError, match=str(tmp_path / ".config/monitor/pseudoniem.key")):
        pseudonymise.load_key()
    (tmp_path / ".config" / "monitor").mkdir(parents=True)
    (tmp_path / ".config" / "monitor" / "pseudoniem.key").write_text(KEY, encoding="utf-8")
    assert pseudonymise.load_key() == KEY.encode()


def test_key_file_inside_the_project_is_refused(monkeypatch, tmp_path):
    monkeypatch.setattr(pseudonymise, "PROJECT_DIR", tmp_path)
    key_file = tmp_path / "data" / "pseudoniem.key"
    key_file.parent.mkdir()
    key_file.write_text(KEY, encoding="utf-8")
    monkeypatch.delenv(pseudonymise.KEY_ENV, raising=False)
    monkeypatch.setenv(pseudonymise.KEY_FILE_ENV, str(key_file))
    with pytest.raises(pseudonymise.PseudonymiseError, match="staat in de projectmap"):
        pseudonymise.load_key()


def test_short_key_is_refused(monkeypatch):
    monkeypatch.setenv(pseudonymise.KEY_ENV, "kort")
    with pytest.raises(pseudonymise.PseudonymiseError, match="korter dan 16 tekens"):
        pseudonymise.load_key()


# ------------------------------------------------------------------ files


def test_output_passes_the_bsn_check_and_imports(key_env, tmp_path, capsys):
    source = copy("toekenningen_bsn.csv", tmp_path)
    with pytest.raises(ImportRefused):
        suite4sd.parse(readers.read_tabular(source), {}, suite4sd.load_regelingen())
    assert pseudonymise.main([str(source)]) == 0
    output = tmp_path / "toekenningen_bsn.pseudoniem.csv"
    assert f"client_id (3 waarden). Uitvoer: {output}" in capsys.readouterr().out
    table = readers.read_tabular(output)
    assert bsn.scan_table(table.frame) == []
    assert table.frame["client_id"].tolist() == [expected(b) for b in BSNS]
    parsed = suite4sd.parse(table, {}, suite4sd.load_regelingen())
    assert parsed.rows == 3


def test_only_the_named_column_changes_byte_for_byte(tmp_path):
    source = copy("toekenningen_bsn.csv", tmp_path)
    target = tmp_path / "uit.csv"
    assert pseudonymise.pseudonymise_file(source, target, ["client_id"], KEY.encode()) == {"client_id": 3}
    original = source.read_bytes()
    for bsn in BSNS:
        original = original.replace(bsn.encode(), expected(bsn).encode())
    assert target.read_bytes() == original


def test_same_bsn_gives_the_same_pseudonym_across_exports(key_env, tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("bsn;regeling\n123456782;IIT\n", encoding="utf-8")
    second.write_text("client,vorm\r\n999999990,overig\r\n123456782,specialistisch\r\n", encoding="utf-8")
    assert pseudonymise.main([str(first)]) == 0
    assert pseudonymise.main([str(second), "--kolom", "client", "--uit", str(tmp_path / "b2.csv")]) == 0
    a = readers.read_tabular(tmp_path / "a.pseudoniem.csv").frame
    b = readers.read_tabular(tmp_path / "b2.csv").frame
    assert a["bsn"].tolist()[0] == b["client"].tolist()[1] == expected("123456782")
    assert (tmp_path / "b2.csv").read_bytes().endswith(b",specialistisch\r\n")


def test_windows_1252_bom_quotes_and_empty_values_are_kept(tmp_path):
    source = tmp_path / "oud.csv"
    text = ('client_id;naam;bedrag\r\n"111222333";"Zoë; en Eva";"1.234,56"\r\n;leeg;0\r\n'
            '123456782;"regel\r\nerbij";5\r\n')
    source.write_bytes(text.encode("cp1252"))
    target = tmp_path / "nieuw.csv"
    assert pseudonymise.pseudonymise_file(source, target, ["client_id"], KEY.encode()) == {"client_id": 2}
    want = text.replace("111222333", expected("111222333")).replace("123456782", expected("123456782"))
    assert target.read_bytes() == want.encode("cp1252")
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbfbsn,wijk\n123456782,Kerkbeek\n")
    pseudonymise.pseudonymise_file(bom, target, ["bsn"], KEY.encode())
    assert target.read_bytes() == f"\ufeffbsn,wijk\n{expected('123456782')},Kerkbeek\n".encode("utf-8")


def test_xlsx_becomes_a_semicolon_csv(key_env, tmp_path):
    workbook = Workbook()
    workbook.active.append(["traject_id", "bsn", "vorm"])
    workbook.active.append(["JH-1", 111222333, "overig"])
    workbook.active.append(["JH-2", "123456782", "specialistisch"])
    source = tmp_path / "jeugd.xlsx"
    workbook.save(source)
    assert pseudonymise.main([str(source)]) == 0
    assert (tmp_path / "jeugd.pseudoniem.csv").read_text(encoding="utf-8") == (
        f"traject_id;bsn;vorm\nJH-1;{expected('111222333')};overig\nJH-2;{expected('123456782')};specialistisch\n")


def test_dutch_errors_for_columns_and_files(key_env, tmp_path, capsys):
    source = copy("wmo_komma.csv", tmp_path)
    assert pseudonymise.main([str(source)]) == 1
    assert "geen kolom met burgerservicenummers gevonden" in capsys.readouterr().err
    assert pseudonymise.main([str(source), "--kolom", "bsn"]) == 1
    assert "kolom bsn bestaat niet. Kolommen: voorziening_id, client_id" in capsys.readouterr().err
    assert pseudonymise.main([str(source), "--kolom", "client_id", "--uit", str(source)]) == 1
    assert "het uitvoerbestand is het invoerbestand" in capsys.readouterr().err
    broken = tmp_path / "kapot.csv"
    broken.write_text('bsn;naam\n123456782;"Jan" de Vries\n', encoding="utf-8")
    assert pseudonymise.main([str(broken), "--kolom", "bsn"]) == 1
    assert "regel 2 heeft een aanhalingsteken midden in een waarde" in capsys.readouterr().err
    assert pseudonymise.main([str(tmp_path / "weg.csv"), "--kolom", "bsn"]) == 1
    assert capsys.readouterr().err == f"Fout: {tmp_path / 'weg.csv'}: bestand niet gevonden.\n"


def test_comma_file_with_quoted_fields_keeps_its_quoting(tmp_path):
    source = copy("wmo_komma.csv", tmp_path)
    target = tmp_path / "uit.csv"
    pseudonymise.pseudonymise_file(source, target, ["client_id"], KEY.encode())
    want = source.read_text(encoding="utf-8")
    for client in ("c4a1", "c4a2", "c4a3"):
        want = want.replace(f",{client},", f",{expected(client)},")
    assert target.read_text(encoding="utf-8") == want
