"""Read CBS StatLine label-style CSV (as the OData v3 API and cbsodata write it) into long observations.

One observation per region, period, other dimensions and measure. Measures are recognised by their content
(numbers), not by position, so any table of this shape loads without code changes.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from monitor.periods import PeriodError, parse_period

REGION_CODE = re.compile(r"^(NL00|GM\d{4}|WK\d{6}|BU\d{8})$")
REGION_COLUMNS = ("RegioS", "WijkenEnBuurten")
PERIOD_COLUMN = "Perioden"
STATUS_COLUMN = "StatusCijfer"


class CbsFormatError(ValueError):
    """The file is not a CBS label-style table; the message says which file and why, in Dutch."""


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


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    text = Path(path).read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(text.splitlines(), delimiter=";"))
    if not rows or len(rows[0]) < 3:
        raise CbsFormatError(f"{Path(path).name}: geen CBS-tabel (verwacht een kopregel met ';' als scheidingsteken).")
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
        values = [r[index] for r in rows if index < len(r) and r[index]]
        if not re.search(r"_\d+$", name):
            dimensions.append(name)
        elif all(_is_number(v) for v in values):
            measures.append(name)
        else:
            texts.append(name)
    return dimensions, measures, texts


def read_table(path: Path, gemeente_codes: dict[str, str], default_period: str | None = None) -> list[Observation]:
    """All observations of one CBS label-style CSV. `gemeente_codes` maps labels such as 'Heemskerk' to 'GM0396'."""
    path = Path(path)
    table = path.stem
    header, rows = read_rows(path)
    dimensions, measures, texts = classify_columns(header, rows)
    region_column = next((c for c in REGION_COLUMNS if c in header), None)
    if region_column is None:
        raise CbsFormatError(f"{path.name}: geen regiokolom ({' of '.join(REGION_COLUMNS)}) gevonden.")
    if PERIOD_COLUMN not in header and default_period is None:
        raise CbsFormatError(f"{path.name}: geen kolom Perioden en geen periode opgegeven voor deze tabel.")
    other = [d for d in dimensions if d not in (region_column, PERIOD_COLUMN, STATUS_COLUMN)]
    observations = []
    for line, row in enumerate(rows, start=2):
        record = dict(zip(header, row))
        label = record[region_column]
        code = next((record[t] for t in texts if REGION_CODE.match(record.get(t, ""))), None)
        code = code or gemeente_codes.get(label) or ("NL00" if label == "Nederland" else None)
        if code is None:
            continue
        period_label = record.get(PERIOD_COLUMN) or default_period
        try:
            period = parse_period(period_label).code
        except PeriodError as exc:
            raise CbsFormatError(f"{path.name}, regel {line}, kolom {PERIOD_COLUMN}: {exc}") from exc
        dims = "|".join(f"{d}={record[d]}" for d in other)
        status = record.get(STATUS_COLUMN, "").lower() or None
        for measure in measures:
            value = record.get(measure, "")
            observations.append(Observation(table, code, label, period, period_label, dims, measure,
                                            float(value) if value else None, status))
    return observations


def store_observations(con: duckdb.DuckDBPyConnection, observations: list[Observation], import_id: int) -> int:
    """Insert in one statement from a DataFrame: row-by-row executemany takes seconds for a few thousand rows."""
    if not observations:
        return 0
    frame = pd.DataFrame([o.__dict__ for o in observations]).assign(import_id=import_id)
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
