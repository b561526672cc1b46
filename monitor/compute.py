"""Compute indicator values from stored source data, with the functions named in the plan (`berekening`)."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable

import duckdb

from monitor.catalogue import Plan
from monitor.periods import parse_period
from monitor.store import Measurement, insert_measurements

ComputeFunction = Callable[[duckdb.DuckDBPyConnection, str, str], list[Measurement]]
# (con, indicator_id, region codes or None for every region) → measurements of all those regions, in one query.
AllRegionsFunction = Callable[[duckdb.DuckDBPyConnection, str, list[str] | None], list[Measurement]]
# The compute functions whose figures exist for every region alike (CBS publishes them for every gemeente), with
# their all-regions variant. Only these can be compared with other gemeenten: a figure computed from the gemeente's
# own Suite4SD records has no counterpart elsewhere.
_ALL_REGIONS: dict[ComputeFunction, AllRegionsFunction] = {}


def compute_function(name: str) -> ComputeFunction:
    """'zorg_en_wonen.wmo_clienten_per_inwoners' → that function in the indicators package."""
    module_name, _, function_name = name.partition(".")
    module = importlib.import_module(f"indicators.{module_name}")
    return getattr(module, function_name)


def cbs_based(all_regions: AllRegionsFunction) -> ComputeFunction:
    """Declare a compute function as CBS-based by writing it for all regions at once; returns the per-gemeente
    compute function that plans name (`berekening`), registered with its all-regions variant."""
    @functools.wraps(all_regions)
    def for_gemeente(con: duckdb.DuckDBPyConnection, gemeente_code: str, indicator_id: str) -> list[Measurement]:
        return all_regions(con, indicator_id, [gemeente_code])

    _ALL_REGIONS[for_gemeente] = all_regions
    return for_gemeente


def all_regions_function(function: ComputeFunction) -> AllRegionsFunction | None:
    """The all-regions variant of a CBS-based compute function; None for any other (e.g. from Suite4SD records)."""
    return _ALL_REGIONS.get(function)


def refresh_computed(con: duckdb.DuckDBPyConnection, plan: Plan) -> dict[str, int]:
    """Recompute every indicator with a `berekening`, replacing its earlier computed values. Returns counts per id."""
    counts = {}
    for indicator in plan.indicators:
        if not indicator.berekening:
            continue
        rows = compute_function(indicator.berekening)(con, plan.gemeente_code, indicator.id)
        # Values computed from the example exports are labelled voorbeelddata; they are recomputed all the same.
        con.execute(
            "DELETE FROM measurement WHERE indicator_id = ? AND gemeente_code = ? "
            "AND herkomst IN ('berekend', 'voorbeelddata')",
            [indicator.id, plan.gemeente_code],
        )
        counts[indicator.id] = insert_measurements(con, rows)
    return counts


def figure_gaps(con: duckdb.DuckDBPyConnection, plan: Plan, without_figure: set[str]) -> dict[str, str]:
    """indicator id → why its compute function gives no figure (indicators/records.gap), for the ids asked."""
    gaps = {}
    for indicator in plan.indicators:
        explain = getattr(compute_function(indicator.berekening), "gap", None) if indicator.berekening else None
        if indicator.id in without_figure and explain:
            text = explain(con)
            if text:
                gaps[indicator.id] = text
    return gaps


def cbs_values_by_region(con: duckdb.DuckDBPyConnection, regions: list[str] | None, tables: list[str], measure: str,
                         dimensies: str = "", period_kind: str | None = None
                         ) -> list[tuple[str, str, str, float, str | None]]:
    """(regio_code, periode, tabel, waarde, status) of one CBS measure for the regions (None: every region), in one
    query, definitief before voorlopig per region and period.

    `measure` is the key without its _N suffix, because the suffix differs between editions of a table.
    """
    rows = con.execute(
        """
        SELECT regio_code, periode, tabel, waarde, status FROM (
            SELECT *, row_number() OVER (PARTITION BY regio_code, periode ORDER BY status = 'voorlopig', tabel DESC)
                AS keuze
            FROM cbs_observation
            WHERE vervangen_door IS NULL AND (? IS NULL OR list_contains(?, regio_code)) AND list_contains(?, tabel)
              AND regexp_replace(maat, '_\\d+$', '') = ? AND dimensies = ? AND waarde IS NOT NULL
        ) WHERE keuze = 1
        ORDER BY regio_code, periode
        """,
        [regions, regions, tables, measure, dimensies],
    ).fetchall()
    if period_kind:
        rows = [r for r in rows if parse_period(r[1]).kind == period_kind]
    return rows


def cbs_values(con: duckdb.DuckDBPyConnection, gemeente_code: str, tables: list[str], measure: str,
               dimensies: str = "", period_kind: str | None = None) -> list[tuple[str, str, float, str | None]]:
    """(periode, tabel, waarde, status) of one CBS measure for one region (see cbs_values_by_region)."""
    return [r[1:] for r in cbs_values_by_region(con, [gemeente_code], tables, measure, dimensies, period_kind)]


def cbs_measurements(con: duckdb.DuckDBPyConnection, indicator_id: str, regions: list[str] | None,
                     tables: list[str], measure: str, unit: str, dimensies: str = "", period_kind: str | None = None,
                     factor: float = 1.0, note: str | None = None) -> list[Measurement]:
    """One CBS measure as measurements of an indicator for the regions (None: every region), optionally rescaled
    (per 1.000 → per 10.000: factor 10)."""
    return [
        Measurement(indicator_id=indicator_id, gemeente_code=regio, periode=periode,
                    waarde=round(waarde * factor, 6), eenheid=unit, bron=f"CBS StatLine {tabel}", herkomst="berekend",
                    status=status or "definitief", toelichting=note)
        for regio, periode, tabel, waarde, status in cbs_values_by_region(con, regions, tables, measure, dimensies,
                                                                         period_kind)
    ]
