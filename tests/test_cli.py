"""`python -m monitor` as a user runs it: a subprocess in the project directory.

MONITOR_DB always points into tmp_path, so data/monitor.duckdb is never touched even when --db is left out.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
PEILDATUM = "2026-11-22"
ALLOWED_STATUSES = {"bereikt", "op koers", "aandacht", "niet op koers", "geen meting", "meting verwacht", "geen doel"}
KEYS = {"id", "opgave", "title", "unit", "comparator", "baseline", "target", "measurements", "latest", "expected",
        "status"}


def run(args: list[str], monitor_db: Path, timeout: int = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "MONITOR_DB": str(monitor_db), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "monitor", *args], cwd=PROJECT_DIR, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout)


@pytest.fixture(scope="module")
def status_json(demo_database, tmp_path_factory):
    unused = tmp_path_factory.mktemp("env") / "niet-gebruikt.duckdb"
    result = run(["status", "--json", "--db", str(demo_database.path), "--peildatum", PEILDATUM], unused)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def by_id(status_json):
    return {item["id"]: item for item in status_json}


def test_build_demo_creates_the_database(tmp_path):
    target = tmp_path / "sub" / "gebouwd.duckdb"
    result = run(["build-demo", "--db", str(target)], tmp_path / "env.duckdb")
    assert result.returncode == 0, result.stderr
    assert target.is_file()
    assert not (tmp_path / "env.duckdb").exists()  # --db wins over MONITOR_DB
    assert not Path(f"{target}.tmp").exists()
    assert str(target) in result.stdout
    assert "nulmetingen: 21" in result.stdout
    assert "wijken: 11" in result.stdout

    status = run(["status", "--json", "--db", str(target), "--peildatum", PEILDATUM], tmp_path / "env.duckdb")
    assert status.returncode == 0, status.stderr
    assert len(json.loads(status.stdout)) == 43


def test_status_json_has_43_objects_with_the_contract_keys(status_json):
    assert isinstance(status_json, list)
    assert len(status_json) == 43
    for item in status_json:
        assert KEYS <= set(item), item["id"]
        assert {"value", "period"} <= set(item["baseline"])
        assert {"value", "period"} <= set(item["target"])
        for m in item["measurements"]:
            assert {"period", "wijk", "value"} <= set(m)


def test_status_json_in_plan_order(status_json, plan):
    assert [item["id"] for item in status_json] == [i.id for i in plan.indicators]


def test_statuses_are_from_the_allowed_set(status_json):
    assert {item["status"] for item in status_json} <= ALLOWED_STATUSES


def test_bbv_have_no_target_or_comparator(by_id):
    for indicator_id, item in by_id.items():
        if indicator_id.startswith("BBV-"):
            assert item["comparator"] is None
            assert item["target"]["value"] is None
            assert item["expected"] is None
            assert item["status"] in {"geen doel", "geen meting", "meting verwacht"}


def test_ff1_as_in_the_plan(by_id):
    ff1 = by_id["FF-1"]
    assert ff1["opgave"] == "Financieel fit"
    assert ff1["comparator"] == "at_least"
    assert ff1["unit"] == "aantal toekenningen"
    assert ff1["baseline"]["value"] == 5377
    assert ff1["baseline"]["period"] == "2023"
    assert ff1["target"]["value"] == pytest.approx(5914.7)  # 5377 × 1,10
    assert ff1["target"]["period"] == "2027"


def test_zw4_as_in_the_plan(by_id):
    zw4 = by_id["ZW-4"]
    assert zw4["comparator"] == "at_most"
    assert (zw4["baseline"]["value"], zw4["baseline"]["period"]) == (2864, "2023")
    assert zw4["target"]["value"] == pytest.approx(3121.76)  # 2864 × 1,09
    assert zw4["unit"] == "EUR"


def test_oo5_as_in_the_plan(by_id):
    oo5 = by_id["OO-5"]
    assert oo5["comparator"] == "at_most"
    assert (oo5["baseline"]["value"], oo5["baseline"]["period"]) == (48.1, "2022")
    assert (oo5["target"]["value"], oo5["target"]["period"]) == (45, "2027")
    # The gemeente-wide nulmeting plus example figures for each of the 11 wijken.
    gemeente = [(m["period"], m["value"]) for m in oo5["measurements"] if m["wijk"] is None]
    assert gemeente == [("2022", 48.1)]
    wijken = {m["wijk"] for m in oo5["measurements"] if m["wijk"] is not None}
    assert wijken == {f"WK0396{n:02d}" for n in range(1, 12)}
    assert oo5["latest"]["wijk"] in wijken


def test_vw2_as_in_the_plan(by_id):
    vw2 = by_id["VW-2"]
    assert vw2["comparator"] == "at_least"
    assert (vw2["baseline"]["value"], vw2["baseline"]["period"]) == (108, "2023-H2")
    assert (vw2["target"]["value"], vw2["target"]["period"]) == (250, "2027")
    assert vw2["title"] == "Kinderen die gebruikmaken van het Jeugdfonds Sport & Cultuur"


def test_vw1_expected_value_on_the_path(by_id):
    vw1 = by_id["VW-1"]
    # Latest figure: CBS 2022 = 47.9. Path from 56 (end 2020) to 60 (end 2027):
    # days 2020-12-31 → 2022-12-31 = 730, 2020-12-31 → 2027-12-31 = 2556; 56 + 4 × 730 / 2556 = 57.1424
    assert vw1["latest"] == {"period": "2022", "wijk": None, "value": 47.9, "origin": "berekend"}
    assert vw1["expected"] == pytest.approx(57.1424, abs=1e-4)
    # 47.9 is 9.24 below the path; more than 25% of the planned change (4) → niet op koers
    assert vw1["status"] == "niet op koers"


def test_measurements_carry_their_values(by_id):
    bijstand = by_id["BBV-BIJSTAND"]
    # 730 / 39452 × 10000 = 185.035
    assert [(m["period"], round(m["value"], 2)) for m in bijstand["measurements"]] == [("2024", 185.03)]
    assert by_id["BBV-JEUGDHULP"]["latest"]["value"] == 9.5


def test_plain_text_status(demo_database, tmp_path):
    result = run(["status", "--db", str(demo_database.path), "--peildatum", PEILDATUM], tmp_path / "x.duckdb")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 43
    assert lines[0].startswith("VW-1")


def test_monitor_db_environment_is_used_without_db_flag(demo_database):
    result = run(["status", "--json", "--peildatum", PEILDATUM], demo_database.path)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 43


def test_monitor_db_environment_pointing_nowhere(tmp_path):
    missing = tmp_path / "nergens.duckdb"
    result = run(["status", "--peildatum", PEILDATUM], missing)
    assert result.returncode == 1
    assert "bestaat niet" in result.stderr
    assert str(missing) in result.stderr


def test_db_flag_wins_over_environment(demo_database, tmp_path):
    result = run(["status", "--json", "--db", str(demo_database.path), "--peildatum", PEILDATUM],
                 tmp_path / "nergens.duckdb")
    assert result.returncode == 0, result.stderr


def test_non_existing_database(tmp_path):
    missing = tmp_path / "bestaat-niet.duckdb"
    result = run(["status", "--json", "--db", str(missing), "--peildatum", PEILDATUM], tmp_path / "env.duckdb")
    assert result.returncode == 1
    assert "bestaat niet" in result.stderr
    assert "build-demo" in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert not missing.exists()  # status never creates a database


@pytest.mark.parametrize("peildatum", ["22-11-2026", "2026-13-01", "morgen"])
def test_bad_peildatum(demo_database, tmp_path, peildatum):
    result = run(["status", "--db", str(demo_database.path), "--peildatum", peildatum], tmp_path / "env.duckdb")
    assert result.returncode == 2
    assert "peildatum" in result.stderr
    assert "Fout" in result.stderr
    assert result.stdout == ""


def test_unknown_command(tmp_path):
    result = run(["opruimen"], tmp_path / "env.duckdb")
    assert result.returncode == 2
    assert "Fout" in result.stderr


def test_file_that_is_not_a_database(tmp_path):
    junk = tmp_path / "geen.duckdb"
    junk.write_text("dit is geen database\n", encoding="utf-8")
    result = run(["status", "--db", str(junk), "--peildatum", PEILDATUM], tmp_path / "env.duckdb")
    assert result.returncode == 1
    assert result.stderr.startswith("Fout:")
    assert "Traceback" not in result.stderr


def test_database_without_schema(tmp_path):
    import duckdb

    empty = tmp_path / "leeg.duckdb"
    duckdb.connect(str(empty)).close()
    result = run(["status", "--db", str(empty), "--peildatum", PEILDATUM], tmp_path / "env.duckdb")
    assert result.returncode == 1
    assert result.stderr.startswith("Fout:")
    assert "Traceback" not in result.stderr


# ------------------------------------------------------------------ import

CORPUS = PROJECT_DIR / "tests" / "corpus" / "invoer"


def test_import_creates_the_database_and_exits_0_when_everything_is_imported(tmp_path):
    db = tmp_path / "nieuw.duckdb"
    result = run(["import", str(CORPUS / "goed.csv"), "--db", str(db)], tmp_path / "env.duckdb")
    assert result.returncode == 0, result.stderr
    assert "✓ goed.csv: 3 rijen geïmporteerd als Suite4SD toekenningen_minimaregelingen." in result.stdout
    assert "1 van 1 bestanden zonder weigering" in result.stdout
    assert db.exists()


def test_import_exits_1_when_a_file_is_refused_and_still_imports_the_others(tmp_path):
    db = tmp_path / "m.duckdb"
    files = [CORPUS / "negatief_bedrag.csv", CORPUS / "goed.csv"]
    result = run(["import", *map(str, files), "--db", str(db)], tmp_path / "env.duckdb")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("✗ negatief_bedrag.csv: ") and "bedrag" in lines[0] and "regel 3" in lines[0]
    assert lines[1].startswith("✓ goed.csv: ")
    assert "1 van 2 bestanden zonder weigering" in result.stdout


def test_import_of_a_missing_file_is_a_refusal(tmp_path):
    result = run(["import", str(tmp_path / "bestaat-niet.csv"), "--db", str(tmp_path / "m.duckdb")],
                 tmp_path / "env.duckdb")
    assert result.returncode == 1
    assert "bestand niet gevonden" in result.stdout


def test_argparse_errors_are_dutch(tmp_path):
    result = run(["import", "x.csv", "--bron", "excel"], tmp_path / "env.duckdb")
    assert result.returncode == 2
    assert "Fout: argument --bron: ongeldige keuze 'excel'" in result.stderr
