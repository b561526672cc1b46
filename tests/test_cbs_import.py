"""Acceptance: each of the 27 real CBS tables imports with exit 0, with real Heemskerk values checked by hand."""

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
DUMP = ROOT.parent / "shared" / "realdata" / "cbs_statline_dump_dertje"

pytestmark = pytest.mark.skipif(not DUMP.is_dir(), reason=f"echte CBS-tabellen niet gevonden in {DUMP}")


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    db = tmp_path_factory.mktemp("cbs") / "monitor.duckdb"
    tables = sorted(DUMP.glob("*.csv"))
    run = subprocess.run([sys.executable, "-m", "monitor", "import", *map(str, tables), "--db", str(db)], cwd=ROOT,
                         capture_output=True, text=True)
    return db, tables, run


def value(db, table, measure, region, period, dims=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        sql = ("SELECT waarde FROM cbs_observation WHERE tabel = ? AND maat = ? AND regio_code = ? AND periode = ? "
               "AND vervangen_door IS NULL")
        params = [table, measure, region, period]
        if dims is not None:
            sql += " AND dimensies = ?"
            params.append(dims)
        return [r[0] for r in con.execute(sql, params).fetchall()]
    finally:
        con.close()


def test_all_27_tables_import_with_exit_0(imported):
    db, tables, run = imported
    assert len(tables) == 27
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert run.stdout.count("✓ ") == 27
    assert "27 van 27 bestanden zonder weigering" in run.stdout


def test_86050NED_wmo_clients_heemskerk_2017(imported):
    db = imported[0]
    # 86050NED, TypeMaatwerkvoorziening Totaal, Heemskerk, 2017: 2.900 Wmo-cliënten, 74 per 1.000 inwoners
    assert value(db, "86050NED", "WmoClienten_1", "GM0396", "2017", "TypeMaatwerkvoorziening=Totaal") == [2900.0]
    assert value(db, "86050NED", "WmoClientenPer1000Inwoners_2", "GM0396", "2017",
                 "TypeMaatwerkvoorziening=Totaal") == [74.0]


def test_85990NED_jeugdzorg_in_natura_first_half_2024(imported):
    db = imported[0]
    values = value(db, "85990NED", "TotaalJongerenMetJeugdzorgInNatura_1", "GM0396", "2024-H1")
    assert 715.0 in values


def test_85383NED_inwoners_2024_definitief(imported):
    db = imported[0]
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT status, waarde FROM cbs_observation WHERE tabel = '85383NED' AND maat = "
                       "'InwonersTotaal_1' AND regio_code = 'GM0396' AND periode = '2024' ORDER BY status").fetchall()
    con.close()
    assert rows == [("definitief", 39452.0), ("voorlopig", None)]


def test_importing_the_same_tables_again_changes_nothing(imported):
    db, tables, _ = imported
    run = subprocess.run([sys.executable, "-m", "monitor", "import", str(tables[0]), "--db", str(db)], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0
    assert "al geïmporteerd" in run.stdout
