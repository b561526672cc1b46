"""An export that covers part of a year gives a part-year figure, judged against the same part of the path; an
export that covers too little says so (issue 7, point 7)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from monitor.imports.pipeline import IMPORTED, import_file
from monitor.progress import NIET_OP_KOERS, OP_KOERS, PART_YEAR_MARK, assess
from monitor.status import snapshot
from monitor.store import Measurement
from tests.test_computed import PLAN, export

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "voorbeelddata" / "exports" / \
    "toekenningen_minimaregelingen.csv"
PEILDATUM = date(2025, 9, 1)
# FF-1: nulmeting 5.377 (2023, ends 31-12-2023), doel 5.377 × 1,1 = 5.914,7 (2027, ends 31-12-2027): 1.461 days.
# 30-06-2025 is 547 days after the nulmeting: yearly path 5.377 + 537,7 × 547 / 1.461 = 5.578,3155; half: 2.789,1577.
FF1_HALF_PATH = 2789.1577


def half_year_file(tmp_path: Path) -> Path:
    """The shipped example export, only the rows with a besluitdatum in 1-1-2025 t/m 30-6-2025."""
    with open(EXAMPLE, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    column = rows[0].index("besluitdatum")
    kept = [rows[0]] + [r for r in rows[1:] if "2025-01-01" <= r[column] <= "2025-06-30"]
    path = tmp_path / "toekenningen_2025_h1.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\n").writerows(kept)
    return path


def imported(tmp_path: Path, path: Path) -> Path:
    db = tmp_path / "monitor.duckdb"
    result = import_file(db, path)
    assert result.status == IMPORTED, result.message
    return db


def stored(db: Path, indicator_id: str) -> dict[str, tuple[float, str]]:
    import duckdb
    with duckdb.connect(str(db), read_only=True) as con:
        return {p: (w, t) for p, w, t in con.execute(
            "SELECT periode, waarde, toelichting FROM current_measurement WHERE indicator_id = ?",
            [indicator_id]).fetchall()}


def test_the_example_export_as_a_half_year_file_gives_ff1_for_that_half_year(tmp_path):
    db = imported(tmp_path, half_year_file(tmp_path))
    # Worked out independently of the monitor: granted besluiten with a besluitdatum in the half year.
    frame = pd.read_csv(EXAMPLE, sep=";", dtype=str, keep_default_na=False)
    half = frame[(frame["besluitdatum"] >= "2025-01-01") & (frame["besluitdatum"] <= "2025-06-30")
                 & (frame["besluit"] == "toegekend")]
    expected_ff1, expected_ff2 = len(half), int((half["regeling"] == "KINDPAKKET").sum())
    assert expected_ff1 > 1000 and expected_ff2 > 100  # a real half year of the example data, not an empty file
    ff1, ff2 = stored(db, "FF-1"), stored(db, "FF-2")
    # Only the half year: no calendar year and no rolling 12 months are complete in this export.
    assert set(ff1) == set(ff2) == {"2025-H1"}
    assert ff1["2025-H1"][0] == expected_ff1 and ff2["2025-H1"][0] == expected_ff2
    assert ff1["2025-H1"][1].startswith(f"{PART_YEAR_MARK} 1e halfjaar 2025 (1 januari 2025 t/m 30 juni 2025)")

    progress = snapshot(db, PEILDATUM).progress["FF-1"]
    assert progress.latest.periode == "2025-H1"
    assert progress.expected == pytest.approx(FF1_HALF_PATH, abs=1e-4)
    count = f"{expected_ff1:,}".replace(",", ".")
    assert progress.reason.startswith(f"{PART_YEAR_MARK} 1e halfjaar 2025: {count} toekenningen, vergeleken met de "
                                      "helft van de verwachte jaarwaarde (5.578,3).")
    assert progress.status == (OP_KOERS if expected_ff1 >= FF1_HALF_PATH else NIET_OP_KOERS)


# Six besluiten in the first half of 2025 and one just after it. FF-1 1e halfjaar 2025: T1, T2, T5, T6 = 4
# (T3 afgewezen and T4 ingetrokken never count, T7 lies in the second half); FF-2 (KINDPAKKET): T2, T6 = 2.
# Begin 1-1-2025 (T1), stand 3-7-2025 (T7): the first half year is complete, 2025 and the 12 months are not.
HALF_YEAR = [
    "T1;c1;h1;IIT;toegekend;2024-12-20;2025-01-06;2025-02-01;;500,00;WK039601",
    "T2;c2;h2;KINDPAKKET;toegekend;2025-02-01;2025-02-14;2025-03-01;;250,00;WK039602",
    "T3;c3;h3;CZM;afgewezen;2025-03-01;2025-03-10;;;0;WK039603",
    "T4;c4;h4;KINDPAKKET;ingetrokken;2025-04-01;2025-04-15;;;0;WK039604",
    "T5;c5;h5;KWIJTSCHELDING;toegekend;2025-05-01;2025-05-20;2025-01-01;2025-12-31;300,00;WK039605",
    "T6;c6;h6;KINDPAKKET;toegekend;2025-06-02;2025-06-30;2025-07-01;;250,00;WK039606",
    "T7;c7;h7;IIT;toegekend;2025-06-20;2025-07-03;2025-08-01;;500,00;WK039607",
]


def test_a_handcrafted_half_year_export(tmp_path):
    db = imported(tmp_path, export(tmp_path, "toekenningen", HALF_YEAR))
    assert {p: w for p, (w, _) in stored(db, "FF-1").items()} == {"2025-H1": 4}
    assert {p: w for p, (w, _) in stored(db, "FF-2").items()} == {"2025-H1": 2}
    progress = snapshot(db, PEILDATUM).progress["FF-1"]
    # 4 against half the path, 2.789,1577: far behind (margin 0,25 × 537,7 × 0,5 = 67,2)
    assert progress.status == NIET_OP_KOERS
    assert progress.expected == pytest.approx(FF1_HALF_PATH, abs=1e-4)
    assert progress.reason.startswith(f"{PART_YEAR_MARK} 1e halfjaar 2025: 4 toekenningen")


def test_an_export_without_a_whole_half_year_says_what_is_missing(tmp_path):
    # T2 t/m T5 only: begin 1-2-2025 (T2), stand 20-5-2025 (T5): no whole half year, so no figure.
    db = imported(tmp_path, export(tmp_path, "toekenningen", HALF_YEAR[1:5]))
    assert stored(db, "FF-1") == {}
    reason = snapshot(db, PEILDATUM).progress["FF-1"].reason
    assert ("Geen cijfer: de Suite4SD-export toekenningen minimaregelingen bevat 1 februari 2025 t/m 20 mei 2025; "
            "een cijfer vraagt een heel halfjaar. Voor 1e halfjaar 2025 ontbreekt 1 januari 2025 t/m 31 januari 2025 "
            "en 21 mei 2025 t/m 30 juni 2025.") in reason


def test_wmo_costs_need_12_months_and_say_so(tmp_path):
    # One maatwerk voorziening running 1-1-2025 t/m 31-1-2025 (begin: its einddatum's month), one started on
    # 1-7-2025 (the stand). Costs per user of a half year are no part of a yearly figure: ZW-4 gives none.
    db = imported(tmp_path, export(tmp_path, "wmo", [
        "W1;a;huishoudelijke hulp;maatwerk;2025-01-01;2025-01-31;310,00;WK039601",
        "W2;b;rolstoel;maatwerk;2025-07-01;;;WK039602"]))
    assert stored(db, "ZW-4") == {}
    reason = snapshot(db, PEILDATUM).progress["ZW-4"].reason
    assert ("de Suite4SD-export wmo voorzieningen bevat 1 januari 2025 t/m 1 juli 2025; een cijfer vraagt 12 maanden "
            "(een kalenderjaar of 1 juli t/m 30 juni). Voor 2025 ontbreekt 2 juli 2025 t/m 31 december 2025.") in reason


def test_a_part_year_share_is_judged_against_the_path_itself():
    # ZW-3 (%): nulmeting 40 (2023), doel 50 (2027). A percentage does not scale with the period: the path at
    # 30-06-2025 is 40 + 10 × 547 / 1.461 = 43,7440; 45 lies above it: op koers.
    zw3 = PLAN.indicator("ZW-3")
    m = Measurement("ZW-3", "GM0396", "2025-H1", 45.0, "%", "berekend uit Suite4SD", "berekend",
                    toelichting=f"{PART_YEAR_MARK} 1e halfjaar 2025 (…)")
    progress = assess(zw3, [m], PEILDATUM)
    assert progress.status == OP_KOERS
    assert progress.expected == pytest.approx(43.7440, abs=1e-4)
    assert progress.reason.startswith(f"{PART_YEAR_MARK} 1e halfjaar 2025: 45,0%, vergeleken met het pad op 30 juni 2025.")
    # The same value without the mark is an ordinary half-year value, judged the same way here but without the text.
    assert not assess(zw3, [Measurement(**{**m.__dict__, "toelichting": None})], PEILDATUM).reason
