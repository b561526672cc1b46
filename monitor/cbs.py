"""Read CBS StatLine label-style CSV (as the OData v3 API and cbsodata write it) into long observations.

One observation per region, period, other dimensions and measure. Measures are recognised by their content
(numbers), not by position, so any table of this shape loads without code changes. The other CBS export shapes
(OData v3 JSON, OData v4) are read by monitor.imports.cbs_formats into the same Observation.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, fields
from operator import attrgetter
from pathlib import Path

import duckdb
import pandas as pd

from monitor.periods import PeriodError, parse_period

# Region code shapes CBS uses: gemeente, wijk and buurt (Amsterdam and a few others have letters in the wijk part,
# e.g. WK0363AA, BU0363AA01) and two letters + digits for Nederland (NL00/NL01), landsdelen (LD), provincies (PV),
# COROP (CR), stadsgewesten (SG), GGD- and jeugdzorgregio's and the like.
REGION_CODE = re.compile(r"^(GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{2}\d{2}|[A-Z]{2}\d{2,4})$")
# Region dimension names in the tables the monitor reads (Regiokenmerken in 83747NED/84066NED, Wijken in the
# wijk tables of the sociaal domein).
REGION_COLUMNS = ("RegioS", "Regiokenmerken", "WijkenEnBuurten", "Wijken")
PERIOD_COLUMN = "Perioden"
STATUS_COLUMN = "StatusCijfer"
NEDERLAND = "NL00"
# Prefix of the code given to a region that has neither a CBS code in the file nor a known gemeente name, such as
# a province label or a gemeente that no longer exists ('Aalburg'): the row is kept under a stable code.
UNCODED_PREFIX = "NAAM:"


class CbsFormatError(ValueError):
    """The file is not a CBS table in a known shape; the message says which file and why, in Dutch."""


@dataclass(frozen=True)
class Observation:
    tabel: str
    regio_code: str
    regio_label: str
    periode: str
    periode_label: str
    dimensies: str
    maat: str
    waarde: float | None
    status: str | None


OBSERVATION_FIELDS = [f.name for f in fields(Observation)]
observation_values = attrgetter(*OBSERVATION_FIELDS)


@dataclass(frozen=True)
class LabelTable:
    """A parsed label-style CSV: its observations, its number of data lines and its measure columns."""

    observations: list[Observation]
    rows: int
    measures: list[str]


def normalize_region_code(code: str) -> str:
    """Without CBS's space padding ('GM0396    '); Nederland is NL01 in most tables and NL00 in the wijk-en-buurt
    tables, and the monitor compares regions across tables, so it stores one code for it."""
    code = code.strip()
    return NEDERLAND if code == "NL01" else code


def status_of(text: str | None) -> str | None:
    """CBS status text → 'voorlopig', 'definitief' or None; 'Nader voorlopig' is still a provisional figure."""
    text = (text or "").strip().lower()
    if not text:
        return None
    return "voorlopig" if "voorlopig" in text else text


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CbsFormatError(f"{path.name}: geen UTF-8-tekst (byte {exc.start}); is dit een CBS-export?") from None
    rows = list(csv.reader(text.splitlines(), delimiter=";"))
    if not rows or len(rows[0]) < 3:
        raise CbsFormatError(f"{path.name}: geen CBS-tabel (verwacht een kopregel met ';' als scheidingsteken).")
    return [h.strip() for h in rows[0]], [[f.strip() for f in r] for r in rows[1:] if r]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def classify_columns(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[str], list[str]]:
    """(dimension columns, measure columns, text topic columns). A measure column holds only numbers or blanks."""
    dimensions, measures, texts = [], [], []
    for index, name in enumerate(header):
        if name == "ID":
            continue
        if not re.search(r"_\d+$", name):
            dimensions.append(name)
            continue
        # Distinct values only: a column of 10,000 rows holds far fewer different numbers.
        values = {r[index] for r in rows if index < len(r)} - {""}
        if all(_is_number(v) for v in values):
            measures.append(name)
        else:
            texts.append(name)
    return dimensions, measures, texts


def _is_code_column(values: tuple[str, ...]) -> bool:
    codes = set(values) - {""}
    return bool(codes) and all(REGION_CODE.match(c) for c in codes)


def _region_codes(labels: tuple[str, ...], code_columns: list[tuple[str, ...]],
                  gemeente_codes: dict[str, str]) -> list[str]:
    """A region code per row: from a code column when the row has one, otherwise from the label.

    A row without a code never borrows the code of another row with the same label: wijk names repeat across
    gemeenten (the uncoded wijk 'Schenkel' of Capelle aan den IJssel in 85994NED is not WK193009 'Schenkel').
    """
    if code_columns:
        direct = [next((normalize_region_code(c) for c in candidates if c), None) for candidates in zip(*code_columns)]
    else:
        direct = [None] * len(labels)

    def from_label(label: str) -> str:
        if label == "Nederland":
            return NEDERLAND
        return gemeente_codes.get(label) or UNCODED_PREFIX + label

    return [code or from_label(label) for label, code in zip(labels, direct)]


def _period_codes(file_name: str, labels: tuple[str, ...] | list[str], column: str) -> list[str]:
    parsed: dict[str, str] = {}
    for line, label in enumerate(labels, start=2):
        if label not in parsed:
            try:
                parsed[label] = parse_period(label).code
            except PeriodError as exc:
                raise CbsFormatError(f"{file_name}, regel {line}, kolom {column}: {exc}") from None
    return [parsed[label] for label in labels]


def read_label_table(path: Path, table: str, gemeente_codes: dict[str, str], default_period: str | None = None,
                     keep_unknown_regions: bool = False) -> LabelTable:
    """Parse one label-style CSV. Rows whose region has no code and no known gemeente name get a NAAM: code when
    `keep_unknown_regions`, otherwise they are left out."""
    path = Path(path)
    header, rows = read_rows(path)
    for line, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise CbsFormatError(f"{path.name}, regel {line}: {len(row)} velden, de kopregel heeft er {len(header)}.")
    dimensions, measures, texts = classify_columns(header, rows)
    region_column = next((c for c in REGION_COLUMNS if c in header), None)
    if region_column is None:
        names = ", ".join(REGION_COLUMNS[:-1]) + f" of {REGION_COLUMNS[-1]}"
        raise CbsFormatError(f"{path.name}: geen regiokolom ({names}) gevonden.")
    if PERIOD_COLUMN not in header and default_period is None:
        raise CbsFormatError(f"{path.name}: geen kolom Perioden en geen periode bekend voor deze tabel. Geef de "
                             f"periode op of zet de tabel met haar periode in data/cbs_tabellen.csv.")
    count = len(rows)
    columns = dict(zip(header, zip(*rows))) if rows else {name: () for name in header}
    labels = columns[region_column]
    for line, label in enumerate(labels, start=2):
        if not label:
            raise CbsFormatError(f"{path.name}, regel {line}, kolom {region_column}: geen regio ingevuld.")
    codes = _region_codes(labels, [columns[t] for t in texts if _is_code_column(columns[t])], gemeente_codes)
    if PERIOD_COLUMN in header:
        period_labels = columns[PERIOD_COLUMN]
        periods = _period_codes(path.name, period_labels, PERIOD_COLUMN)
    else:
        period_labels = (default_period,) * count
        try:
            periods = [parse_period(default_period).code] * count
        except PeriodError as exc:
            raise CbsFormatError(f"{path.name}: opgegeven periode voor deze tabel: {exc}") from None
    others = [d for d in dimensions if d not in (region_column, PERIOD_COLUMN, STATUS_COLUMN)]
    if others:
        dims = ["|".join(f"{d}={v}" for d, v in zip(others, values)) for values in zip(*(columns[d] for d in others))]
    else:
        dims = [""] * count
    statuses = [status_of(s) for s in columns[STATUS_COLUMN]] if STATUS_COLUMN in header else [None] * count
    values = [(m, [float(v) if v else None for v in columns[m]]) for m in measures]
    observations = [
        Observation(table, code, label, period, period_label, dim, measure, column[i], status)
        for i, (code, label, period, period_label, dim, status)
        in enumerate(zip(codes, labels, periods, period_labels, dims, statuses))
        if keep_unknown_regions or not code.startswith(UNCODED_PREFIX)
        for measure, column in values
    ]
    return LabelTable(observations, count, measures)


def read_table(path: Path, gemeente_codes: dict[str, str], default_period: str | None = None) -> list[Observation]:
    """The observations of one CBS label-style CSV for regions with a code: Nederland, gemeenten (by code column or
    by name via `gemeente_codes`, e.g. 'Heemskerk' → 'GM0396'), wijken, buurten and other coded regions."""
    return read_label_table(path, Path(path).stem, gemeente_codes, default_period).observations


def store_observations(con: duckdb.DuckDBPyConnection, observations: list[Observation], import_id: int) -> int:
    """Insert in one statement from a DataFrame: row-by-row executemany takes seconds for a few thousand rows."""
    if not observations:
        return 0
    frame = pd.DataFrame(list(map(observation_values, observations)), columns=OBSERVATION_FIELDS)
    frame["import_id"] = import_id
    con.register("new_observations", frame)
    try:
        con.execute(
            "INSERT INTO cbs_observation (tabel, regio_code, regio_label, periode, periode_label, dimensies, maat, "
            "waarde, status, import_id) SELECT tabel, regio_code, regio_label, periode, periode_label, dimensies, maat, "
            "waarde, status, import_id FROM new_observations"
        )
    finally:
        con.unregister("new_observations")
    return len(observations)


def read_gemeenten(path: Path) -> dict[str, str]:
    """gemeente name → code, from data/gemeenten.csv."""
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["naam"]: row["gemeente_code"] for row in csv.DictReader(handle, delimiter=";")}
