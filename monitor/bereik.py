"""Bereik of the minimaregelingen: households that used a regeling, as a share of the households in its doelgroep.

Gebruik counts distinct households (`huishouden_id`) with a current (`vervangen_door IS NULL`) toekenning whose
besluit is `toegekend` and whose besluitdatum lies in the period [van, tot), the half-open notation of KWIZ's
"1 juli 2021 tot 1 juli 2022". Afgewezen and ingetrokken besluiten are not gebruik. The doelgroep is the steward's
estimate of households below the regeling's inkomensgrens (data/doelgroepen_heemskerk.csv); the KWIZ measurement
of 2021-2022 (data/bereik_kwiz_2022.csv) is the first point of every series and holds the national bands.
Definitions for readers: docs/bereik.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pandas as pd

from monitor.formatting import fmt_date, fmt_number
from monitor.imports import readers
from monitor.imports.base import ImportRefused
from monitor.imports.suite4sd import REGELINGEN_FILE, read_regelingen
from monitor.periods import PeriodError, parse_period
from monitor.store import PROJECT_DIR

DOELGROEPEN_FILE = PROJECT_DIR / "data" / "doelgroepen_heemskerk.csv"
KWIZ_FILE = PROJECT_DIR / "data" / "bereik_kwiz_2022.csv"
DOELGROEPEN_COLUMNS = ["periode", "inkomensgrens_pct_wsm", "regeling", "huishoudens", "kinderen", "bron",
                       "toelichting"]
KWIZ_COLUMNS = ["code", "van", "tot", "inkomensgrens_pct_wsm", "doelgroep_periode", "doelgroep", "gebruik",
                "bereik_pct", "landelijk_min", "landelijk_max", "landelijk_toelichting", "toelichting", "bron"]
COLUMNS = ["periode", "van", "tot", "code", "naam", "inkomensgrens", "doelgroep_huishoudens", "gebruik_huishoudens",
           "bereik_exact", "bereik_pct", "landelijk_min", "landelijk_max", "beoordeling", "doelgroep_periode", "bron",
           "toelichting"]
ONDER, BINNEN, BOVEN, ONBEKEND = "onder landelijk", "binnen landelijk", "boven landelijk", "onbekend"
SUITE4SD_BRON = "Suite4SD-toekenningen minimaregelingen"


# ------------------------------------------------------------------ arithmetic


def whole_percent(teller: int, noemer: int) -> int:
    """teller/noemer in whole percent, ROUND_HALF_UP as KWIZ publishes (62,5 → 63), computed exactly in Decimal
    so a half is never lost to binary floats."""
    return int((Decimal(teller) * 100 / Decimal(noemer)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def beoordeling(bereik_pct: float | None, landelijk_min: float | None, landelijk_max: float | None) -> str:
    """The rounded bereik against the national band, bounds included: what the reader sees (25% at 20-25%) must
    not be called 'boven' because of an unrounded 25,3."""
    if any(pd.isna(v) for v in (bereik_pct, landelijk_min, landelijk_max)):
        return ONBEKEND
    if bereik_pct < landelijk_min:
        return ONDER
    if bereik_pct > landelijk_max:
        return BOVEN
    return BINNEN


def periode_label(van: date, tot: date) -> str:
    """'2024' for a calendar year, otherwise KWIZ's wording '1 juli 2021 tot 1 juli 2022'."""
    if (van.month, van.day, tot.month, tot.day) == (1, 1, 1, 1) and tot.year == van.year + 1:
        return str(van.year)
    return f"{fmt_date(van)} tot {fmt_date(tot)}"


# ------------------------------------------------------------------ the steward's files


def _numbers(table: readers.TableFile, column: str, whole: bool, problems: list[str]) -> pd.Series:
    values, bad = readers.parse_amounts(table.frame[column])
    # '1.311' reads as 1,311 in the international notation; a count of households must be whole, which catches it.
    if whole:
        bad |= values.notna() & ((values % 1 != 0) | (values < 0))
    problems += [f"regel {line}: {column} '{text}' is geen {'geheel ' if whole else ''}getal"
                 for line, text in zip(table.frame.loc[bad, readers.LINE], table.frame.loc[bad, column])]
    return values


def _read(path: Path, columns: list[str], what: str) -> readers.TableFile:
    table = readers.read_tabular(path)
    readers.check_columns(table, columns, what)
    table.frame[columns] = table.frame[columns].apply(lambda c: c.str.strip())
    return table


def read_doelgroepen(path: Path = DOELGROEPEN_FILE) -> pd.DataFrame:
    """The doelgroep estimates, checked so a typo is reported with its line instead of giving a wrong bereik.

    Returns periode (label), start (first day of the periode), inkomensgrens_pct_wsm, regeling (None = every
    regeling at that grens), huishoudens and kinderen (NaN = no estimate), bron and toelichting.
    """
    table = _read(path, DOELGROEPEN_COLUMNS, "doelgroepenbestand")
    frame, problems = table.frame, []
    periods = []
    for line, text in zip(frame[readers.LINE], frame["periode"]):
        try:
            periods.append(parse_period(text))
        except PeriodError as error:
            problems.append(f"regel {line}: {error}")
            periods.append(None)
    result = pd.DataFrame({
        "periode": [p.label if p else None for p in periods],
        "start": [p.start if p else None for p in periods],
        "inkomensgrens_pct_wsm": _numbers(table, "inkomensgrens_pct_wsm", False, problems),
        "regeling": frame["regeling"].str.upper().where(frame["regeling"] != ""),
        "huishoudens": _numbers(table, "huishoudens", True, problems),
        "kinderen": _numbers(table, "kinderen", True, problems),
        "bron": frame["bron"],
        "toelichting": frame["toelichting"],
    })
    problems += [f"regel {line}: inkomensgrens_pct_wsm is leeg" for line in
                 frame.loc[result["inkomensgrens_pct_wsm"].isna() & (frame["inkomensgrens_pct_wsm"] == ""),
                           readers.LINE]]
    problems += [f"regel {line}: bron is leeg" for line in frame.loc[frame["bron"] == "", readers.LINE]]
    key = ["periode", "inkomensgrens_pct_wsm", "regeling"]
    problems += [f"regel {line}: dezelfde periode, grens en regeling staan er al eerder in" for line in
                 frame.loc[result.duplicated(key) & result["periode"].notna(), readers.LINE]]
    if problems:
        raise ImportRefused(table.name, "; ".join(problems) + ". Corrigeer het doelgroepenbestand.")
    return result


def read_kwiz(path: Path = KWIZ_FILE) -> pd.DataFrame:
    """The KWIZ measurement, one row per regeling; a published bereik that its own doelgroep and gebruik do not
    give is refused, so a typo in a figure cannot slip into the series."""
    table = _read(path, KWIZ_COLUMNS, "KWIZ-bestand")
    frame, problems = table.frame, []
    result = frame[["code", "doelgroep_periode", "landelijk_toelichting", "toelichting", "bron"]].copy()
    result["code"] = result["code"].str.upper()
    for column in ("van", "tot"):
        dates, bad = readers.parse_dates(frame[column])
        problems += [f"regel {line}: {column} '{text}' is geen datum" for line, text in
                     zip(frame.loc[bad | dates.isna(), readers.LINE], frame.loc[bad | dates.isna(), column])]
        result[column] = [d.date() if pd.notna(d) else None for d in dates]
    result["inkomensgrens_pct_wsm"] = _numbers(table, "inkomensgrens_pct_wsm", False, problems)
    for column in ("doelgroep", "gebruik", "bereik_pct"):
        result[column] = _numbers(table, column, True, problems)
    for column in ("landelijk_min", "landelijk_max"):
        result[column] = _numbers(table, column, False, problems)
    problems += [f"regel {line}: gebruik is leeg" for line in frame.loc[result["gebruik"].isna(), readers.LINE]]
    problems += [f"regel {line}: code {code} staat er al eerder in" for line, code in
                 zip(frame.loc[result["code"].duplicated(), readers.LINE], result.loc[result["code"].duplicated(),
                                                                                       "code"])]
    for line, row in zip(frame[readers.LINE], result.itertuples()):
        if pd.notna(row.doelgroep) and pd.notna(row.gebruik) and row.doelgroep > 0:
            computed = whole_percent(int(row.gebruik), int(row.doelgroep))
            if pd.isna(row.bereik_pct) or computed != row.bereik_pct:
                problems.append(f"regel {line}: bereik_pct {fmt_number(row.bereik_pct)} past niet bij gebruik "
                                f"{fmt_number(row.gebruik)} en doelgroep {fmt_number(row.doelgroep)} ({computed})")
    if problems:
        raise ImportRefused(table.name, "; ".join(problems) + ". Corrigeer het KWIZ-bestand.")
    return result


def _names(regelingen_path: Path) -> pd.DataFrame:
    return read_regelingen(regelingen_path).set_index("code")


# ------------------------------------------------------------------ KWIZ measurement


def kwiz_meting(kwiz_path: Path = KWIZ_FILE, regelingen_path: Path = REGELINGEN_FILE) -> pd.DataFrame:
    """The KWIZ rows as published, in the columns of `bereik`; bereik_exact is recomputed from doelgroep and
    gebruik."""
    kwiz = read_kwiz(kwiz_path)
    names = _names(regelingen_path)["naam"]
    rows = []
    for row in kwiz.itertuples():
        known = pd.notna(row.doelgroep) and row.doelgroep > 0
        rows.append({
            "periode": periode_label(row.van, row.tot), "van": row.van, "tot": row.tot, "code": row.code,
            "naam": names.get(row.code, row.code), "inkomensgrens": row.inkomensgrens_pct_wsm,
            "doelgroep_huishoudens": row.doelgroep, "gebruik_huishoudens": row.gebruik,
            "bereik_exact": row.gebruik * 100 / row.doelgroep if known else float("nan"),
            "bereik_pct": row.bereik_pct, "landelijk_min": row.landelijk_min, "landelijk_max": row.landelijk_max,
            "beoordeling": beoordeling(row.bereik_pct, row.landelijk_min, row.landelijk_max),
            "doelgroep_periode": row.doelgroep_periode or None, "bron": row.bron,
            "toelichting": _joined(row.toelichting, _landelijk_note(row.landelijk_toelichting)),
        })
    return _frame(rows)


# ------------------------------------------------------------------ own measurement from Suite4SD


def gebruik(con: duckdb.DuckDBPyConnection, van: date, tot: date) -> pd.DataFrame:
    """Per regeling: distinct households with a toegekend besluit dated in [van, tot), and how many of those
    toekenningen had no huishouden_id.

    A toekenning without huishouden_id (the import lets it through with a warning) counts its aanvrager as a
    household of its own: leaving it out would understate gebruik without anyone noticing.
    """
    return con.execute("""
        SELECT regeling AS code,
               count(DISTINCT huishouden_id)
                 + count(DISTINCT CASE WHEN huishouden_id IS NULL THEN client_id END) AS huishoudens,
               count(*) FILTER (WHERE huishouden_id IS NULL) AS zonder_huishouden_id
        FROM s4sd_toekenning
        WHERE vervangen_door IS NULL AND besluit = 'toegekend' AND besluitdatum >= ? AND besluitdatum < ?
        GROUP BY regeling
    """, [van, tot]).df().set_index("code")


def doelgroep_voor(doelgroepen: pd.DataFrame, code: str, grens: float, van: date, tot: date) -> pd.Series | None:
    """The estimate for a regeling at its grens: a row for that regeling at that grens wins over the row for every
    regeling at that grens, because some regelingen serve a subgroup (kinderen, langdurig laag inkomen).

    Of those, the latest estimate whose periode started before the end of the bereik period; if all started
    later, the earliest one (the nearest in time).
    """
    at_grens = doelgroepen[doelgroepen["inkomensgrens_pct_wsm"] == grens]
    candidates = at_grens[at_grens["regeling"] == code]
    if candidates.empty:
        candidates = at_grens[at_grens["regeling"].isna()]
    if candidates.empty:
        return None
    started = candidates[candidates["start"] < tot]
    return (started.sort_values("start").iloc[-1] if not started.empty
            else candidates.sort_values("start").iloc[0])


def bereik(con: duckdb.DuckDBPyConnection, van: date, tot: date, doelgroepen_path: Path = DOELGROEPEN_FILE,
           regelingen_path: Path = REGELINGEN_FILE, kwiz_path: Path = KWIZ_FILE) -> pd.DataFrame:
    """One row per regeling of the regelingen list: gebruik in [van, tot), doelgroep, bereik and the national band.

    bereik_exact is the unrounded percentage, bereik_pct the whole percentage (ROUND_HALF_UP) that is compared
    with the band. No doelgroep (no grens, no estimate at the grens, or an estimate without households) gives no
    bereik; toelichting says why.
    """
    doelgroepen = read_doelgroepen(doelgroepen_path)
    regelingen = _names(regelingen_path)
    kwiz = read_kwiz(kwiz_path).set_index("code")
    used = gebruik(con, van, tot)
    rows = []
    for code, regeling in regelingen.iterrows():
        grens = regeling["inkomensgrens_pct_wsm"]
        count = int(used.at[code, "huishoudens"]) if code in used.index else 0
        notes = []
        if code in used.index and used.at[code, "zonder_huishouden_id"]:
            notes.append(f"{used.at[code, 'zonder_huishouden_id']} toekenning(en) zonder huishouden_id: "
                         "geteld per aanvrager")
        estimate = None if pd.isna(grens) else doelgroep_voor(doelgroepen, code, grens, van, tot)
        if pd.isna(grens):
            notes.insert(0, "geen inkomensgrens in % Wsm, dus geen doelgroep en geen bereik")
        elif estimate is None:
            notes.insert(0, f"geen doelgroepschatting voor {fmt_number(grens)}% Wsm in {Path(doelgroepen_path).name}"
                            ", dus geen bereik")
        elif pd.isna(estimate["huishoudens"]):
            notes.insert(0, f"geen bereik: {estimate['toelichting']}")
        elif estimate["regeling"] == code and estimate["toelichting"]:
            notes.insert(0, f"doelgroep: {estimate['toelichting']}")
        if estimate is not None and estimate["start"] >= tot:
            notes.append(f"de doelgroepschatting ({estimate['periode']}) is van na de periode")
        households = estimate["huishoudens"] if estimate is not None else float("nan")
        known = pd.notna(households) and households > 0
        band = kwiz.loc[code] if code in kwiz.index else None
        low, high = (band["landelijk_min"], band["landelijk_max"]) if band is not None else (float("nan"),) * 2
        if band is not None:
            notes.append(_landelijk_note(band["landelijk_toelichting"]))
        pct = whole_percent(count, int(households)) if known else float("nan")
        rows.append({
            "periode": periode_label(van, tot), "van": van, "tot": tot, "code": code, "naam": regeling["naam"],
            "inkomensgrens": grens, "doelgroep_huishoudens": households, "gebruik_huishoudens": count,
            "bereik_exact": count * 100 / households if known else float("nan"), "bereik_pct": pct,
            "landelijk_min": low, "landelijk_max": high, "beoordeling": beoordeling(pct, low, high),
            "doelgroep_periode": estimate["periode"] if estimate is not None else None,
            "bron": SUITE4SD_BRON + (f"; doelgroep: {estimate['bron']}" if estimate is not None else ""),
            "toelichting": _joined(*notes),
        })
    return _frame(rows)


# ------------------------------------------------------------------ the series


def vensters(con: duckdb.DuckDBPyConnection, na: date | None = None) -> list[tuple[date, date]]:
    """(van, tot) of every 12 months ending at a half-year end that the toekenningen cover completely.

    An export is a snapshot of what the system holds, so its first and last besluitdatum mark what it covers: whole
    months from the month of the first to the month of the last besluit. A window partly outside that would count
    too little. Windows ending on or before `na` are left out.
    """
    first, last = con.execute(
        "SELECT min(besluitdatum), max(besluitdatum) FROM s4sd_toekenning WHERE vervangen_door IS NULL").fetchone()
    if first is None:
        return []
    covered_from = first.replace(day=1)
    covered_to = date(last.year + last.month // 12, last.month % 12 + 1, 1)
    windows = []
    for year in range(covered_from.year, covered_to.year + 1):
        for tot in (date(year, 1, 1), date(year, 7, 1)):
            van = tot.replace(year=tot.year - 1)
            if covered_from <= van and tot <= covered_to and (na is None or tot > na):
                windows.append((van, tot))
    return windows


def bereik_reeks(con: duckdb.DuckDBPyConnection, doelgroepen_path: Path = DOELGROEPEN_FILE,
                 regelingen_path: Path = REGELINGEN_FILE, kwiz_path: Path = KWIZ_FILE) -> pd.DataFrame:
    """The KWIZ measurement 2021-2022 first, then `bereik` over every 12 months to a half-year end (a calendar year
    or July to July) that the Suite4SD-toekenningen cover, oldest first.

    Windows ending on or before the end of the KWIZ period are left out: there the published figure is the
    measurement.
    """
    kwiz = kwiz_meting(kwiz_path, regelingen_path)
    parts = [kwiz] + [bereik(con, van, tot, doelgroepen_path, regelingen_path, kwiz_path)
                      for van, tot in vensters(con, na=max(kwiz["tot"]))]
    return pd.concat(parts, ignore_index=True)


# ------------------------------------------------------------------ helpers


def _landelijk_note(text: str) -> str:
    return f"landelijk: {text}" if text else ""


def _joined(*notes: str) -> str:
    return "; ".join(n for n in notes if n)


def _frame(rows: list[dict]) -> pd.DataFrame:
    """Counts and percentages as float with NaN for 'no figure', which fmt_number shows as '–'."""
    frame = pd.DataFrame(rows, columns=COLUMNS)
    numeric = ["inkomensgrens", "doelgroep_huishoudens", "bereik_exact", "bereik_pct", "landelijk_min",
               "landelijk_max"]
    frame[numeric] = frame[numeric].astype("float64")
    frame["gebruik_huishoudens"] = frame["gebruik_huishoudens"].astype("int64")
    return frame


# ------------------------------------------------------------------ the focus tile


@dataclass(frozen=True)
class Kerncijfer:
    """The headline of the bereik for a focus tile: the lowest bereik among the regelingen with a doelgroep in the
    latest period, by name, with its national band; and how many regelingen reach at least the band's lower bound."""

    periode: str
    naam: str
    bereik_pct: float
    landelijk_min: float
    landelijk_max: float
    op_niveau: int
    regelingen: int


def kerncijfer(series: pd.DataFrame, peildatum: date) -> Kerncijfer | None:
    """From bereik_reeks: the latest period ended by the peildatum that has a bereik; None without one."""
    known = series[series["bereik_pct"].notna() & (series["tot"] <= peildatum)]
    if known.empty:
        return None
    latest = known[known["tot"] == known["tot"].max()]
    lowest = latest.sort_values(["bereik_pct", "code"]).iloc[0]
    banded = latest[latest["landelijk_min"].notna()]
    return Kerncijfer(periode=lowest["periode"], naam=lowest["naam"], bereik_pct=lowest["bereik_pct"],
                      landelijk_min=lowest["landelijk_min"], landelijk_max=lowest["landelijk_max"],
                      op_niveau=int((banded["bereik_pct"] >= banded["landelijk_min"]).sum()),
                      regelingen=len(banded))
