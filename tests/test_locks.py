"""Locks and faults: a reader holding the database, build-demo over an existing file, non-finite numbers in status."""

import json
import os
import shutil
import subprocess
import sys
import time

import duckdb
import pytest

from monitor import store

from tests.helpers import CORPUS, ROOT, content
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


METINGEN = CORPUS.parent / "metingen" / "goed.csv"  # not in the demo yet, so importing it must write


def start_import(path, db, env_db):
    env = {**os.environ, "MONITOR_DB": str(env_db), "PYTHONIOENCODING": "utf-8"}
    return subprocess.Popen([sys.executable, "-m", "monitor", "import", str(path), "--db", str(db)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")


def logged_files(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {r[0] for r in con.execute("SELECT bestandsnaam FROM import_log WHERE resultaat = 'geimporteerd'")
                .fetchall()}
    finally:
        con.close()


def test_two_imports_at_once_both_land(demo_copy, tmp_path):
    files = [CORPUS / "goed.csv", METINGEN]
    processes = [start_import(f, demo_copy, tmp_path / "env.duckdb") for f in files]
    outputs = [p.communicate(timeout=150) for p in processes]
    for process, (out, err) in zip(processes, outputs):
        # the second waits for the first's write lock (up to 60 s) and then runs
        assert process.returncode == 0, out + err
        assert "Traceback" not in err
    assert {f.name for f in files} <= logged_files(demo_copy)
    store.connect(demo_copy, read_only=True).close()


def test_readers_looping_like_the_dashboard_do_not_stop_an_import(demo_copy, tmp_path):
    # each reader opens read-only, reads, closes, for ~10 s: as a dashboard rerun does (it never keeps the file open)
    loop = ("import duckdb, sys, time\nend = time.time() + 10\nn = 0\nwhile time.time() < end:\n"
            "    try:\n        c = duckdb.connect(sys.argv[1], read_only=True)\n"
            "    except duckdb.IOException:\n        continue\n"
            "    c.execute('SELECT count(*) FROM import_log').fetchone()\n    c.close()\n    n += 1\nprint(n)")
    readers = [subprocess.Popen([sys.executable, "-c", loop, str(demo_copy)], stdout=subprocess.PIPE, text=True)
               for _ in range(3)]
    time.sleep(1)
    started = time.monotonic()
    result = run(["import", str(CORPUS / "goed.csv"), "--db", str(demo_copy)], tmp_path / "env.duckdb")
    took = time.monotonic() - started
    reads = [int(r.communicate(timeout=60)[0]) for r in readers]
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 rijen geïmporteerd" in result.stdout
    assert took < store.LOCK_WAIT_SECONDS
    assert all(n > 0 for n in reads)  # the readers really did read meanwhile


needs_unshare = pytest.mark.skipif(shutil.which("unshare") is None or os.geteuid() != 0,
                                   reason="unshare -m als root is nodig (root in CI) / needs unshare -m as root")


def in_namespace(script: str, tmp_path) -> subprocess.CompletedProcess:
    """Run a shell script in a private mount namespace: its mounts vanish when it ends."""
    env = {**os.environ, "MONITOR_DB": str(tmp_path / "env.duckdb"), "PYTHONIOENCODING": "utf-8", "PY": sys.executable}
    return subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


def assert_dutch_fault(result, words):
    output = result.stdout + result.stderr  # the CLI reports a refused file on stdout
    assert result.returncode == 1, output
    assert "Traceback" not in output and "Error" not in output and "Read-only" not in output
    assert "build-demo" not in output
    assert "Er is niets gewijzigd" in output
    assert any(w in output for w in words), output


@needs_unshare
def test_import_on_a_read_only_location(demo_copy, tmp_path):
    before = content(demo_copy)
    d = demo_copy.parent
    result = in_namespace(f"mount --bind '{d}' '{d}' && mount -o remount,ro,bind '{d}' && "
                          f"\"$PY\" -m monitor import '{METINGEN}' --db '{demo_copy}'", tmp_path)
    assert_dutch_fault(result, ["alleen-lezen schijf"])
    status = in_namespace(f"mount --bind '{d}' '{d}' && mount -o remount,ro,bind '{d}' && "
                          f"\"$PY\" -m monitor status --json --db '{demo_copy}' --peildatum {PEILDATUM}", tmp_path)
    assert status.returncode == 0, status.stderr
    assert len(json.loads(status.stdout)) == 43
    assert content(demo_copy) == before


def stable_content(db):
    """content() without import_log's clock columns: the "after" state comes from an import at another moment."""
    state = content(db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        state["import_log"] = sorted(map(repr, con.execute(
            "SELECT * EXCLUDE (gestart_op, afgerond_op) FROM import_log").fetchall()))
    finally:
        con.close()
    return state


def test_kill_9_during_an_import_leaves_before_or_after(demo_copy, tmp_path):
    from bench.import_speed import generate
    big = tmp_path / "toekenningen_minimaregelingen.csv"
    generate(big, 60_000)
    before = stable_content(demo_copy)
    after_db = tmp_path / "after.duckdb"
    shutil.copy(demo_copy, after_db)
    started = time.monotonic()
    result = run(["import", str(big), "--db", str(after_db)], tmp_path / "env.duckdb")
    duration = time.monotonic() - started
    assert result.returncode == 0, result.stdout + result.stderr
    after = stable_content(after_db)
    assert after != before
    outcomes = []
    for n in range(20):
        victim = tmp_path / f"kill{n}.duckdb"
        shutil.copy(demo_copy, victim)
        process = start_import(big, victim, tmp_path / "env.duckdb")
        time.sleep(duration * (n + 1) / 21)  # spread the kills over the whole import
        process.kill()
        process.wait()
        state = stable_content(victim)  # opening it at all is the first check
        assert state in (before, after), f"kill {n}: neither before nor after"
        outcomes.append(state == after)
        victim.unlink()
    print("kills that landed after the commit:", sum(outcomes))


@needs_unshare
def test_import_on_a_full_disk(tmp_path):
    from bench.import_speed import generate
    big = tmp_path / "toekenningen_minimaregelingen.csv"
    generate(big, 20_000)
    disk, out = tmp_path / "schijf", tmp_path / "uit"
    disk.mkdir()
    out.mkdir()
    db = disk / "monitor.duckdb"
    # a 64 MB tmpfs: a database made by one tiny import, a snapshot of it, then a filler until the disk is full
    result = in_namespace(
        f"mount -t tmpfs -o size=64m tmpfs '{disk}' && \"$PY\" -m monitor import '{CORPUS / 'goed.csv'}' --db '{db}' "
        f"> /dev/null && cp '{db}' '{out}/voor.duckdb' && (dd if=/dev/zero of='{disk}/vulsel' bs=1M 2>/dev/null; "
        f"true) && \"$PY\" -m monitor import '{big}' --db '{db}'; rc=$?; cp '{db}' '{out}/na.duckdb'; "
        f"[ -f '{db}.wal' ] && cp '{db}.wal' '{out}/na.duckdb.wal'; exit $rc", tmp_path)
    assert_dutch_fault(result, ["is vol"])
    assert content(out / "na.duckdb") == content(out / "voor.duckdb")
