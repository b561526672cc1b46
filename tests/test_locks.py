"""Locks and faults: a reader holding the database, build-demo over an existing file, non-finite numbers in status."""

import json
import subprocess
import sys

import duckdb

from tests.helpers import CORPUS, content
from tests.test_cli import PEILDATUM, run


def test_import_waits_for_a_reader_that_holds_the_database(demo_copy, tmp_path):
    # the dashboard's way: a read-only connection in another process, kept open for 2 s
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], "
                               "read_only=True); print('open', flush=True); time.sleep(2); c.close()", str(demo_copy)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "open"
    result = run(["import", str(CORPUS / "goed.csv"), "--db", str(demo_copy)], tmp_path / "env.duckdb")
    holder.wait(timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 rijen geïmporteerd" in result.stdout


def test_status_on_a_locked_database_says_so_in_dutch_without_rebuild_advice(demo_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("MONITOR_LOCK_WAIT", "1")
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('open', flush=True); time.sleep(60)", str(demo_copy)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "open"
    try:
        result = run(["status", "--json", "--db", str(demo_copy), "--peildatum", PEILDATUM], tmp_path / "env.duckdb")
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 1
    assert "in gebruik door een ander programma" in result.stderr
    assert str(demo_copy) in result.stderr
    assert "build-demo" not in result.stderr and "Traceback" not in result.stderr


def test_build_demo_refuses_to_overwrite_without_overschrijf(demo_copy, tmp_path):
    before = content(demo_copy)
    result = run(["build-demo", "--db", str(demo_copy)], tmp_path / "env.duckdb")
    assert result.returncode == 1
    assert "--overschrijf" in result.stderr and "bestaat al" in result.stderr
    assert content(demo_copy) == before


def test_status_json_writes_inf_as_null(demo_copy, tmp_path):
    con = duckdb.connect(str(demo_copy))
    con.execute("UPDATE measurement SET waarde = 'inf'::DOUBLE WHERE indicator_id = 'FF-1' AND herkomst = 'nulmeting'")
    changed = con.execute("SELECT count(*) FROM measurement WHERE isinf(waarde)").fetchone()[0]
    con.close()
    assert changed >= 1
    result = run(["status", "--json", "--db", str(demo_copy), "--peildatum", PEILDATUM], tmp_path / "env.duckdb")
    assert result.returncode == 0, result.stderr

    def refuse(constant):
        raise ValueError(constant)

    items = json.loads(result.stdout, parse_constant=refuse)  # Infinity/NaN would raise
    assert len(items) == 43
