"""Build the embedded default database from the files shipped in data/.

Order: plan (catalogue and baselines) → real CBS extracts → the example Suite4SD exports, through the import gate →
computed indicators → the example metingen. The database is built beside its final place and moved in at the end, so
a failed build never leaves a half-built database behind.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import duckdb

from monitor import cbs
from monitor.catalogue import Plan, load_plan
from monitor.compute import refresh_computed
from monitor.imports.base import sha256_of
from monitor.imports.cbs_formats import known_tables
from monitor.imports.suite4sd import save_regelingen
from monitor.store import (
    PROJECT_DIR,
    Measurement,
    insert_many,
    insert_measurements,
    log_import,
    open_store,
    save_narrative,
    save_plan,
)

DATA_DIR = PROJECT_DIR / "data"
PLAN_FILE = DATA_DIR / "plans" / "heemskerk.toml"
CBS_DIR = DATA_DIR / "cbs"
GEMEENTEN_FILE = DATA_DIR / "gemeenten.csv"
EXAMPLE_DIR = DATA_DIR / "voorbeelddata"
EXAMPLE_EXPORTS = EXAMPLE_DIR / "exports"
# The shipped voorbeelddata belong to the Heemskerk plan; another plan gets its real data only.
EXAMPLE_PLAN_ID = "heemskerk-2024"
WIJK_TABLE = "85984NED"
# data/divosa/ holds published Divosa figures; a plan gets the files whose `gemeente` column names its gemeente.
DIVOSA_DIR = DATA_DIR / "divosa"


def table_period(table: str) -> str | None:
    """The period of a table without a Perioden column, from data/cbs_tabellen.csv."""
    known = known_tables().get(table.upper())
    return known.standaardperiode if known else None


def build_demo(db_path: Path, plan_file: Path = PLAN_FILE) -> dict[str, int]:
    """Build the default database at db_path, replacing what is there. Returns row counts per step."""
    db_path = Path(db_path)
    temporary = db_path.with_name(db_path.name + ".tmp")
    # The import gate logs a refused example export beside the database it imports into.
    leftovers = (temporary, Path(f"{temporary}.wal"), Path(f"{temporary}.weigeringen.jsonl"))
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    con = open_store(temporary)
    try:
        counts = fill(con, load_plan(plan_file), plan_file, temporary)
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
        raise
    con.close()
    os.replace(temporary, db_path)
    return counts


def fill(con: duckdb.DuckDBPyConnection, plan: Plan, plan_file: Path, db_path: Path) -> dict[str, int]:
    example = plan.id == EXAMPLE_PLAN_ID
    con.execute("BEGIN TRANSACTION")
    counts = {"wijken": install_reference_data(con, plan)}
    counts["nulmetingen"] = load_baselines(con, plan, plan_file)
    counts["cbs_observaties"] = load_cbs_extracts(con, cbs.read_gemeenten(GEMEENTEN_FILE))
    # The example exports go through the import gate, which opens the database itself: commit what it builds on.
    con.execute("COMMIT")
    counts["voorbeeldexports"] = load_example_exports(con, db_path) if example else 0
    counts["divosa"] = load_divosa(db_path, plan.gemeente_naam)
    con.execute("BEGIN TRANSACTION")
    counts["berekend"] = sum(refresh_computed(con, plan).values())
    counts["voorbeelddata"] = load_examples(con, plan) if example else 0
    con.execute("COMMIT")
    return counts


def load_baselines(con: duckdb.DuckDBPyConnection, plan: Plan, plan_file: Path) -> int:
    import_id = log_import(con, bestandsnaam=Path(plan_file).name, sha256=sha256_of(plan_file), bron="plan",
                           type_herkend="planbestand (catalogus en nulmetingen)", rijen=len(plan.indicators))
    rows = [
        Measurement(indicator_id=i.id, gemeente_code=plan.gemeente_code, periode=i.nulmeting_periode,
                    waarde=i.nulmeting_waarde, eenheid=i.eenheid, bron=f"{plan.titel} (nulmeting)",
                    herkomst="nulmeting", import_id=import_id)
        for i in plan.indicators
        if i.nulmeting_status == "bekend"
    ]
    return insert_measurements(con, rows)


def load_cbs_extracts(con: duckdb.DuckDBPyConnection, gemeenten: dict[str, str]) -> int:
    total = 0
    for path in sorted(CBS_DIR.glob("*.csv")):
        observations = cbs.read_table(path, gemeenten, table_period(path.stem))
        import_id = log_import(con, bestandsnaam=path.name, sha256=sha256_of(path), bron="cbs",
                               type_herkend=f"CBS {path.stem} (label-CSV, OData v3)", rijen=len(observations))
        cbs.store_observations(con, observations, import_id)
        con.execute("UPDATE import_log SET vervangsleutel = ?, perioden = ? WHERE import_id = ?",
                    [f"cbs:{path.stem}", sorted({o.periode for o in observations}), import_id])
        total += len(observations)
    return total


def install_reference_data(con: duckdb.DuckDBPyConnection, plan: Plan) -> int:
    """What every database needs before data arrive: the plan, the gemeenten, the plan's wijken and the regelingen.

    Returns the number of wijken. Used by build-demo and by the first import into a new database.
    """
    save_plan(con, plan)
    gemeenten = cbs.read_gemeenten(GEMEENTEN_FILE)
    insert_many(con, "INSERT INTO gemeente VALUES (?, ?) ON CONFLICT DO NOTHING",
                [[code, name] for name, code in gemeenten.items()])
    save_regelingen(con)
    prefix = "WK" + plan.gemeente_code[2:]
    observations = cbs.read_table(CBS_DIR / f"{WIJK_TABLE}.csv", gemeenten, table_period(WIJK_TABLE))
    rows = sorted({(o.regio_code, plan.gemeente_code, o.regio_label, int(o.waarde), int(o.periode))
                   for o in observations
                   if o.regio_code.startswith(prefix) and o.maat == "AantalInwoners_5" and o.waarde is not None})
    return insert_many(con, "INSERT INTO wijk VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", rows)


def load_divosa(db_path: Path, gemeente_naam: str) -> int:
    """The real Divosa figures of data/divosa/ for this gemeente, through the import gate like any Divosa export."""
    from monitor.imports.pipeline import IMPORTED, import_file

    total = 0
    for path in sorted(DIVOSA_DIR.glob("*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as handle:
            if {row.get("gemeente") for row in csv.DictReader(handle, delimiter=";")} != {gemeente_naam}:
                continue
        result = import_file(db_path, path, bron="divosa")
        if result.status != IMPORTED:
            raise ValueError(f"Divosa-bestand {path.name} is niet ingelezen: {result.message}")
        total += result.rows
    return total


def load_example_exports(con: duckdb.DuckDBPyConnection, db_path: Path) -> int:
    """Import the example Suite4SD exports as a steward would, through the import gate; returns the records read.

    Their imports are logged with bron 'voorbeelddata' instead of 'suite4sd', so that the indicators computed from
    them are labelled voorbeelddata (indicators/records.py) and the freshness of Suite4SD counts real exports only.
    Their supersede key stays that of a Suite4SD export: a real export of the same kind replaces them.
    """
    # Imported here: the pipeline imports this module for install_reference_data.
    from monitor.imports.pipeline import IMPORTED, import_file

    total = 0
    for path in sorted(EXAMPLE_EXPORTS.glob("*.csv")):
        result = import_file(db_path, path, bron="suite4sd")
        if result.status != IMPORTED:
            raise ValueError(f"voorbeeldexport {path.name} is niet ingelezen: {result.message}")
        con.execute("UPDATE import_log SET bron = 'voorbeelddata' WHERE import_id = ?", [result.import_id])
        total += result.rows
    return total


def load_examples(con: duckdb.DuckDBPyConnection, plan: Plan) -> int:
    metingen = EXAMPLE_DIR / "metingen.csv"
    import_id = log_import(con, bestandsnaam=metingen.name, sha256=sha256_of(metingen), bron="voorbeelddata",
                           type_herkend="metingenblad (voorbeelddata)", rijen=0)
    units = {i.id: i.eenheid for i in plan.indicators}
    with open(metingen, encoding="utf-8", newline="") as handle:
        rows = [
            Measurement(indicator_id=r["indicator_id"], gemeente_code=plan.gemeente_code, periode=r["periode"],
                        waarde=float(r["waarde"]), eenheid=units[r["indicator_id"]], bron=r["bron"],
                        herkomst="voorbeelddata", wijk_code=r["wijk"], toelichting=r["toelichting"] or None,
                        import_id=import_id)
            for r in csv.DictReader(handle, delimiter=";")
        ]
    count = insert_measurements(con, rows)
    con.execute("UPDATE import_log SET rijen = ? WHERE import_id = ?", [count, import_id])
    with open(EXAMPLE_DIR / "toelichtingen.csv", encoding="utf-8", newline="") as handle:
        for r in csv.DictReader(handle, delimiter=";"):
            save_narrative(con, r["indicator_id"], plan.gemeente_code, r["periode"], r["tekst"],
                           auteur="voorbeelddata", voorbeelddata=True)
    return count
