"""The metingenblad: figures the gemeente collects itself from instruments that are not systems (GGD monitor, BCT,
MantelZ, Wijkplatform, Brede school, CJG, Leerplein, Vzinfo, Team Sportservice), stored as measurements with herkomst
'meting'. Columns, checks and supersession: docs/divosa_en_metingen.md.

Also the value readers the Divosa module shares (numbers with '%', periods with their error text, units).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import replace
from datetime import date

import pandas as pd

from monitor.catalogue import Plan
from monitor.imports import bsn
from monitor.imports.base import CRITICAL, Finding, Parsed
from monitor.imports.readers import (
    LINE,
    TableFile,
    check_columns,
    formula_finding,
    lines_text,
    parse_amounts,
)
from monitor.periods import PeriodError, parse_period
from monitor.store import Measurement, insert_measurements

WHAT = "metingenblad"
REQUIRED = ["indicator_id", "periode", "waarde"]
OPTIONAL = ["wijk", "teller", "noemer", "bron", "toelichting", "status"]
NUMERIC = ("waarde", "teller", "noemer")
STATUSES = ("voorlopig", "definitief")
HERKOMST = "meting"
# Exports write these for "no figure"; they are read as an empty cell, not as text in a number column.
MISSING_MARKS = frozenset({"-", "–", "—", ".", "n.v.t.", "nvt"})
# "1.754" in a Dutch sheet is one thousand seven hundred fifty-four, not 1,754 (parse_amounts reads a lone dot as a
# decimal point, which is right for "127.0" but not for a thousands dot followed by exactly three digits).
THOUSANDS_ONLY = re.compile(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})+")


def normalise(text: str) -> str:
    """Labels compare without case, accents written two ways (é as one or two code points) or extra spaces."""
    return " ".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()


def is_percentage(unit: str | None) -> bool:
    """'%' and the BBV units such as '% jongeren tot 18 jaar' are shares between 0 and 100."""
    return bool(unit) and unit.strip().startswith("%")


def number_text(values: pd.Series) -> pd.Series:
    """The cell as a plain number text: without '%', spaces or a missing-figure mark."""
    text = values.str.replace("%", "", regex=False).str.replace("\u00a0", "", regex=False).str.strip()
    text = text.where(~text.str.casefold().isin(MISSING_MARKS), "")
    return text.where(~text.str.fullmatch(THOUSANDS_ONLY), text.str.replace(".", "", regex=False))


def read_numbers(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(numbers, bad, decimals) for Dutch or English notation with an optional '%'; empty stays NaN and is not bad.

    decimals is how many digits the cell shows after the decimal separator: the rounding the source applied.
    """
    text = number_text(values)
    numbers, bad = parse_amounts(text)
    fraction = text.str.extract(r"[.,](\d+)$", expand=False)
    decimals = fraction.str.len().fillna(0).astype(int)
    return numbers, bad, decimals


def rounding_tolerance(decimals: pd.Series | int) -> pd.Series | float:
    """Half a unit in the last shown digit, plus float noise."""
    return 0.5 * 10.0 ** -decimals + 1e-9


def read_periods(values: pd.Series, today: date) -> pd.DataFrame:
    """Per cell: periode_code (canonical or None), periode_fout (PeriodError's text or None), niet_in_toekomst.

    A period is in the future when it starts after today; a running period (this year) is allowed, for early
    (voorlopige) figures.
    """
    parsed: dict[str, tuple] = {}
    for text in values.unique():
        try:
            period = parse_period(text)
            parsed[text] = (period.code, None, period.start <= today)
        except PeriodError as exc:
            parsed[text] = (None, str(exc), True)
    return pd.DataFrame([parsed[t] for t in values], columns=["periode_code", "periode_fout", "niet_in_toekomst"],
                        index=values.index)


def period_finding(frame: pd.DataFrame) -> Finding | None:
    """Unreadable periods, each with the parser's own explanation and the lines where it stands."""
    bad = frame[frame["periode_fout"].notna()]
    if bad.empty:
        return None
    parts = [f"regel {lines_text(list(group[LINE]))}: {message}"
             for message, group in bad.groupby("periode_fout", sort=False)]
    return Finding("periode_leesbaar", CRITICAL, False, "kolom periode: " + " ".join(parts), rows=len(bad),
                   examples=tuple({LINE: line} for line in bad[LINE].head(5)), column="periode")


def sorted_periods(codes) -> list[str]:
    return sorted({c for c in codes if isinstance(c, str) and c}, key=parse_period)


def canonical_columns(frame: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Header names as the template writes them, whatever their case ('Indicator_ID' is indicator_id)."""
    wanted = {name.casefold(): name for name in names}
    return frame.rename(columns={c: wanted[c.casefold()] for c in frame.columns if c.casefold() in wanted})


def refuse_bsn(table: TableFile, numeric) -> None:
    """A BSN anywhere in the file (toelichting and extra columns included) refuses it; numeric columns may hold
    amounts with decimals that look like one (monitor/imports/bsn.py)."""
    bsn.refuse(table.name, table.frame, dict.fromkeys(numeric, bsn.NUMBER))


def looks_like_metingen(columns) -> bool:
    return {c.casefold() for c in REQUIRED} <= {str(c).strip().casefold() for c in columns}


def wijk_lookup(wijken: dict[str, str]) -> dict[str, str]:
    """Code, full CBS name ("Wijk 01 Heemskerk-Dorp") and the name without "Wijk 01" all lead to the code."""
    lookup: dict[str, str] = {}
    for code, name in wijken.items():
        lookup[normalise(code)] = code
        lookup[normalise(name)] = code
        lookup.setdefault(re.sub(r"^wijk \d+\s+", "", normalise(name)), code)
    return lookup


def parse(table: TableFile, plan: Plan, wijken: dict[str, str]) -> Parsed:
    """A metingenblad for `plan`; `wijken` is the gemeente's wijk code → name. Nothing is written until store()."""
    table = replace(table, frame=canonical_columns(table.frame, REQUIRED + OPTIONAL))
    refuse_bsn(table, NUMERIC)
    check_columns(table, REQUIRED, WHAT)
    source = table.frame
    present = [c for c in source.columns if c != LINE]
    empty = pd.Series("", index=source.index, dtype="str")
    column = {name: source[name].str.strip() if name in source.columns else empty for name in REQUIRED + OPTIONAL}

    numbers = {name: read_numbers(column[name]) for name in NUMERIC}
    cleaned = source.copy()
    for name in NUMERIC:
        if name in cleaned.columns:
            cleaned[name] = number_text(cleaned[name])
    findings = [f for f in (formula_finding(cleaned, present, set(NUMERIC)),) if f]

    indicators = {i.id: i for i in plan.indicators}
    ids = column["indicator_id"]
    known = ids.isin(list(indicators))
    unit = ids.map({k: i.eenheid for k, i in indicators.items()})
    percent = unit.map(is_percentage, na_action="ignore").fillna(False).astype(bool)
    periods = read_periods(column["periode"], date.today())
    period_problem = period_finding(pd.concat([source[[LINE]], periods], axis=1))
    if period_problem:
        findings.append(period_problem)

    lookup = wijk_lookup(wijken)
    wijk = column["wijk"]
    wijk_code = wijk.map(lambda w: lookup.get(normalise(w)) if w else "")
    waarde, _, waarde_decimals = numbers["waarde"]
    teller, teller_bad, _ = numbers["teller"]
    noemer, noemer_bad, _ = numbers["noemer"]
    share = teller / noemer * 100
    status = column["status"].str.casefold().replace("", "definitief")
    delivery = ids.map({k: i.aanlevering for k, i in indicators.items()})
    duplicate_key = pd.DataFrame({"i": ids, "p": periods["periode_code"].fillna(column["periode"]),
                                  "w": wijk_code.fillna(wijk.map(normalise))})

    checked = pd.DataFrame({
        LINE: source[LINE],
        "indicator_id": ids,
        "indicator_bekend": known,
        "eenheid": unit,
        "aanlevering_meting": delivery.ne("import"),
        "periode": column["periode"],
        "periode_code": periods["periode_code"],
        "periode_niet_in_toekomst": periods["niet_in_toekomst"].astype(bool),
        "wijk": wijk,
        "wijk_code": wijk_code,
        "wijk_bekend": wijk_code.notna(),
        "waarde": waarde,
        "waarde_procent": waarde.where(percent),
        "teller": teller,
        "teller_leesbaar": ~teller_bad,
        "noemer": noemer,
        "noemer_leesbaar": ~noemer_bad,
        "teller_niet_boven_noemer": ~(percent & (teller > noemer)),
        "waarde_past_bij_teller_en_noemer": ~(percent & share.notna() & waarde.notna()
                                              & ((waarde - share).abs() > rounding_tolerance(waarde_decimals))),
        "status": status,
        "status_bekend": status.isin(STATUSES),
        "bron": column["bron"].where(column["bron"] != "", ids.map({k: i.bron for k, i in indicators.items()})),
        "toelichting": column["toelichting"],
        "dubbel": duplicate_key.duplicated(keep=False),
    })

    def store(con, import_id: int) -> int:
        rows = [
            Measurement(indicator_id=r.indicator_id, gemeente_code=plan.gemeente_code, periode=r.periode_code,
                        waarde=float(r.waarde), eenheid=r.eenheid, bron=r.bron, herkomst=HERKOMST,
                        wijk_code=r.wijk_code, teller=_optional(r.teller), noemer=_optional(r.noemer),
                        status=r.status, toelichting=r.toelichting or None, import_id=import_id)
            for r in checked.itertuples(index=False)
        ]
        supersede(con, rows, import_id)
        return insert_measurements(con, rows)

    known_ids = sorted(set(ids[known]))
    # The pipeline replaces whole earlier imports with the same key. Only a sheet that covers exactly the same
    # indicator × periode × wijk may replace another as a whole, so the key carries a fingerprint of that coverage;
    # partial overlaps are replaced row by row in store().
    coverage = sorted(set(zip(ids, checked["periode_code"].fillna(""), wijk_code.fillna(""))))
    fingerprint = hashlib.sha256(repr(coverage).encode()).hexdigest()[:12]
    return Parsed(
        source="metingen",
        detected_type=f"metingenblad ({len(known_ids)} indicator{'' if len(known_ids) == 1 else 'en'})",
        frame=checked,
        suite="metingen",
        supersede_key=f"metingen:{','.join(known_ids)}:{fingerprint}",
        periods=sorted_periods(checked["periode_code"]),
        store=store,
        findings=findings,
        shown=table.frame,
    )


def _optional(value: float) -> float | None:
    return None if pd.isna(value) else float(value)


def supersede(con, rows: list[Measurement], import_id: int) -> None:
    """Mark current metingen with the same indicator, gemeente, wijk and period as replaced by import_id.

    Row by row rather than by import: a newer sheet may correct only some of an older sheet's figures (one wijk, one
    period), and only those are replaced. An older sheet of which nothing current is left is marked replaced too.
    """
    keys = pd.DataFrame([(m.indicator_id, m.gemeente_code, m.wijk_code, m.periode) for m in rows],
                        columns=["indicator_id", "gemeente_code", "wijk_code", "periode"])
    con.register("vervangende_metingen", keys)
    try:
        older = {r[0] for r in con.execute(
            """
            UPDATE measurement AS m SET vervangen_door = ?
            FROM (SELECT DISTINCT * FROM vervangende_metingen) AS n
            WHERE m.vervangen_door IS NULL AND m.herkomst = 'meting' AND m.indicator_id = n.indicator_id
              AND m.gemeente_code = n.gemeente_code AND m.wijk_code = n.wijk_code AND m.periode = n.periode
            RETURNING m.import_id
            """,
            [import_id],
        ).fetchall() if r[0] is not None}
    finally:
        con.unregister("vervangende_metingen")
    if older:
        con.execute("UPDATE import_log SET vervangen_door = ? WHERE list_contains(?, import_id) AND vervangen_door IS NULL "
                    "AND NOT EXISTS (SELECT 1 FROM current_measurement c WHERE c.import_id = import_log.import_id)",
                    [import_id, sorted(older)])
