"""Divosa exports: the Benchmark Werk en Inkomen and the Monitor Vroegsignalering Schulden, with the gemeente's own
value and comparison values (landelijk, grootteklasse).

Divosa's real layouts are not public, so three shapes are read and a steward adapts to the real file with a mapping
file (data/divosa_kolommen.toml), not code: which source column is which field, which source label is which
indicator and comparison group. Everything lands in the table divosa_waarde; the gemeente's own values of indicators
mapped to a plan indicator (FF-5) also become measurements. Format and checks: docs/divosa_en_metingen.md.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from monitor.imports.base import ImportRefused, Parsed
from monitor.imports.metingen import (
    is_percentage,
    normalise,
    number_text,
    read_numbers,
    read_periods,
    refuse_bsn,
    rounding_tolerance,
    sorted_periods,
)
from monitor.imports.readers import LINE, TableFile, formula_finding
from monitor.periods import parse_period
from monitor.store import PROJECT_DIR, Measurement, insert_measurements

DEFAULT_MAPPING = PROJECT_DIR / "data" / "divosa_kolommen.toml"
# bron key → the product's name; the keys are the only values migration 0004 allows in divosa_waarde.bron.
BRONNEN = {"benchmark_wi": "Benchmark Werk en Inkomen", "vroegsignalering": "Monitor Vroegsignalering Schulden"}
FIELDS = ("gemeente", "indicator", "periode", "waarde", "vergelijking")
OWN = "gemeente"
KEY = re.compile(r"[a-z][a-z0-9_]*")
SHAPES = {
    "lang": "lang formaat",
    "per_vergelijking": "breed formaat, een kolom per gemeente en vergelijkingsgroep",
    "per_indicator": "breed formaat, een kolom per indicator",
}
REQUIRED = {"lang": ("gemeente", "indicator", "periode", "waarde"), "per_vergelijking": ("indicator", "periode"),
            "per_indicator": ("gemeente", "periode")}
TABLE_COLUMNS = ["bron", "indicator", "indicator_label", "plan_indicator", "gemeente_code", "vergelijking",
                 "vergelijking_label", "periode", "periode_start", "periode_eind", "waarde", "eenheid", "import_id"]


# ------------------------------------------------------------------ the mapping file


@dataclass(frozen=True)
class DivosaIndicator:
    key: str
    bron: str
    eenheid: str
    labels: tuple[str, ...]
    plan_indicator: str | None = None
    som_van: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mapping:
    name: str                                   # the mapping file's name, for messages
    columns: dict[str, tuple[str, ...]]         # field → accepted source column names
    ignored: frozenset[str]                     # normalised source columns that are not read
    comparisons: dict[str, str]                 # normalised source label → vergelijking key
    indicators: dict[str, DivosaIndicator]      # indicator key → definition
    labels: dict[str, str]                      # normalised source label (and the key itself) → indicator key

    def column(self, field: str, present: list[str]) -> str | None:
        """The file's column for `field`: the first accepted name present, compared without case."""
        by_name = {normalise(c): c for c in present}
        return next((by_name[normalise(n)] for n in self.columns.get(field, ()) if normalise(n) in by_name), None)

    def indicator(self, label: str) -> DivosaIndicator | None:
        key = self.labels.get(normalise(label))
        return self.indicators[key] if key else None

    def comparison(self, label: str) -> str | None:
        return self.comparisons.get(normalise(label))


def load_mapping(path: Path = DEFAULT_MAPPING) -> Mapping:
    """Read and check a mapping file; a mistake is refused with a Dutch message naming the file and the entry."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ImportRefused(path.name, f"het koppelingsbestand kan niet gelezen worden: {exc}") from exc

    def fail(message: str) -> ImportRefused:
        return ImportRefused(path.name, f"koppelingsbestand: {message} Uitleg: docs/divosa_en_metingen.md.")

    def names(value, where: str) -> tuple[str, ...]:
        value = [value] if isinstance(value, str) else value
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise fail(f"{where} moet een tekst of een lijst van teksten zijn.")
        return tuple(value)

    kolommen = raw.get("kolommen", {})
    unknown = sorted(set(kolommen) - set(FIELDS) - {"negeren"})
    if unknown:
        raise fail(f"onbekend veld in [kolommen]: {', '.join(unknown)} (toegestaan: {', '.join(FIELDS)}, negeren).")
    columns = {f: names(kolommen[f], f"kolommen.{f}") for f in FIELDS if f in kolommen}
    ignored = frozenset(normalise(n) for n in names(kolommen.get("negeren", []), "kolommen.negeren"))

    comparisons = {}
    for label, key in raw.get("vergelijkingen", {}).items():
        if not isinstance(key, str) or not KEY.fullmatch(key):
            raise fail(f"vergelijkingen.\"{label}\" moet een sleutel zijn in kleine letters, cijfers en _, "
                       f"bijv. \"landelijk\", niet {key!r}.")
        comparisons[normalise(label)] = key

    indicators: dict[str, DivosaIndicator] = {}
    labels: dict[str, str] = {}
    for number, entry in enumerate(raw.get("indicator", []), start=1):
        key = entry.get("sleutel")
        where = f"[[indicator]] nummer {number} ({key or 'zonder sleutel'})"
        if not isinstance(key, str) or not KEY.fullmatch(key):
            raise fail(f"{where}: sleutel ontbreekt of is geen sleutel in kleine letters, cijfers en _.")
        if key in indicators:
            raise fail(f"{where}: sleutel {key} komt dubbel voor.")
        if entry.get("bron") not in BRONNEN:
            raise fail(f"{where}: bron moet een van {', '.join(BRONNEN)} zijn.")
        if not isinstance(entry.get("eenheid"), str) or not entry["eenheid"].strip():
            raise fail(f"{where}: eenheid ontbreekt, bijv. \"%\" of \"per 1.000 inwoners per maand\".")
        plan_indicator = entry.get("plan_indicator")
        if plan_indicator is not None and not (isinstance(plan_indicator, str) and plan_indicator.strip()):
            raise fail(f"{where}: plan_indicator moet een indicator-id uit het plan zijn, bijv. \"FF-5\".")
        indicator = DivosaIndicator(key, entry["bron"], entry["eenheid"], names(entry.get("labels", []), f"{where}.labels"),
                                    plan_indicator, names(entry.get("som_van", []), f"{where}.som_van"))
        for label in (key, *indicator.labels):
            other = labels.setdefault(normalise(label), key)
            if other != key:
                raise fail(f"{where}: label \"{label}\" hoort al bij indicator {other}.")
        indicators[key] = indicator
    if not indicators:
        raise fail("er staat geen enkele [[indicator]] in.")
    for indicator in indicators.values():
        for part in indicator.som_van:
            if part not in indicators or indicators[part].bron != indicator.bron:
                raise fail(f"indicator {indicator.key}: som_van noemt {part}, dat geen indicator van dezelfde bron is.")
    return Mapping(path.name, columns, ignored, comparisons, indicators, labels)


# ------------------------------------------------------------------ recognising and parsing


def _shape(present: list[str], mapping: Mapping) -> str | None:
    def has(field: str) -> bool:
        return mapping.column(field, present) is not None

    if has("indicator"):
        return "lang" if has("waarde") else "per_vergelijking"
    if any(mapping.indicator(c) for c in present):
        return "per_indicator"
    return None


def looks_like_divosa(columns, mapping: Mapping) -> bool:
    present = [str(c).strip() for c in columns if c != LINE]
    shape = _shape(present, mapping)
    return shape is not None and all(mapping.column(f, present) for f in REQUIRED[shape])


def gemeente_lookup(gemeente_codes: dict[str, str]) -> dict[str, str]:
    """Name, code and the name without CBS's "(gemeente)" or "(NH.)" all lead to the code, unless that is ambiguous."""
    lookup = {normalise(code): code for code in gemeente_codes.values()}
    short: dict[str, set[str]] = {}
    for name, code in gemeente_codes.items():
        lookup[normalise(name)] = code
        short.setdefault(normalise(re.sub(r"\s*\([^)]*\)$", "", name)), set()).add(code)
    for name, codes in short.items():
        if len(codes) == 1:
            lookup.setdefault(name, codes.pop())
    return lookup


def _cells(table: TableFile, shape: str, mapping: Mapping) -> pd.DataFrame:
    """One row per value in the file: regel, indicator_label, gemeente_tekst, vergelijking_tekst, periode, waarde_tekst.

    In the wide shapes one file row holds several values; their regel names the column too ("3 kolom Landelijk"),
    so every message points at the cell.
    """
    frame = table.frame
    present = [c for c in frame.columns if c != LINE]
    source = {f: mapping.column(f, present) for f in FIELDS}
    empty = pd.Series("", index=frame.index, dtype="str")

    def text(field: str) -> pd.Series:
        return frame[source[field]].str.strip() if source[field] else empty

    if shape == "lang":
        return pd.DataFrame({LINE: frame[LINE], "indicator_label": text("indicator"), "gemeente_tekst": text("gemeente"),
                             "vergelijking_tekst": text("vergelijking"), "periode": text("periode"),
                             "waarde_tekst": text("waarde")})
    used = {c for c in source.values() if c}
    value_columns = [c for c in present if c not in used and normalise(c) not in mapping.ignored]
    parts = []
    for column in value_columns:
        per_indicator = shape == "per_indicator"
        parts.append(pd.DataFrame({
            LINE: frame[LINE].astype(str) + f" kolom {column}",
            "indicator_label": column if per_indicator else text("indicator"),
            "gemeente_tekst": text("gemeente"),
            "vergelijking_tekst": text("vergelijking") if per_indicator else column,
            "periode": text("periode"),
            "waarde_tekst": frame[column].str.strip(),
        }))
    if not parts:
        raise ImportRefused(table.name, f"als Divosa-export ({SHAPES[shape]}) bevat het bestand geen kolommen met "
                                        f"waarden. Aanwezig: {', '.join(present)}.")
    return pd.concat(parts, ignore_index=True)


def _who(cells: pd.DataFrame, mapping: Mapping, gemeenten: dict[str, str]) -> pd.DataFrame:
    """vergelijking (key or None when unknown), vergelijking_label and gemeente_code per value.

    A comparison group comes from the vergelijking column (long shape) or the column header (wide, per group); without
    one, the gemeente column may name it ("Landelijk"). A label that is a known gemeente is that gemeente's own value.
    """
    def one(gemeente: str, vergelijking: str) -> tuple[str | None, str, str | None]:
        code = gemeenten.get(normalise(gemeente)) if gemeente else None
        if vergelijking:
            key = mapping.comparison(vergelijking)
            if key is None and gemeenten.get(normalise(vergelijking)):
                return OWN, vergelijking, gemeenten[normalise(vergelijking)]
            return key, vergelijking, code
        if code is None and mapping.comparison(gemeente):
            return mapping.comparison(gemeente), gemeente, None
        return OWN, gemeente, code

    pairs = cells[["gemeente_tekst", "vergelijking_tekst"]].drop_duplicates()
    resolved = {(g, v): one(g, v) for g, v in pairs.itertuples(index=False)}
    who = pd.DataFrame([resolved[(g, v)] for g, v in zip(cells["gemeente_tekst"], cells["vergelijking_tekst"])],
                       columns=["vergelijking", "vergelijking_label", "gemeente_code"], index=cells.index)
    # A comparison value belongs to the gemeente the export is about; with several gemeenten in the file it is left
    # without a gemeente (it then compares all of them).
    own = set(who.loc[who["vergelijking"] == OWN, "gemeente_code"].dropna())
    if len(own) == 1:
        comparison = who["vergelijking"].notna() & (who["vergelijking"] != OWN)
        who.loc[comparison & who["gemeente_code"].isna(), "gemeente_code"] = own.pop()
    return who


def _totals_match(frame: pd.DataFrame, mapping: Mapping) -> pd.Series:
    """False on a total whose parts are all in the file and do not add up to it within the rounding shown.

    Only indicators with `som_van` in the mapping are totals; a total whose parts are not all present is not checked.
    """
    result = pd.Series(True, index=frame.index)
    key = ["gemeente_code", "vergelijking", "periode_code"]
    values = frame.dropna(subset=["waarde"]).fillna({"gemeente_code": ""})
    for indicator in (i for i in mapping.indicators.values() if i.som_van):
        totals = values[values["indicator"] == indicator.key]
        parts = values[values["indicator"].isin(indicator.som_van)]
        summed = parts.groupby(key).agg(som=("waarde", "sum"), delen=("indicator", "nunique"),
                                        deel_decimalen=("decimalen", "max"))
        joined = totals.join(summed, on=key)
        complete = joined["delen"] == len(set(indicator.som_van))
        decimals = joined[["decimalen", "deel_decimalen"]].max(axis=1).where(complete, 0).astype(int)
        # Each of the parts and the total may be off by half a unit in its last digit.
        tolerance = rounding_tolerance(decimals) * (len(indicator.som_van) + 1)
        wrong = complete & ((joined["waarde"] - joined["som"]).abs() > tolerance)
        result[wrong[wrong].index] = False
    return result


def numeric_columns(present: list[str], mapping: Mapping) -> list[str]:
    """The columns with values: all but the gemeente, indicator, periode and vergelijking columns."""
    labels = {mapping.column(f, present) for f in FIELDS if f != "waarde"} - {None}
    return [c for c in present if c not in labels]


def parse(table: TableFile, mapping: Mapping, gemeente_codes: dict[str, str],
          plan_indicators: dict[str, str]) -> Parsed:
    """A Divosa export read with `mapping`; gemeente_codes is name → CBS code, plan_indicators id → unit."""
    present = [c for c in table.frame.columns if c != LINE]
    numeric = numeric_columns(present, mapping)
    refuse_bsn(table, numeric)
    shape = _shape(present, mapping)
    if shape is None:
        raise ImportRefused(table.name, "is niet herkend als Divosa-export: geen kolom met indicatoren ("
                                        f"{', '.join(mapping.columns.get('indicator', ()))}) en geen kolom met een "
                                        f"bekende indicator als naam. Aanwezig: {', '.join(present)}. Pas het "
                                        f"koppelingsbestand {mapping.name} aan (docs/divosa_en_metingen.md).")
    missing = [f for f in REQUIRED[shape] if not mapping.column(f, present)]
    if missing:
        accepted = "; ".join(f"{f}: {', '.join(mapping.columns.get(f, ())) or 'niet gekoppeld'}" for f in missing)
        raise ImportRefused(table.name, f"als Divosa-export ({SHAPES[shape]}) ontbreekt kolom "
                                        f"{', '.join(missing)} (namen in {mapping.name}: {accepted}). Aanwezig: "
                                        f"{', '.join(present)}. Gebruik het sjabloon in data/templates/ of pas de "
                                        "koppeling aan.")

    cleaned = table.frame.assign(**{c: number_text(table.frame[c]) for c in numeric})
    findings = [f for f in (formula_finding(cleaned, present, set(numeric)),) if f]
    cells = _cells(table, shape, mapping)
    # A missing figure is not a value: Divosa leaves cells empty (or writes '-') where a group has no figure.
    cells = cells[number_text(cells["waarde_tekst"]) != ""].reset_index(drop=True)

    found = [mapping.indicator(label) for label in cells["indicator_label"]]
    known = pd.Series([i is not None for i in found], index=cells.index)
    bronnen = sorted({i.bron for i in found if i})
    if not bronnen:
        raise ImportRefused(table.name, f"geen enkel indicatorlabel in het bestand staat in {mapping.name}, dus er "
                                        "valt niets te importeren. Voeg de labels toe aan de koppeling "
                                        "(docs/divosa_en_metingen.md).")
    if len(bronnen) > 1:
        raise ImportRefused(table.name, f"bevat indicatoren van {' en '.join(BRONNEN[b] for b in bronnen)}. Lever "
                                        "elke Divosa-bron als apart bestand aan, zodat een nieuwere export precies "
                                        "zijn eigen bron vervangt.")
    bron = bronnen[0]
    for indicator in {i for i in found if i and i.plan_indicator in plan_indicators}:
        if normalise(indicator.eenheid) != normalise(plan_indicators[indicator.plan_indicator]):
            raise ImportRefused(table.name, f"in {mapping.name} heeft indicator {indicator.key} eenheid "
                                            f"'{indicator.eenheid}', maar plan-indicator {indicator.plan_indicator} "
                                            f"heeft '{plan_indicators[indicator.plan_indicator]}'. Maak de eenheden "
                                            "gelijk of koppel een andere plan-indicator.")

    numbers, bad, decimals = read_numbers(cells["waarde_tekst"])
    periods = read_periods(cells["periode"], date.today())
    who = _who(cells, mapping, gemeente_lookup(gemeente_codes))
    unit = pd.Series([i.eenheid if i else None for i in found], index=cells.index, dtype=object)
    waarde = numbers.where(known)
    checked = pd.DataFrame({
        LINE: cells[LINE],
        "bron": bron,
        "indicator": [i.key if i else None for i in found],
        "indicator_label": cells["indicator_label"],
        "indicator_bekend": known,
        "plan_indicator": [i.plan_indicator if i else None for i in found],
        "gemeente": cells["gemeente_tekst"],
        "gemeente_code": who["gemeente_code"],
        "gemeente_bekend": ~known | (who["vergelijking"] != OWN) | who["gemeente_code"].notna(),
        "vergelijking": who["vergelijking"],
        "vergelijking_label": who["vergelijking_label"],
        "vergelijking_bekend": ~known | who["vergelijking"].notna(),
        "periode": cells["periode"],
        "periode_code": periods["periode_code"].where(known),
        "periode_geldig": ~known | periods["periode_code"].notna(),
        "periode_niet_in_toekomst": ~known | periods["niet_in_toekomst"].astype(bool),
        "waarde": waarde,
        "waarde_leesbaar": ~known | ~bad,
        "waarde_procent": waarde.where(unit.map(is_percentage)),
        "eenheid": unit,
        "decimalen": decimals,
    })
    duplicate = checked[known].fillna({"gemeente_code": "", "periode_code": ""}).duplicated(
        ["indicator", "gemeente_code", "vergelijking", "periode_code"], keep=False)
    checked["dubbel"] = duplicate.reindex(checked.index, fill_value=False)
    checked["totaal_klopt"] = _totals_match(checked[known], mapping).reindex(checked.index, fill_value=True)

    measurement_source = f"Divosa {BRONNEN[bron]}"

    def store(con, import_id: int) -> int:
        rows = checked[checked["indicator_bekend"]]
        spans = {code: parse_period(code) for code in rows["periode_code"].unique()}
        table_rows = pd.DataFrame({
            "bron": rows["bron"], "indicator": rows["indicator"], "indicator_label": rows["indicator_label"],
            "plan_indicator": rows["plan_indicator"], "gemeente_code": rows["gemeente_code"],
            "vergelijking": rows["vergelijking"], "vergelijking_label": rows["vergelijking_label"],
            "periode": rows["periode_code"], "periode_start": rows["periode_code"].map(lambda c: spans[c].start),
            "periode_eind": rows["periode_code"].map(lambda c: spans[c].end), "waarde": rows["waarde"].astype(float),
            "eenheid": rows["eenheid"], "import_id": import_id,
        })[TABLE_COLUMNS]
        con.register("nieuwe_divosa_waarden", table_rows)
        try:
            count = con.execute(f"INSERT INTO divosa_waarde ({', '.join(TABLE_COLUMNS)}) "
                                f"SELECT {', '.join(TABLE_COLUMNS)} FROM nieuwe_divosa_waarden").fetchone()[0]
        finally:
            con.unregister("nieuwe_divosa_waarden")
        own = rows[(rows["vergelijking"] == OWN) & rows["plan_indicator"].isin(list(plan_indicators))]
        measurements = [
            Measurement(indicator_id=r.plan_indicator, gemeente_code=r.gemeente_code, periode=r.periode_code,
                        waarde=float(r.waarde), eenheid=plan_indicators[r.plan_indicator], bron=measurement_source,
                        herkomst="import", import_id=import_id)
            for r in own.itertuples(index=False)
        ]
        insert_measurements(con, measurements)
        return count

    return Parsed(
        source="divosa",
        detected_type=f"Divosa {BRONNEN[bron]} ({SHAPES[shape]})",
        frame=checked,
        suite="divosa",
        supersede_key=f"divosa:{bron}",
        periods=sorted_periods(checked["periode_code"]),
        store=store,
        findings=findings,
        rows=len(table.frame),
        shown=table.frame,
    )
