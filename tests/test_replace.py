"""Routine replacements: a new Divosa year, a partial CBS re-export, an older snapshot after a newer one, a shrinking
replacement; the check that stores nothing, confirmation, and undo. Cases: tests/corpus/vervangen/README.md."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from monitor.cli import main
from monitor.imports.pipeline import (
    CHECKED,
    IMPORTED,
    REFUSED,
    UNCONFIRMED,
    UNDONE,
    import_file,
    refusals_path,
    undo,
)
from tests.helpers import ROOT, content

CASES = ROOT / "tests" / "corpus" / "vervangen"
# In the demo database: import 14 is the example Wmo export (6.477 rows, to 10 July 2026), 8 the CBS extract
# 86050NED, 15 the Divosa benchmark 2023.
DEMO_WMO, DEMO_CBS_86050, DEMO_BENCHMARK = 14, 8, 15


def query(db: Path, sql: str, params=()) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def changed(before: dict, after: dict) -> dict[str, tuple[int, int]]:
    """table → (rows gone, rows new) for every table that differs, measurement left out (see `values`)."""
    return {t: (len(set(before[t]) - set(after[t])), len(set(after[t]) - set(before[t])))
            for t in before.keys() | after.keys() if t != "measurement" and before.get(t) != after.get(t)}


def values(db: Path) -> list[tuple]:
    """Every measurement but its id: recomputing an indicator gives its rows new ids and nothing else."""
    return query(db, "SELECT * EXCLUDE (measurement_id) FROM measurement ORDER BY ALL")


def current_per_period(db: Path, table: str, where: str) -> dict[str, int]:
    return dict(query(db, f"SELECT periode, count(*) FROM {table} WHERE vervangen_door IS NULL AND {where} "
                          "GROUP BY periode"))


# ------------------------------------------------------------------ the bug: routine imports were refused


def test_new_divosa_year_imports_and_keeps_2023_current(demo_copy):
    before = content(demo_copy)
    assert current_per_period(demo_copy, "divosa_waarde", "bron = 'benchmark_wi'") == {"2023": 1}
    result = import_file(demo_copy, CASES / "benchmark_wi_2024.csv")
    # Refused before the fix with "connection has an unfinished result" (a fetchone() left open in supersede).
    assert result.status == IMPORTED, result.message
    # 2023 (16%) stays current beside the new 2024 value (14%): one row per period.
    assert current_per_period(demo_copy, "divosa_waarde", "bron = 'benchmark_wi'") == {"2023": 1, "2024": 1}
    assert query(demo_copy, "SELECT periode, waarde FROM current_measurement WHERE indicator_id = 'FF-5' "
                            "AND herkomst = 'import' ORDER BY periode") == [("2023", 16.0), ("2024", 14.0)]
    # Whole database: one log row and one Divosa row more, nothing replaced.
    assert changed(before, content(demo_copy)) == {"import_log": (0, 1), "divosa_waarde": (0, 1)}
    assert result.replacement.indicators == ["FF-5"]


def test_partial_cbs_reexport_replaces_only_its_region_periods(demo_copy):
    before = content(demo_copy)
    table = "tabel = '86050NED'"
    counts_before = current_per_period(demo_copy, "cbs_observation", table)
    result = import_file(demo_copy, CASES / "cbs_86050NED_deel.csv")
    assert result.status == IMPORTED, result.message
    # Same 22 periods, 768 or 770 current observations each, before and after: the file's 2 periods x 2 measures
    # for Heemskerk replace exactly those 4 observations of import 8.
    assert current_per_period(demo_copy, "cbs_observation", table) == counts_before
    assert query(demo_copy, "SELECT periode, maat, waarde FROM cbs_observation WHERE vervangen_door IS NOT NULL "
                            "ORDER BY ALL") == [
        ("2023-H2", "WmoClientenPer1000Inwoners_2", 65.0), ("2023-H2", "WmoClienten_1", 2570.0),
        ("2024-H1", "WmoClientenPer1000Inwoners_2", 64.0), ("2024-H1", "WmoClienten_1", 2535.0)]
    assert {r[0] for r in query(demo_copy, "SELECT DISTINCT vervangen_door FROM cbs_observation "
                                           "WHERE vervangen_door IS NOT NULL")} == {result.import_id}
    # Other gemeenten for 2024-H1 stay current from import 8: 768 - 2 Heemskerk rows.
    assert query(demo_copy, "SELECT count(*) FROM cbs_observation WHERE import_id = ? AND periode = '2024-H1' "
                            "AND vervangen_door IS NULL", [DEMO_CBS_86050]) == [(766,)]
    # BBV-WMO-MAATWERK is per 10.000: 65 per 1.000 → 650 in 2024-H1 (was 640), 67 → 670 in 2023-H2 (was 650).
    assert query(demo_copy, "SELECT periode, waarde FROM current_measurement WHERE indicator_id = 'BBV-WMO-MAATWERK' "
                            "AND periode IN ('2023-H2', '2024-H1') ORDER BY periode") == [("2023-H2", 670.0),
                                                                                        ("2024-H1", 650.0)]
    assert result.replacement.indicators == ["BBV-WMO-MAATWERK"]
    # import_log: one row new; cbs_observation: 4 rows changed (vervangen_door set) and 4 new ones.
    assert changed(before, content(demo_copy)) == {"import_log": (0, 1), "cbs_observation": (4, 8)}


def test_older_snapshot_after_newer_is_stored_but_not_current(demo_copy):
    before, measurements = content(demo_copy), values(demo_copy)
    result = import_file(demo_copy, CASES / "wmo_ouder.csv")
    assert result.status == IMPORTED
    assert "ouder dan de geldende (import 14, loopt tot 10 juli 2026)" in result.message
    assert "blijft geldend" in result.message
    assert query(demo_copy, "SELECT import_id, count(*) FROM s4sd_wmo_voorziening WHERE vervangen_door IS NULL "
                            "GROUP BY ALL") == [(DEMO_WMO, 6477)]
    assert query(demo_copy, "SELECT count(*), min(vervangen_door), max(vervangen_door) FROM s4sd_wmo_voorziening "
                            "WHERE import_id = ?", [result.import_id]) == [(3, DEMO_WMO, DEMO_WMO)]
    # Its coverage in the log: earliest and latest date of ingangsdatum, 15 September 2023 to 1 May 2024.
    assert query(demo_copy, "SELECT dekking_van::VARCHAR, dekking_tot::VARCHAR, vervangen_door FROM import_log "
                            "WHERE import_id = ?", [result.import_id]) == [("2023-09-15", "2024-05-01", DEMO_WMO)]
    assert changed(before, content(demo_copy)) == {"import_log": (0, 1), "s4sd_wmo_voorziening": (0, 3)}
    assert values(demo_copy) == measurements  # recomputed with new ids, the same values
    assert result.replacement.indicators == []


# ------------------------------------------------------------------ shrinking replacement needs confirmation


def test_shrinking_replacement_is_refused_without_confirmation(demo_copy):
    before = content(demo_copy)
    result = import_file(demo_copy, CASES / "wmo_krimp.csv")
    assert result.status == UNCONFIRMED
    # 6.477 current rows would become 3: 6.474 gone, far over 10%.
    assert "6.477 geldende rijen vervangen door 3" in result.message and "er is niets gewijzigd" in result.message
    assert content(demo_copy) == before
    assert not refusals_path(demo_copy).exists()


def test_cli_shrinking_replacement_exit_1_then_bevestig_imports(demo_copy, capsys):
    before = content(demo_copy)
    args = ["import", "--db", str(demo_copy), str(CASES / "wmo_krimp.csv")]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "6.477 geldende rijen vervangen door 3" in out and "--bevestig" in out
    assert content(demo_copy) == before
    assert main([*args, "--bevestig"]) == 0
    assert query(demo_copy, "SELECT count(*) FROM s4sd_wmo_voorziening WHERE vervangen_door IS NULL") == [(3,)]
    assert query(demo_copy, "SELECT count(*) FROM s4sd_wmo_voorziening WHERE vervangen_door IS NOT NULL "
                            "AND import_id = ?", [DEMO_WMO]) == [(6477,)]


# ------------------------------------------------------------------ check only


@pytest.mark.parametrize("name", ["benchmark_wi_2024.csv", "cbs_86050NED_deel.csv", "wmo_ouder.csv", "wmo_krimp.csv"])
def test_controleer_prints_the_replacement_and_stores_nothing(demo_copy, capsys, name):
    before = content(demo_copy)
    assert main(["import", "--db", str(demo_copy), "--controleer", str(CASES / name)]) == 0
    out = capsys.readouterr().out
    assert "Geldende rijen:" in out and "Periode:" in out and "Indicatoren die veranderen:" in out
    assert "er is niets opgeslagen" in out
    assert content(demo_copy) == before
    assert not refusals_path(demo_copy).exists()


def test_controleer_of_the_shrinking_export_shows_counts_periods_and_indicators(demo_copy):
    result = import_file(demo_copy, CASES / "wmo_krimp.csv", check_only=True)
    assert result.status == CHECKED and result.import_id is None
    lines = result.replacement.lines()
    assert lines[0] == "Geldende rijen: 6.477 → 3 (−6.474)."
    assert lines[1] == "Periode: 2 januari 2012 t/m 10 juli 2026 → 1 augustus 2026 t/m 1 november 2026."
    # ZW-3/4/5 are computed from the Wmo export.
    assert lines[2] == "Indicatoren die veranderen: ZW-3, ZW-4, ZW-5."
    assert result.replacement.needs_confirmation


def test_controleer_of_a_refused_file_writes_no_refusal_log(demo_copy, capsys):
    bad = ROOT / "tests" / "corpus" / "invoer" / "negatief_bedrag.csv"
    before = content(demo_copy)
    assert main(["import", "--db", str(demo_copy), "--controleer", str(bad)]) == 1
    assert content(demo_copy) == before and not refusals_path(demo_copy).exists()


def test_controleer_on_a_missing_database_creates_nothing(tmp_path):
    db = tmp_path / "nieuw.duckdb"
    result = import_file(db, CASES / "wmo_krimp.csv", check_only=True)
    assert result.status == CHECKED and result.replacement.rows_before == 0
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ undo


def test_undo_restores_the_database_exactly(demo_copy, capsys):
    before, measurements = content(demo_copy), values(demo_copy)
    result = import_file(demo_copy, CASES / "wmo_krimp.csv", confirmed=True)
    assert result.status == IMPORTED
    assert main(["import", "--db", str(demo_copy), "--ongedaan", str(result.import_id)]) == 0
    assert "6.477 rijen van eerdere imports weer geldend" in capsys.readouterr().out
    after = content(demo_copy)
    # What differs: one bookkeeping row in import_ongedaan, and the recomputed measurements' ids.
    assert changed(before, after) == {"import_ongedaan": (0, 1)}
    assert values(demo_copy) == measurements
    assert query(demo_copy, "SELECT import_id, bestandsnaam, rijen, rijen_verwijderd, rijen_hersteld "
                            "FROM import_ongedaan") == [(result.import_id, "wmo_krimp.csv", 3, 3, 6477)]
    # The same file can be imported again.
    assert import_file(demo_copy, CASES / "wmo_krimp.csv", confirmed=True).status == IMPORTED


def test_undo_of_a_superseded_import_names_the_later_one(demo_copy):
    first = import_file(demo_copy, CASES / "benchmark_wi_2024.csv")
    second = import_file(demo_copy, CASES / "benchmark_wi_2024_correctie.csv")
    assert (first.status, second.status) == (IMPORTED, IMPORTED)
    before = content(demo_copy)
    refused = undo(demo_copy, first.import_id)
    assert refused.status == REFUSED
    assert f"import {second.import_id} (benchmark_wi_2024_correctie.csv)" in refused.message
    assert "Maak eerst die ongedaan" in refused.message
    assert content(demo_copy) == before
    assert undo(demo_copy, second.import_id).status == UNDONE
    assert query(demo_copy, "SELECT waarde FROM divosa_waarde WHERE periode = '2024' AND vervangen_door IS NULL") == [
        (14.0,)]
    assert undo(demo_copy, first.import_id).status == UNDONE


def test_undo_of_the_newer_snapshot_waits_for_the_older_one_stored_after_it(demo_copy):
    older = import_file(demo_copy, CASES / "wmo_ouder.csv")
    before = content(demo_copy)
    refused = undo(demo_copy, DEMO_WMO)
    assert refused.status == REFUSED and f"import {older.import_id} (wmo_ouder.csv)" in refused.message
    assert content(demo_copy) == before


def test_undo_refuses_the_plan_and_unknown_imports(demo_copy):
    before = content(demo_copy)
    assert "kan niet ongedaan worden gemaakt" in undo(demo_copy, 1).message
    assert "import 999 bestaat niet" in undo(demo_copy, 999).message
    assert content(demo_copy) == before


# ------------------------------------------------------------------ the upload page


@pytest.fixture
def page(demo_copy, monkeypatch):
    monkeypatch.setenv("MONITOR_DB", str(demo_copy))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/gegevens.py")
    at.run()
    assert not at.exception, at.exception
    return at


def test_upload_page_shows_the_replacement_and_needs_the_checkbox(page, demo_copy):
    before = content(demo_copy)
    page.file_uploader[0].set_value(("wmo_krimp.csv", (CASES / "wmo_krimp.csv").read_bytes(), "text/csv"))
    page.button[0].click()
    page.run()
    shown = " ".join(m.value for m in page.markdown)
    assert "Geldende rijen: 6.477 → 3 (−6.474)." in shown and "ZW-3, ZW-4, ZW-5" in shown
    assert page.button(key="gegevens_importeren").disabled
    assert content(demo_copy) == before
    page.checkbox(key="gegevens_bevestig").check()
    page.run()
    page.button(key="gegevens_importeren").click()
    page.run()
    assert not page.exception, page.exception
    assert "3 rijen geïmporteerd" in page.success[0].value
    assert query(demo_copy, "SELECT count(*) FROM s4sd_wmo_voorziening WHERE vervangen_door IS NULL") == [(3,)]


def test_history_button_undoes_an_import(page, demo_copy):
    before, measurements = content(demo_copy), values(demo_copy)
    result = import_file(demo_copy, CASES / "benchmark_wi_2024.csv")
    page.run()
    page.button(key=f"ongedaan_{result.import_id}").click()
    page.run()
    assert not page.exception, page.exception
    assert f"import {result.import_id} (benchmark_wi_2024.csv) is ongedaan gemaakt" in page.success[0].value
    assert changed(before, content(demo_copy)) == {"import_ongedaan": (0, 1)}
    assert values(demo_copy) == measurements
    table = next(d.value for d in page.dataframe if "Bestand" in d.value.columns)
    assert table.iloc[0]["Resultaat"] == "ongedaan gemaakt"
