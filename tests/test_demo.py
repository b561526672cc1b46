"""The embedded demo database (monitor.demo.build_demo) and the seeded example data it loads."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import tomllib
from pathlib import Path

import pytest

from monitor import demo, store

PROJECT_DIR = Path(__file__).resolve().parent.parent
PLAN_FILE = PROJECT_DIR / "data" / "plans" / "heemskerk.toml"
EXAMPLE_DIR = PROJECT_DIR / "data" / "voorbeelddata"
EXPORTS = sorted((EXAMPLE_DIR / "exports").glob("*.csv"))
# Computed from the example exports (tests/test_indicators.py, EXAMPLE_COUNTS): 4 × 8 + FF-4 11 + FF-5 3 + FF-6 7
COMPUTED_EXAMPLES = 49


def example_rows() -> list[dict]:
    with open(EXAMPLE_DIR / "metingen.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------ what the build reports


def test_nulmetingen_count_is_the_plans_known_baselines(demo_database):
    raw = tomllib.loads(PLAN_FILE.read_text(encoding="utf-8"))
    known = [i["id"] for i in raw["indicator"] if "waarde" in i.get("nulmeting", {})]
    # 28 doelstellingen − 6 without baseline (OZ-2, OZ-5, FF-6, OO-2, OO-3, OO-4) − 1 pending (OZ-6) = 21
    assert len(known) == 21
    assert demo_database.counts["nulmetingen"] == len(known)


def test_build_counts(demo_database):
    counts = demo_database.counts
    assert counts["wijken"] == 11
    # lines × measures per extract (line counts worked out in tests/test_cbs.py): 85098 3430×5 + 86050 8460×2
    # + 85588 7224×1 + 85383 2058×72 + 85012 3042×20 + 85563 3078×17 + 85984 14×123
    # = 17150 + 16920 + 7224 + 148176 + 60840 + 52326 + 1722 = 304358
    assert counts["cbs_observaties"] == 304358
    # every record of the six example exports, read through the import gate
    assert counts["voorbeeldexports"] == sum(len(p.read_text(encoding="utf-8").splitlines()) - 1 for p in EXPORTS)
    # From CBS: VW-1 2 + VW-4 2 + Wmo 15 + jeugdhulp 7 + jeugdbescherming 7 + jeugdreclassering 6 + bijstand 1
    # + re-integratie 1 = 41; from the example exports 49
    assert counts["berekend"] == 41 + COMPUTED_EXAMPLES
    assert counts["voorbeelddata"] == len(example_rows()) == 137
    # the real Divosa figures of the addendum: 8 vroegsignalering values (lines) + 1 benchmark line
    assert counts["divosa"] == 8 + 1
    assert list(counts) == ["wijken", "nulmetingen", "cbs_observaties", "voorbeeldexports", "divosa", "berekend",
                            "voorbeelddata"]


def test_database_rows_match_the_counts(demo_con, demo_database):
    per_origin = dict(demo_con.execute("SELECT herkomst, count(*) FROM measurement GROUP BY 1").fetchall())
    # import: Divosa's FF-5 terugval 2023 (16%), the only Divosa value that maps to a plan indicator
    assert per_origin == {"nulmeting": 21, "berekend": 41, "voorbeelddata": 137 + COMPUTED_EXAMPLES, "import": 1}
    assert demo_con.execute("SELECT count(*) FROM cbs_observation").fetchone()[0] == 304358
    assert store.schema_version(demo_con) == len(store.migrations())


def test_baselines_stored_as_in_the_plan(demo_con, plan):
    rows = demo_con.execute(
        "SELECT indicator_id, periode, waarde, eenheid FROM measurement WHERE herkomst = 'nulmeting'").fetchall()
    expected = {(i.id, i.nulmeting_periode, i.nulmeting_waarde, i.eenheid) for i in plan.indicators
                if i.nulmeting_status == "bekend"}
    assert set(rows) == expected
    assert ("VW-2", "2023-H2", 108.0, "aantal kinderen") in set(rows)


def test_wijken_of_heemskerk(demo_con):
    wijken = store.load_wijken(demo_con, "GM0396")
    assert list(wijken) == [f"WK0396{n:02d}" for n in range(1, 12)]
    assert wijken["WK039605"] == "Wijk 05 Poelenburg en Oosterzij"
    inwoners = dict(demo_con.execute("SELECT wijk_code, inwoners FROM wijk").fetchall())
    assert inwoners["WK039601"] == 1915
    assert inwoners["WK039611"] == 5


def test_plan_in_database_equals_the_file(demo_con, plan):
    assert store.load_plan(demo_con) == plan


def test_import_log(demo_con):
    log = demo_con.execute("SELECT bestandsnaam, bron, rijen, resultaat FROM import_log ORDER BY import_id").fetchall()
    assert log[0] == ("heemskerk.toml", "plan", 43, "geimporteerd")
    assert [r[0] for r in log[1:8]] == [f"{t}.csv" for t in
                                        ["85012NED", "85098NED", "85383NED", "85563NED", "85588NED", "85984NED",
                                         "86050NED"]]
    assert {r[1] for r in log[1:8]} == {"cbs"}
    # the example exports, each through the import gate, then logged as voorbeelddata
    assert [r[0] for r in log[8:14]] == [p.name for p in EXPORTS]
    assert {r[1] for r in log[8:14]} == {"voorbeelddata"}
    types = [r[0] for r in demo_con.execute("SELECT type_herkend FROM import_log ORDER BY import_id").fetchall()]
    assert types[8:14] == [f"Suite4SD {p.stem}" for p in EXPORTS]
    assert log[-1] == ("metingen.csv", "voorbeelddata", 137, "geimporteerd")
    sha = demo_con.execute("SELECT sha256 FROM import_log WHERE bestandsnaam = 'metingen.csv'").fetchone()[0]
    assert sha == sha256(EXAMPLE_DIR / "metingen.csv")


# ------------------------------------------------------------------ example data is labelled


def test_every_example_measurement_is_labelled(demo_con):
    rows = demo_con.execute("SELECT herkomst, bron FROM measurement WHERE herkomst = 'voorbeelddata'").fetchall()
    assert len(rows) == 137 + COMPUTED_EXAMPLES
    assert all("voorbeelddata" in bron for _, bron in rows)
    # and the other way round: every row that says voorbeelddata in its source is marked as such
    other = demo_con.execute(
        "SELECT count(*) FROM measurement WHERE bron ILIKE '%voorbeelddata%' AND herkomst <> 'voorbeelddata'"
    ).fetchone()[0]
    assert other == 0


def test_no_example_row_claims_a_cbs_source(demo_con):
    assert demo_con.execute(
        "SELECT count(*) FROM measurement WHERE herkomst = 'voorbeelddata' AND bron ILIKE '%CBS%'").fetchone()[0] == 0
    # every CBS source belongs to a computed row
    assert {r[0] for r in demo_con.execute(
        "SELECT DISTINCT herkomst FROM measurement WHERE bron ILIKE '%CBS%'").fetchall()} == {"berekend"}


def test_example_csv_is_labelled():
    for row in example_rows():
        assert "voorbeelddata" in row["bron"]
        assert "cbs" not in row["bron"].lower()
        assert "statline" not in row["bron"].lower()


def test_example_data_never_feeds_a_computed_indicator(plan):
    computed = {i.id for i in plan.indicators if i.berekening}
    assert {r["indicator_id"] for r in example_rows()} & computed == set()


def test_example_data_does_not_overwrite_a_real_baseline(plan):
    baselines = {(i.id, i.nulmeting_periode) for i in plan.indicators if i.nulmeting_status == "bekend"}
    gemeente_rows = {(r["indicator_id"], r["periode"]) for r in example_rows() if not r["wijk"]}
    assert gemeente_rows & baselines == set()


def test_example_ids_are_in_the_plan(plan):
    ids = {i.id for i in plan.indicators}
    assert {r["indicator_id"] for r in example_rows()} <= ids


def test_example_narratives_are_marked(demo_con):
    rows = demo_con.execute("SELECT indicator_id, periode, auteur, voorbeelddata FROM narrative").fetchall()
    assert len(rows) == 5
    assert all(auteur == "voorbeelddata" and flag for _, _, auteur, flag in rows)
    assert {(r[0], r[1]) for r in rows} == {("FF-1", "2026-H1"), ("FF-3", "2025"), ("FF-4", "2026-H1"),
                                            ("ZW-4", "2026-H1"), ("OO-5", "2024")}


# ------------------------------------------------------------------ the shipped example data is the seeded script's


def load_generator():
    spec = importlib.util.spec_from_file_location("generate_voorbeelddata",
                                                  PROJECT_DIR / "scripts" / "generate_voorbeelddata.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_regenerated_example_data_is_byte_identical(tmp_path):
    load_generator().generate(2027, tmp_path)
    shipped = sorted(p.relative_to(EXAMPLE_DIR) for p in EXAMPLE_DIR.rglob("*.csv"))
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.csv")) == shipped
    assert len(shipped) == 2 + 6
    for name in shipped:
        assert (tmp_path / name).read_bytes() == (EXAMPLE_DIR / name).read_bytes(), name


def test_another_seed_gives_other_figures(tmp_path):
    load_generator().generate(1, tmp_path)
    assert (tmp_path / "metingen.csv").read_bytes() != (EXAMPLE_DIR / "metingen.csv").read_bytes()


# ------------------------------------------------------------------ a failed build changes nothing


def fail(*args, **kwargs):
    raise RuntimeError("kunstmatige fout halverwege")


def test_failed_build_leaves_existing_database_unchanged(demo_database, tmp_path, monkeypatch, plan):
    target = tmp_path / "monitor.duckdb"
    target.write_bytes(demo_database.path.read_bytes())
    before = sha256(target)
    monkeypatch.setattr(demo, "load_examples", fail)

    with pytest.raises(RuntimeError, match="kunstmatige fout"):
        demo.build_demo(target)

    assert sha256(target) == before
    con = store.connect(target, read_only=True)
    try:
        assert store.load_plan(con) == plan
        assert con.execute("SELECT count(*) FROM measurement").fetchone()[0] == 21 + 41 + COMPUTED_EXAMPLES + 137 + 1
    finally:
        con.close()


def test_a_refused_example_export_fails_the_build_and_leaves_nothing(tmp_path, monkeypatch):
    exports = tmp_path / "exports"
    exports.mkdir()
    # uitkering_bij_start must be J or N: a critical finding, so the gate refuses the file
    (exports / "loonkostensubsidie.csv").write_text(
        "lks_id;client_id;werkgever_id;startdatum;einddatum;loonwaarde_pct;uren_per_week;uitkering_bij_start\n"
        "LKS-1;a1;WG-1;2023-02-01;;60;32;X\n", encoding="utf-8")
    monkeypatch.setattr(demo, "EXAMPLE_EXPORTS", exports)
    target = tmp_path / "monitor.duckdb"
    with pytest.raises(ValueError, match="voorbeeldexport loonkostensubsidie.csv is niet ingelezen"):
        demo.build_demo(target)
    assert list(tmp_path.glob("monitor.duckdb*")) == []


def test_failed_build_creates_no_database(tmp_path, monkeypatch):
    target = tmp_path / "nieuw.duckdb"
    monkeypatch.setattr(demo, "load_examples", fail)
    with pytest.raises(RuntimeError):
        demo.build_demo(target)
    assert not target.exists()


def test_build_after_a_failed_build_replaces_the_old_file(tmp_path, monkeypatch, plan):
    target = tmp_path / "monitor.duckdb"
    target.write_bytes(b"oude inhoud")
    with monkeypatch.context() as patch:
        patch.setattr(demo, "load_examples", fail)
        with pytest.raises(RuntimeError):
            demo.build_demo(target)
    assert target.read_bytes() == b"oude inhoud"

    counts = demo.build_demo(target)  # the leftover .tmp of the failed build is cleared first
    assert counts["voorbeelddata"] == 137
    assert not Path(f"{target}.tmp").exists()
    assert not Path(f"{target}.tmp.wal").exists()
    con = store.connect(target, read_only=True)
    try:
        assert store.load_plan(con) == plan
    finally:
        con.close()
