"""Rules shared by the indicators computed from Suite4SD record exports (tables s4sd_*).

An export is a snapshot: it covers a stretch of time that the monitor reads from the records themselves, because a
file carries no export date. A figure is only computed for a period the export covers completely.

- The **stand** is the latest date in the current records on which something happened that is registered when it
  happens (an aanvraag, a besluit, a start, a vestiging: the columns the import gate flags when they lie in the
  future), and never after the day of the import. End dates do not count: they are often planned ahead.
- The **begin** is the first day of the month of the earliest date that the indicator counts by (a besluitdatum,
  a vestigingsdatum), or, for records that run over time, of the earliest einddatum: an export that holds ended
  records only from some day on, is complete from that day on.

An export that covers part of a year only (fewer than the 12 months a yearly figure needs) gives, for the
indicators where that means something, a **part-year figure** over each whole half year it covers: stored under
that half year, its toelichting starting with progress.PART_YEAR_MARK, and judged against the same part of the path
(docs/voortgang.md). When no figure can be computed, `gap` says which stretch the export covers and what is missing.

Records imported from the shipped example exports (import_log.bron = 'voorbeelddata', set by build-demo) make the
computed figure voorbeelddata as well: one invented record is enough to make a figure invented.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb

from monitor.compute import cbs_values
from monitor.formatting import fmt_date
from monitor.imports.suite4sd import TYPES
from monitor.periods import Period
from monitor.progress import PART_YEAR_MARK
from monitor.store import Measurement

EXAMPLE_BRON = "voorbeelddata"
POPULATION_TABLE = "85383NED"
WIJK_TABLE = "85984NED"


@dataclass(frozen=True)
class Coverage:
    """The stretch of time the current records of one export cover, and whether they are example data."""

    begin: date
    stand: date
    example: bool


@dataclass(frozen=True)
class Window:
    """A stretch of time one value is computed over, stored under `periode`."""

    periode: str
    start: date
    end: date
    note: str | None = None
    part_year: bool = False


@dataclass(frozen=True)
class ExportNeed:
    """The export an indicator is computed from, the columns its begin is read from, and whether a half year alone
    gives a (part-year) figure."""

    export_type: str
    begin_columns: tuple[str, ...]
    part_year: bool = False

    def coverage(self, con: duckdb.DuckDBPyConnection) -> Coverage | None:
        return coverage(con, self.export_type, self.begin_columns)

    def windows(self, cover: Coverage) -> list[Window]:
        return year_windows(cover, self.part_year)


def coverage(con: duckdb.DuckDBPyConnection, export_type: str, begin_columns: tuple[str, ...]) -> Coverage | None:
    """What the current records of an export type cover; None when there are none.

    `begin_columns` are tried in order: the first with any value sets the begin.
    """
    kind = TYPES[export_type]
    events = ", ".join(c for c in kind.past if c in kind.dates)
    stand, example = con.execute(
        f"""
        SELECT max(dag) FILTER (WHERE l.gestart_op IS NULL OR dag <= CAST(l.gestart_op AS DATE)),
               coalesce(bool_or(l.bron = ?), false)
        FROM (SELECT unnest([{events}]) AS dag, import_id FROM {kind.table} WHERE vervangen_door IS NULL) r
        LEFT JOIN import_log l USING (import_id)
        """,
        [EXAMPLE_BRON],
    ).fetchone()
    firsts = con.execute(f"SELECT {', '.join(f'min({c})' for c in begin_columns)} FROM {kind.table} "
                         "WHERE vervangen_door IS NULL").fetchone()
    first = next((d for d in firsts if d is not None), None)
    if stand is None or first is None:
        return None
    return Coverage(begin=first.replace(day=1), stand=stand, example=example)


def year_windows(cover: Coverage, part_year: bool = False) -> list[Window]:
    """Every calendar year the export covers, and the 12 months up to the first half of the year after the last.

    The plan's targets for these indicators are yearly totals, so a half year alone cannot be compared with them;
    the rolling 12 months are stored under the half year they end with. With `part_year`, a whole half year after
    the last full year that no other window covers gives a part-year window of its own.
    """
    year = cover.begin.year if cover.begin.month == 1 else cover.begin.year + 1
    windows = []
    while date(year, 12, 31) <= cover.stand:
        windows.append(Window(str(year), date(year, 1, 1), date(year, 12, 31)))
        year += 1
    start, end = date(year - 1, 7, 1), date(year, 6, 30)
    if end <= cover.stand and start >= cover.begin:
        windows.append(Window(f"{year}-H1", start, end,
                              f"12 maanden t/m het 1e halfjaar {year} ({fmt_date(start)} t/m {fmt_date(end)}), "
                              "om met het jaardoel te kunnen vergelijken."))
    elif part_year:
        windows += [_part_year_window(half, cover) for half in (_half(year - 1, 2), _half(year, 1))
                    if cover.begin <= half.start and half.end <= cover.stand and not _covered(half, windows)]
    return windows


def _half(year: int, number: int) -> Period:
    start = date(year, 1 if number == 1 else 7, 1)
    return Period("halfjaar", start, date(year, 6, 30) if number == 1 else date(year, 12, 31))


def _covered(half: Period, windows: list[Window]) -> bool:
    return any(w.start <= half.start and half.end <= w.end for w in windows)


def _part_year_window(half: Period, cover: Coverage) -> Window:
    return Window(half.code, half.start, half.end,
                  f"{PART_YEAR_MARK} {half.label} ({fmt_date(half.start)} t/m {fmt_date(half.end)}): de export bevat "
                  f"{fmt_date(cover.begin)} t/m {fmt_date(cover.stand)}, geen heel jaar en niet de 12 maanden t/m een "
                  "halfjaar.", part_year=True)


def gap(con: duckdb.DuckDBPyConnection, need: ExportNeed) -> str | None:
    """Why the export gives no figure: which stretch it covers and what a figure still needs; None when it gives one."""
    name = f"Suite4SD-export {need.export_type.replace('_', ' ')}"
    cover = need.coverage(con)
    if cover is None:
        return f"Geen cijfer: er is nog geen {name} met records geïmporteerd."
    if need.windows(cover):
        return None
    # The nearest stretch a figure could be computed over: the one ending at the first half-year end on or after
    # the stand.
    end = date(cover.stand.year, 6, 30) if cover.stand <= date(cover.stand.year, 6, 30) else date(
        cover.stand.year, 12, 31)
    if need.part_year:
        wanted = _half(end.year, 1 if end.month == 6 else 2)
        start, what = wanted.start, wanted.label
    else:
        start = date(end.year, 1, 1) if end.month == 12 else date(end.year - 1, 7, 1)
        what = str(end.year) if end.month == 12 else f"de 12 maanden t/m het 1e halfjaar {end.year}"
    missing = []
    if cover.begin > start:
        missing.append(f"{fmt_date(start)} t/m {fmt_date(cover.begin - timedelta(days=1))}")
    if cover.stand < end:
        missing.append(f"{fmt_date(cover.stand + timedelta(days=1))} t/m {fmt_date(end)}")
    least = "een heel halfjaar" if need.part_year else "12 maanden (een kalenderjaar of 1 juli t/m 30 juni)"
    return (f"Geen cijfer: de {name} bevat {fmt_date(cover.begin)} t/m {fmt_date(cover.stand)}; een cijfer vraagt "
            f"{least}. Voor {what} ontbreekt {' en '.join(missing)}.")


def from_export(need: ExportNeed) -> Callable:
    """Mark a compute function as computed from `need`, so the monitor can say why it gives no figure (`gap`)."""
    def mark(function: Callable) -> Callable:
        function.gap = lambda con: gap(con, need)
        return function
    return mark


def half_year_ends(cover: Coverage) -> list[date]:
    """30 June and 31 December from the begin up to the stand."""
    ends = []
    for year in range(cover.begin.year, cover.stand.year + 1):
        ends += [day for day in (date(year, 6, 30), date(year, 12, 31)) if cover.begin <= day <= cover.stand]
    return ends


def half_year_of(day: date) -> str:
    """The half year that ends on `day` (30 June or 31 December), e.g. '2024-H1'."""
    return f"{day.year}-H{1 if day.month == 6 else 2}"


def source(description: str, example: bool) -> str:
    """The bron of a computed value; example data say so, and never name CBS as their source."""
    if example:
        return f"voorbeelddata: berekend uit een gegenereerde Suite4SD-export ({description}), geen echte registratie"
    return f"berekend uit Suite4SD ({description})"


def measurement(indicator_id: str, gemeente_code: str, periode: str, waarde: float, eenheid: str, description: str,
                example: bool, teller: float | None = None, noemer: float | None = None,
                note: str | None = None) -> Measurement:
    return Measurement(indicator_id=indicator_id, gemeente_code=gemeente_code, periode=periode,
                       waarde=round(waarde, 6), eenheid=eenheid, bron=source(description, example),
                       herkomst=EXAMPLE_BRON if example else "berekend", teller=teller, noemer=noemer,
                       toelichting=note)


def population(con: duckdb.DuckDBPyConnection, gemeente_code: str, measure: str,
               fallback: tuple[str, str] | None = None) -> dict[int, tuple[float, str]]:
    """year → (inwoners on 1 January, which CBS figure), from 85383NED and optionally one fallback (table, measure)."""
    found: dict[int, tuple[float, str]] = {}
    sources = [(POPULATION_TABLE, measure)] + ([fallback] if fallback else [])
    for table, name in reversed(sources):  # 85383NED last, so it wins a year that both give
        for periode, tabel, waarde, _ in cbs_values(con, gemeente_code, [table], name, period_kind="jaar"):
            found[int(periode)] = (waarde, f"CBS {tabel} ({name}, {periode})")
    return found


def population_for(populations: dict[int, tuple[float, str]], year: int) -> tuple[float, str] | None:
    """The population of `year`, or of the latest earlier year when CBS has not published that year yet."""
    earlier = [y for y in populations if y <= year]
    if not earlier:
        return None
    chosen = max(earlier)
    value, label = populations[chosen]
    if chosen != year:
        label += f"; het inwonertal van {year} is nog niet gepubliceerd"
    return value, label


def clients_and_costs(con: duckdb.DuckDBPyConnection, table: str, condition: str, window: Window, stand: date,
                      params: dict | None = None) -> tuple[int, float]:
    """(distinct clients, costs) of the current records matching `condition` that ran on a day of the window.

    A record's kosten are spread evenly over its days, from ingangsdatum up to einddatum or, while it runs, up to
    the stand; the window gets its share. Empty kosten count as 0.
    """
    last = "coalesce(einddatum, $stand)"
    clients, costs = con.execute(
        f"""
        SELECT count(DISTINCT client_id),
               coalesce(sum(CAST(coalesce(kosten, 0) AS DOUBLE)
                            * (datediff('day', greatest(ingangsdatum, $start), least({last}, $end)) + 1)
                            / (datediff('day', ingangsdatum, {last}) + 1)), 0)
        FROM {table}
        WHERE vervangen_door IS NULL AND ({condition})
          AND ingangsdatum <= $end AND (einddatum IS NULL OR einddatum >= $start)
        """,
        {"start": window.start, "end": window.end, "stand": stand, **(params or {})},
    ).fetchone()
    return clients, costs
