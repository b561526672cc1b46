"""The DuckDB store: migrations, where the database file lives, plan and measurement round trips."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from monitor import store
from monitor.periods import PeriodError
from monitor.store import Measurement

PROJECT_DIR = Path(__file__).resolve().parent.parent
INITIAL_SQL = PROJECT_DIR / "monitor" / "migrations" / "0001_initial.sql"

# Written by hand from monitor/migrations/0001_initial.sql.
TABLES = {"plan", "opgave", "indicator", "gemeente", "wijk", "import_log", "measurement", "cbs_observation", "narrative"}
VIEWS = {"current_measurement"}


def table_names(con) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}


def view_names(con) -> set[str]:
    return {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}


@pytest.fixture
def con(tmp_path):
    connection = store.open_store(tmp_path / "store.duckdb")
    yield connection
    connection.close()


# ------------------------------------------------------------------ migrations


def test_hand_list_matches_the_migration_file():
    sql = INITIAL_SQL.read_text(encoding="utf-8")
    assert set(re.findall(r"CREATE TABLE (\w+)", sql)) == TABLES
    assert set(re.findall(r"CREATE VIEW (\w+)", sql)) == VIEWS


def test_migrations_create_every_table_and_view(con):
    assert table_names(con) >= TABLES | VIEWS | {"schema_version"}
    assert view_names(con) == VIEWS


def test_every_migration_is_recorded(con):
    rows = con.execute("SELECT version, naam FROM schema_version ORDER BY version").fetchall()
    assert rows[:2] == [(1, "initial"), (2, "import_gate")]
    assert rows == [(version, name) for version, name, _ in store.migrations()]
    assert store.schema_version(con) == rows[-1][0]


def test_fresh_database_has_version_0(tmp_path):
    con = store.connect(tmp_path / "leeg.duckdb")
    try:
        assert store.schema_version(con) == 0
        assert store.migrate(con) == [version for version, _, _ in store.migrations()]
    finally:
        con.close()


def test_migrating_again_applies_nothing(con):
    assert store.migrate(con) == []
    assert store.schema_version(con) == len(store.migrations())
    assert con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == len(store.migrations())


def test_reopening_applies_nothing(tmp_path):
    path = tmp_path / "store.duckdb"
    store.open_store(path).close()
    con = store.connect(path)
    try:
        assert store.migrate(con) == []
    finally:
        con.close()


def test_a_second_migration_is_applied_in_order(tmp_path, monkeypatch):
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    shutil.copy(INITIAL_SQL, migrations)
    (migrations / "0002_extra.sql").write_text("CREATE TABLE extra (x INTEGER);", encoding="utf-8")
    monkeypatch.setattr(store, "MIGRATIONS_DIR", migrations)
    con = store.connect(tmp_path / "db.duckdb")
    try:
        assert store.migrate(con) == [1, 2]
        assert store.schema_version(con) == 2
        assert "extra" in table_names(con)
    finally:
        con.close()


BROKEN_0002 = """
CREATE TABLE half_af (x INTEGER);
INSERT INTO half_af VALUES (1);
ALTER TABLE measurement ADD COLUMN half_af_kolom INTEGER;
SELECT * FROM tabel_die_niet_bestaat;
"""


def test_failing_migration_rolls_back(tmp_path, monkeypatch):
    path = tmp_path / "db.duckdb"
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    shutil.copy(INITIAL_SQL, migrations)
    monkeypatch.setattr(store, "MIGRATIONS_DIR", migrations)
    store.open_store(path).close()  # at version 1
    (migrations / "0002_kapot.sql").write_text(BROKEN_0002, encoding="utf-8")

    con = store.connect(path)
    try:
        with pytest.raises(duckdb.Error):
            store.migrate(con)
        assert store.schema_version(con) == 1
        assert "half_af" not in table_names(con)
        columns = {r[0] for r in con.execute("DESCRIBE measurement").fetchall()}
        assert "half_af_kolom" not in columns
    finally:
        con.close()

    # Also after reopening: nothing of 0002 was committed.
    con = store.connect(path)
    try:
        assert store.schema_version(con) == 1
        assert "half_af" not in table_names(con)
    finally:
        con.close()


def test_failing_first_migration_leaves_no_tables(tmp_path, monkeypatch):
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "0001_kapot.sql").write_text("CREATE TABLE a (x INTEGER);\nCREATE TABLE a (x INTEGER);",
                                               encoding="utf-8")
    monkeypatch.setattr(store, "MIGRATIONS_DIR", migrations)
    con = store.connect(tmp_path / "db.duckdb")
    try:
        with pytest.raises(duckdb.Error):
            store.migrate(con)
        assert store.schema_version(con) == 0
        assert "a" not in table_names(con)
    finally:
        con.close()


def test_migration_files_are_found_by_name_pattern(tmp_path, monkeypatch):
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "0002_b.sql").write_text("SELECT 2;", encoding="utf-8")
    (migrations / "0001_a.sql").write_text("SELECT 1;", encoding="utf-8")
    (migrations / "README.md").write_text("geen migratie", encoding="utf-8")
    (migrations / "3_kort.sql").write_text("SELECT 3;", encoding="utf-8")
    monkeypatch.setattr(store, "MIGRATIONS_DIR", migrations)
    assert [(v, n) for v, n, _ in store.migrations()] == [(1, "a"), (2, "b")]


# ------------------------------------------------------------------ where the database lives


def test_db_flag_wins_over_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("MONITOR_DB", str(tmp_path / "env.duckdb"))
    assert store.resolve_db_path(str(tmp_path / "flag.duckdb")) == tmp_path / "flag.duckdb"


def test_environment_wins_over_default(monkeypatch, tmp_path):
    monkeypatch.setenv("MONITOR_DB", str(tmp_path / "env.duckdb"))
    assert store.resolve_db_path(None) == tmp_path / "env.duckdb"


def test_default_is_data_monitor_duckdb(monkeypatch):
    monkeypatch.delenv("MONITOR_DB", raising=False)
    assert store.resolve_db_path(None) == PROJECT_DIR / "data" / "monitor.duckdb"
    assert store.resolve_db_path() == store.DEFAULT_DB


def test_user_home_is_expanded(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert store.resolve_db_path("~/x.duckdb") == tmp_path / "x.duckdb"


def test_open_store_creates_parent_directories(tmp_path):
    path = tmp_path / "a" / "b" / "monitor.duckdb"
    store.open_store(path).close()
    assert path.exists()


# ------------------------------------------------------------------ plan round trip


def test_plan_round_trip_equals_the_toml_plan(con, plan):
    store.save_plan(con, plan)
    assert store.load_plan(con) == plan
    assert store.load_plan(con, plan.id) == plan


def test_plan_round_trip_keeps_order_and_budgets(con, plan):
    store.save_plan(con, plan)
    loaded = store.load_plan(con)
    assert [i.id for i in loaded.indicators] == [i.id for i in plan.indicators]
    assert [o.budget for o in loaded.opgaven] == [1874008, 12476129, 14984774, 11440518, 4352650]
    assert loaded.indicator("OZ-4").nulmeting_waarde == 13601.04
    assert loaded.indicator("OO-5").elke_wijk is True
    assert loaded.start == date(2024, 1, 1)


def test_saving_a_plan_twice_replaces_it(con, plan):
    store.save_plan(con, plan)
    store.save_plan(con, plan)
    assert con.execute("SELECT count(*) FROM indicator").fetchone()[0] == 43
    assert con.execute("SELECT count(*) FROM opgave").fetchone()[0] == 5
    assert con.execute("SELECT count(*) FROM plan").fetchone()[0] == 1
    assert con.execute("SELECT naam FROM gemeente WHERE gemeente_code = 'GM0396'").fetchall() == [("Heemskerk",)]


def test_load_plan_from_empty_database_says_how_to_build(con):
    with pytest.raises(LookupError, match="build-demo"):
        store.load_plan(con)


# ------------------------------------------------------------------ measurements


def measurement(**changes) -> Measurement:
    base = dict(indicator_id="VW-2", gemeente_code="GM0396", periode="2e helft 2023", waarde=108.0,
                eenheid="aantal kinderen", bron="Team Sportservice", herkomst="meting")
    return Measurement(**{**base, **changes})


def test_measurement_round_trip_keeps_period_code_dates_unit_status(con):
    store.insert_measurements(con, [
        measurement(),
        measurement(indicator_id="BBV-BIJSTAND", periode="2024", waarde=185.03, teller=730, noemer=39452,
                    eenheid="per 10.000 inwoners", status="voorlopig", herkomst="berekend", bron="CBS",
                    toelichting="test"),
        measurement(indicator_id="OO-5", periode="2022", waarde=47.5, wijk_code="WK039605", eenheid="%"),
        measurement(indicator_id="OZ-6", periode="2023-2024", waarde=61, eenheid="aantal leerlingen"),
    ])
    loaded = {m.indicator_id: m for m in store.load_measurements(con, "GM0396")}
    assert loaded["VW-2"].periode == "2023-H2"
    assert loaded["VW-2"].eenheid == "aantal kinderen"
    assert loaded["VW-2"].status == "definitief"
    assert loaded["VW-2"].wijk_code == ""
    bijstand = loaded["BBV-BIJSTAND"]
    assert (bijstand.periode, bijstand.waarde, bijstand.teller, bijstand.noemer) == ("2024", 185.03, 730, 39452)
    assert (bijstand.eenheid, bijstand.status, bijstand.herkomst, bijstand.toelichting) == (
        "per 10.000 inwoners", "voorlopig", "berekend", "test")
    assert loaded["OO-5"].wijk_code == "WK039605"
    assert loaded["OZ-6"].periode == "2023/2024"

    dates = dict(((r[0], (r[1], r[2])) for r in con.execute(
        "SELECT indicator_id, periode_start, periode_eind FROM measurement").fetchall()))
    assert dates["VW-2"] == (date(2023, 7, 1), date(2023, 12, 31))
    assert dates["BBV-BIJSTAND"] == (date(2024, 1, 1), date(2024, 12, 31))
    assert dates["OZ-6"] == (date(2023, 8, 1), date(2024, 7, 31))


def test_measurements_load_in_time_order_and_per_gemeente(con):
    store.insert_measurements(con, [
        measurement(periode="2025-H1", waarde=3),
        measurement(periode="2024-H1", waarde=1),
        measurement(periode="2024-H2", waarde=2),
        measurement(gemeente_code="GM0375", periode="2024-H1", waarde=99),
    ])
    assert [m.waarde for m in store.load_measurements(con, "GM0396")] == [1, 2, 3]
    assert [m.waarde for m in store.load_measurements(con, "GM0375")] == [99]


def test_replaced_measurements_are_not_loaded(con):
    store.insert_measurements(con, [measurement(waarde=1), measurement(periode="2024-H1", waarde=2)])
    con.execute("UPDATE measurement SET vervangen_door = 99 WHERE waarde = 1")
    assert [m.waarde for m in store.load_measurements(con, "GM0396")] == [2]


def test_insert_rejects_an_unknown_period(con):
    with pytest.raises(PeriodError):
        store.insert_measurements(con, [measurement(periode="derde helft 2023")])


def test_insert_rejects_an_unknown_status(con):
    with pytest.raises(duckdb.ConstraintException):
        store.insert_measurements(con, [measurement(status="geschat")])


def test_example_data_flag(con):
    assert store.has_example_data(con) is False
    store.insert_measurements(con, [measurement(herkomst="voorbeelddata")])
    assert store.has_example_data(con) is True
    assert store.load_measurements(con, "GM0396")[0].is_example


def test_narratives_newest_period_first(con):
    store.save_narrative(con, "FF-1", "GM0396", "1e helft 2024", "oud", "ik")
    store.save_narrative(con, "FF-1", "GM0396", "2024-H2", "nieuw", "ik")
    store.save_narrative(con, "FF-1", "GM0396", "2024-H1", "oud, herzien", "jij")  # same period: replaces
    assert store.load_narratives(con, "GM0396") == {
        "FF-1": [("2024-H2", "nieuw", False), ("2024-H1", "oud, herzien", False)]}


def test_import_log_returns_increasing_ids(con):
    first = store.log_import(con, bestandsnaam="a.csv", sha256="0" * 64, bron="cbs", type_herkend="x", rijen=1)
    second = store.log_import(con, bestandsnaam="b.csv", sha256="1" * 64, bron="cbs", type_herkend="x", rijen=2)
    assert second == first + 1


def test_inserting_no_measurements_is_a_no_op(con):
    assert store.insert_measurements(con, []) == 0
    assert store.load_measurements(con, "GM0396") == []
