"""Compute indicator values from stored source data, with the functions named in the plan (`berekening`)."""

from __future__ import annotations

import importlib
from collections.abc import Callable

import duckdb

from monitor.catalogue import Plan
from monitor.periods import parse_period
from monitor.store import Measurement, insert_measurements

ComputeFunction = Callable[[duckdb.DuckDBPyConnection, str, str], list[Measurement]]


def compute_function(name: str) -> ComputeFunction:
    """'zorg_en_wonen.wmo_clienten_per_inwoners' → that function in the indicators package."""
    module_name, _, function_name = name.partition(".")
    module = importlib.import_module(f"indicators.{module_name}")
    return getattr(module, function_name)


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


def cbs_values(con: duckdb.DuckDBPyConnection, gemeente_code: str, tables: list[str], measure: str,
               dimensies: str = "", period_kind: str | None = None) -> list[tuple[str, str, float, str | None]]:
    """(periode, tabel, waarde, status) of one CBS measure for one region, definitief before voorlopig per period.

    `measure` is the key without its _N suffix, because the suffix differs between editions of a table.
    """
    rows = con.execute(
        """
        SELECT periode, tabel, waarde, status FROM (
            SELECT *, row_number() OVER (PARTITION BY periode ORDER BY status = 'voorlopig', tabel DESC) AS keuze
            FROM cbs_observation
            WHERE vervangen_door IS NULL AND regio_code = ? AND list_contains(?, tabel)
              AND regexp_replace(maat, '_\\d+$', '') = ? AND dimensies = ? AND waarde IS NOT NULL
        ) WHERE keuze = 1
        """,
        [gemeente_code, tables, measure, dimensies],
    ).fetchall()
    if period_kind:
        rows = [r for r in rows if parse_period(r[0]).kind == period_kind]
    return rows


def cbs_measurements(con: duckdb.DuckDBPyConnection, indicator_id: str, gemeente_code: str, tables: list[str],
                     measure: str, unit: str, dimensies: str = "", period_kind: str | None = None,
                     factor: float = 1.0, note: str | None = None) -> list[Measurement]:
    """One CBS measure as measurements of an indicator, optionally rescaled (per 1.000 → per 10.000: factor 10)."""
    return [
        Measurement(indicator_id=indicator_id, gemeente_code=gemeente_code, periode=periode,
                    waarde=round(waarde * factor, 6), eenheid=unit, bron=f"CBS StatLine {tabel}", herkomst="berekend",
                    status=status or "definitief", toelichting=note)
        for periode, tabel, waarde, status in cbs_values(con, gemeente_code, tables, measure, dimensies, period_kind)
    ]
