"""Recognise and read the three shapes in which CBS StatLine tables reach a steward, without code per table.

- label-CSV (OData v3 API through cbsodata): one line per cell of the table's dimensions, labels instead of codes,
  a column per measure (key with _N suffix). Read by monitor.cbs.
- OData v3 JSON: TypedDataSet (codes, one key per measure) with DataProperties (which keys are dimensions and which
  are measures) and a code list per dimension (RegioS.json, Perioden.json, ... with Key/Title/Status).
- OData v4: Observations (one row per value, Measure column, dimension codes, Value/ValueAttribute) as CSV (cbsodata4
  writes ',' or ';') or JSON, with MeasureCodes and a code list per dimension (RegioSCodes, PeriodenCodes, ... with
  Identifier/Title/Status), optionally Dimensions and Properties.
A v3 or v4 export is several files: a directory or a .zip holding them.

Tables without a period dimension take their period from the caller, else from data/cbs_tabellen.csv (kept by the
steward), else from the v3 TableInfos the export may carry.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pandas as pd

from monitor.cbs import (
    OBSERVATION_FIELDS,
    PERIOD_COLUMN,
    REGION_COLUMNS,
    STATUS_COLUMN,
    UNCODED_PREFIX,
    CbsFormatError,
    Observation,
    normalize_region_code,
    observation_values,
    read_label_table,
    status_of,
)
from monitor.formatting import fmt_number
from monitor.periods import PeriodError, parse_period
from monitor.store import PROJECT_DIR

TABLE_CATALOGUE = PROJECT_DIR / "data" / "cbs_tabellen.csv"
# CBS table ids: 85984NED, 60039fvw, 80072ned, 7330zv.
TABLE_ID = re.compile(r"(?<![0-9A-Za-z])\d{4,5}[A-Za-z]{2,4}(?![0-9A-Za-z])")
MEASURE_SUFFIX = re.compile(r"_\d+$")

V3_DATA = "TypedDataSet.json"
V3_PROPERTIES = "DataProperties.json"
V3_TABLE_INFO = "TableInfos.json"
V3_DIMENSION_TYPES = ("Dimension", "GeoDimension", "GeoDetail", "TimeDimension")
# How v3 DataProperties (Type) and v4 Dimensions (Kind) mark the region dimension.
GEO_TYPES = ("GeoDimension", "GeoDetail")
V4_DATA = "Observations"
V4_MEASURES = "MeasureCodes"
V4_DIMENSIONS = "Dimensions"
V4_PROPERTIES = "Properties"
V4_FIXED_COLUMNS = {"Id", "Measure", "Value", "ValueAttribute", "StringValue"}
# File names that mark a directory or zip as a CBS v3/v4 export.
BUNDLE_MARKERS = {name.lower() for name in (V3_DATA, V3_PROPERTIES, f"{V4_DATA}.csv", f"{V4_DATA}.json",
                                             f"{V4_MEASURES}.csv", f"{V4_MEASURES}.json")}
JSON_MARKERS = {name.lower() for name in ("TypedDataSet", "DataProperties", V4_DATA, V4_MEASURES)}
HEAD_BYTES = 65536


@dataclass(frozen=True)
class KnownTable:
    tabel: str
    titel: str
    standaardperiode: str | None


def known_tables() -> dict[str, KnownTable]:
    """data/cbs_tabellen.csv by upper-case table id; read on every call, so a steward's edit counts at once."""
    with open(TABLE_CATALOGUE, encoding="utf-8", newline="") as handle:
        return {
            row["tabel"].upper(): KnownTable(row["tabel"], row["titel"], row["standaardperiode"] or None)
            for row in csv.DictReader(handle, delimiter=";")
        }


def table_id_from_name(path: Path) -> str:
    """The CBS table id in a file or directory name ('86050NED.csv', 'v3_85984NED'), else the name itself."""
    match = TABLE_ID.search(path.name)
    return match.group(0) if match else path.stem


def _catalogue_period(table: str) -> str | None:
    known = known_tables().get(table.upper())
    return known.standaardperiode if known else None


# ------------------------------------------------------------------ recognition


def _first_line(path: Path) -> str:
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES).decode("utf-8-sig", errors="ignore")
    return next(iter(head.splitlines()), "")


def _csv_kind(first_line: str) -> str | None:
    """'label' for a label-CSV header, 'v4' for an OData v4 Observations header, else None."""
    fields = [f.strip() for f in first_line.split(";")]
    if len(fields) >= 3 and any(f in REGION_COLUMNS for f in fields) and any(MEASURE_SUFFIX.search(f) for f in fields):
        return "label"
    delimiter = ";" if ";" in first_line else ","
    if {"Measure", "Value"} <= {f.strip() for f in first_line.split(delimiter)}:
        return "v4"
    return None


def _bundle_names(path: Path) -> set[str]:
    if path.is_dir():
        return {p.name.lower() for p in path.iterdir()}
    with zipfile.ZipFile(path) as archive:
        return {PurePosixPath(n).name.lower() for n in archive.namelist()}


def looks_like_cbs(path: Path) -> bool:
    """Cheap check on the first line or the file names only, for choosing the reader of an uploaded file."""
    path = Path(path)
    try:
        if path.is_dir() or zipfile.is_zipfile(path):
            return bool(_bundle_names(path) & BUNDLE_MARKERS)
        suffix = path.suffix.lower()
        if suffix == ".csv":
            return _csv_kind(_first_line(path)) is not None
        # A lone JSON file cannot be read, but it is recognised so that the steward hears what is missing.
        return suffix == ".json" and path.stem.lower() in JSON_MARKERS
    except (OSError, zipfile.BadZipFile):
        return False


# ------------------------------------------------------------------ entry point


def parse_cbs(path: Path, gemeenten: dict[str, str],
              default_period: str | None = None) -> tuple[str, list[Observation]]:
    """(what was recognised, in Dutch, for the steward; the observations) of a CBS export file, directory or zip.

    `gemeenten` maps gemeente names to codes for label-CSVs without a code column; `default_period` is the period
    of a table without a period dimension (otherwise data/cbs_tabellen.csv is asked).
    """
    path = Path(path)
    description, observations = _parse(path, gemeenten, default_period)
    if not observations:
        raise CbsFormatError(f"{path.name}: bevat geen cijfers (geen rijen of geen onderwerpen).")
    return description, observations


def _parse(path: Path, gemeenten: dict[str, str], default_period: str | None) -> tuple[str, list[Observation]]:
    if not path.exists():
        raise CbsFormatError(f"{path.name}: bestand niet gevonden.")
    if path.is_dir() or zipfile.is_zipfile(path):
        return _parse_bundle(_Bundle(path), gemeenten, default_period)
    suffix = path.suffix.lower()
    if suffix == ".json":
        raise CbsFormatError(
            f"{path.name}: een los JSON-bestand is niet genoeg. Lever een map of zip aan met TypedDataSet.json, "
            f"DataProperties.json en de codelijsten (OData v3), of Observations met MeasureCodes en de codelijsten "
            f"(OData v4).")
    if suffix != ".csv":
        raise CbsFormatError(f"{path.name}: geen CBS-export (verwacht .csv, .zip of een map).")
    if _csv_kind(_first_line(path)) == "v4":
        raise CbsFormatError(
            f"{path.name}: OData v4 Observations zonder MeasureCodes en codelijsten. Lever de map of zip aan met "
            f"Observations, MeasureCodes, PeriodenCodes en RegioSCodes.")
    return _parse_label_csv(path, gemeenten, default_period)


def _count(number: int, singular: str, plural: str) -> str:
    return f"{fmt_number(number)} {singular if number == 1 else plural}"


def _uncoded_note(observations: list[Observation]) -> str:
    uncoded = {o.regio_code for o in observations if o.regio_code.startswith(UNCODED_PREFIX)}
    if not uncoded:
        return ""
    regions = _count(len(uncoded), "regio", "regio's")
    return f", {regions} zonder CBS-code (bewaard als {UNCODED_PREFIX}<naam>)"


def _period_note(fixed: _FixedPeriod | None) -> str:
    return f", periode {fixed.label} uit {fixed.source}" if fixed else ""


def _parse_label_csv(path: Path, gemeenten: dict[str, str], default_period: str | None):
    table = table_id_from_name(path)
    fixed = None
    if PERIOD_COLUMN not in {h.strip() for h in _first_line(path).split(";")}:
        fixed = _known_period(table, default_period, None, path.name)
    # Without a period read_label_table refuses the file, after checking that it is a CBS table at all.
    parsed = read_label_table(path, table, gemeenten, fixed and fixed.label, keep_unknown_regions=True)
    description = (f"CBS {table}, label-CSV (OData v3/cbsodata), {_count(parsed.rows, 'rij', 'rijen')}, "
                   f"{_count(len(parsed.measures), 'onderwerp', 'onderwerpen')}{_period_note(fixed)}"
                   f"{_uncoded_note(parsed.observations)}")
    return description, parsed.observations


# ------------------------------------------------------------------ directory or zip


class _Bundle:
    """The files of a v3/v4 export, in a directory or a zip, found by lower-case base name."""

    def __init__(self, path: Path):
        self.path = path
        self.name = path.name
        # lower-case base name → (name as delivered, its bytes on demand)
        self._files: dict[str, tuple[str, Callable[[], bytes]]] = {}
        if path.is_dir():
            self._files = {p.name.lower(): (p.name, p.read_bytes) for p in path.iterdir() if p.is_file()}
            return
        try:
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    if not info.is_dir():
                        name, data = PurePosixPath(info.filename).name, archive.read(info)
                        self._files[name.lower()] = (name, lambda data=data: data)
        except (zipfile.BadZipFile, OSError) as exc:
            raise CbsFormatError(f"{path.name}: zip-bestand niet leesbaar ({exc}).") from None

    def has(self, name: str) -> bool:
        return name.lower() in self._files

    def where(self, name: str) -> str:
        return f"{self.name}/{self._files[name.lower()][0] if self.has(name) else name}"

    def text(self, name: str) -> str:
        try:
            return self._files[name.lower()][1]().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CbsFormatError(f"{self.where(name)}: geen UTF-8-tekst.") from None

    def _json(self, name: str):
        try:
            data = json.loads(self.text(name))
        except json.JSONDecodeError as exc:
            raise CbsFormatError(f"{self.where(name)}: geen geldige JSON ({exc.msg}, regel {exc.lineno}).") from None
        # An OData response wraps its records in {"value": [...]}; saved exports are often the bare list.
        return data["value"] if isinstance(data, dict) and isinstance(data.get("value"), list) else data

    def json_records(self, name: str) -> list[dict]:
        records = self._json(name)
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise CbsFormatError(f"{self.where(name)}: verwacht een lijst met records of {{\"value\": [...]}}.")
        return records

    def json_object(self, name: str) -> dict:
        """A single-object metadata file (v4 Properties; v3 TableInfos is a one-element list), or {} if absent."""
        if not self.has(name):
            return {}
        data = self._json(name)
        if isinstance(data, list):
            data = data[0] if data else {}
        if not isinstance(data, dict):
            raise CbsFormatError(f"{self.where(name)}: verwacht een JSON-object.")
        return data

    def csv_records(self, name: str) -> tuple[list[dict], list[int]]:
        """(records, their line numbers) of a CSV with ';' or ',' (cbsodata4 writes ',' unless told otherwise)."""
        text = self.text(name)
        first = text.split("\n", 1)[0]
        rows = list(csv.reader(io.StringIO(text), delimiter=";" if ";" in first else ","))
        header = [h.strip() for h in rows[0]] if rows else []
        records, lines = [], []
        for line, row in enumerate(rows[1:], start=2):
            if not row:
                continue
            if len(row) != len(header):
                raise CbsFormatError(f"{self.where(name)}, regel {line}: {len(row)} velden, de kopregel heeft er "
                                     f"{len(header)}.")
            records.append(dict(zip(header, row)))
            lines.append(line)
        return records, lines


@dataclass
class _Table:
    """Records of one v4 entity set with how to name a record's place in its file."""

    file: str
    records: list[dict]
    lines: list[int] | None  # line numbers of a CSV; a JSON file has records, no lines

    @property
    def is_csv(self) -> bool:
        return self.lines is not None

    def where(self, index: int, column: str) -> str:
        place = f"regel {self.lines[index]}" if self.is_csv else f"rij {index + 1}"
        return f"{self.file}, {place}, kolom {column}"


def _v4_table(bundle: _Bundle, stem: str, required: bool = True) -> _Table | None:
    """The records of entity set `stem` ('MeasureCodes') from its .csv or .json file."""
    if bundle.has(f"{stem}.csv"):
        return _Table(bundle.where(f"{stem}.csv"), *bundle.csv_records(f"{stem}.csv"))
    if bundle.has(f"{stem}.json"):
        return _Table(bundle.where(f"{stem}.json"), bundle.json_records(f"{stem}.json"), None)
    if required:
        raise CbsFormatError(f"{bundle.name}: {stem}.csv of {stem}.json ontbreekt (OData v4).")
    return None


def _parse_bundle(bundle: _Bundle, gemeenten: dict[str, str], default_period: str | None):
    if bundle.has(V3_DATA):
        return _parse_v3(bundle, gemeenten, default_period)
    if bundle.has(f"{V4_DATA}.csv") or bundle.has(f"{V4_DATA}.json"):
        return _parse_v4(bundle, gemeenten, default_period)
    if bundle.has(V3_PROPERTIES):
        raise CbsFormatError(f"{bundle.name}: DataProperties.json zonder TypedDataSet.json (OData v3).")
    raise CbsFormatError(f"{bundle.name}: geen CBS-export: TypedDataSet.json (OData v3) of Observations.csv/.json "
                         f"(OData v4) ontbreekt.")


# ------------------------------------------------------------------ codes → observations (v3 and v4)


def _number(value, where: Callable[[], str]) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        raise CbsFormatError(f"{where()}: '{value}' is geen getal.") from None


def _code_list(records: list[dict], key: str) -> dict[str, tuple[str, str | None]]:
    """code → (title, status) of a CBS code list; codes without their padding."""
    return {str(r.get(key) or "").strip(): (str(r.get("Title") or "").strip(), r.get("Status")) for r in records}


@dataclass(frozen=True)
class _FixedPeriod:
    """The one period of a table without a period dimension, and where it came from."""

    code: str
    label: str
    source: str


def _known_period(table: str, given: str | None, metadata: str | None, where: str) -> _FixedPeriod | None:
    """The period of a table without a period dimension: given by the caller, else from data/cbs_tabellen.csv,
    else from CBS's table information in the export."""
    for label, source in ((given, "de opgave"), (_catalogue_period(table), "data/cbs_tabellen.csv"),
                          (metadata, "de tabelinformatie van CBS")):
        if label:
            try:
                return _FixedPeriod(parse_period(label).code, label, source)
            except PeriodError as exc:
                raise CbsFormatError(f"{where}: periode uit {source}: {exc}") from None
    return None


def _required_period(table: str, given: str | None, metadata: str | None, where: str) -> _FixedPeriod:
    fixed = _known_period(table, given, metadata, where)
    if fixed is None:
        raise CbsFormatError(f"{where}: tabel {table} heeft geen periodedimensie (Perioden) en de periode is niet "
                             f"bekend. Geef de periode op of zet de tabel met haar periode in data/cbs_tabellen.csv.")
    return fixed


class _Coder:
    """Turns the dimension codes of one record into region, period, labels, status and the dimensies text."""

    def __init__(self, table: str, geo: str, time: str | None, others: list[str],
                 code_lists: dict[str, dict[str, tuple[str, str | None]]], gemeenten: dict[str, str],
                 fixed: _FixedPeriod | None):
        self.table, self.geo, self.time, self.fixed = table, geo, time, fixed
        self.others = [d for d in others if d != STATUS_COLUMN]
        self.status_dimension = STATUS_COLUMN if STATUS_COLUMN in others else None
        self.code_lists = code_lists
        self.gemeente_names = {code: name for name, code in gemeenten.items()}
        self._periods: dict[str, tuple[str, str, str | None]] = {}

    def _code(self, record: dict, dimension: str) -> str:
        return str(record.get(dimension) or "").strip()

    def _title(self, dimension: str, code: str) -> str:
        entry = self.code_lists.get(dimension, {}).get(code)
        return entry[0] if entry and entry[0] else code

    def _period(self, record: dict, where: Callable[[str], Callable[[], str]]) -> tuple[str, str, str | None]:
        """(canonical period, label, status from the period code list)."""
        if self.time is None:
            return self.fixed.code, self.fixed.label, None
        code = self._code(record, self.time)
        if code not in self._periods:
            try:
                canonical = parse_period(code).code
            except PeriodError as exc:
                raise CbsFormatError(f"{where(self.time)()}: {exc}") from None
            entry = self.code_lists.get(self.time, {}).get(code)
            self._periods[code] = (canonical, self._title(self.time, code), status_of(entry[1]) if entry else None)
        return self._periods[code]

    def cell(self, record: dict, where: Callable[[str], Callable[[], str]]) -> tuple:
        """The Observation fields before maat/waarde, and the status, for one record."""
        code = self._code(record, self.geo)
        if not code:
            raise CbsFormatError(f"{where(self.geo)()}: geen regiocode ingevuld.")
        region = normalize_region_code(code)
        entry = self.code_lists.get(self.geo, {}).get(code)
        label = entry[0] if entry and entry[0] else self.gemeente_names.get(region, region)
        period, period_label, status = self._period(record, where)
        dims = "|".join(f"{d}={self._title(d, self._code(record, d))}" for d in self.others)
        if self.status_dimension:
            status = status_of(self._title(self.status_dimension, self._code(record, self.status_dimension)))
        return (self.table, region, label, period, period_label, dims), status


def _parse_v3(bundle: _Bundle, gemeenten: dict[str, str], default_period: str | None):
    data_file = bundle.where(V3_DATA)
    if not bundle.has(V3_PROPERTIES):
        raise CbsFormatError(f"{data_file}: TypedDataSet zonder DataProperties.json; zonder DataProperties is niet te "
                             f"zien welke velden dimensies en welke onderwerpen zijn.")
    properties = bundle.json_records(V3_PROPERTIES)
    info = bundle.json_object(V3_TABLE_INFO)
    table = info.get("Identifier") or table_id_from_name(bundle.path)
    keyed = [p for p in properties if p.get("Key")]
    dimensions = [p["Key"] for p in keyed if p.get("Type") in V3_DIMENSION_TYPES]
    geo = next((p["Key"] for p in keyed if p.get("Type") in GEO_TYPES),
               next((d for d in dimensions if d in REGION_COLUMNS), None))
    time = next((p["Key"] for p in keyed if p.get("Type") == "TimeDimension"), None)
    # Text topics (Gemeentenaam_1, Codering_3, …: Datatype String) describe the region; they are no figures.
    measures = [p["Key"] for p in keyed if p.get("Type") == "Topic" and p.get("Datatype") != "String"]
    if geo is None:
        raise CbsFormatError(f"{bundle.where(V3_PROPERTIES)}: geen regiodimensie (GeoDimension).")
    if not measures:
        raise CbsFormatError(f"{bundle.where(V3_PROPERTIES)}: geen onderwerpen (Topic) met cijfers.")
    code_lists = {d: _code_list(bundle.json_records(f"{d}.json"), "Key") for d in dimensions if bundle.has(f"{d}.json")}
    fixed = None if time else _required_period(table, default_period, info.get("Period"), data_file)
    coder = _Coder(table, geo, time, [d for d in dimensions if d not in (geo, time)], code_lists, gemeenten, fixed)
    records = bundle.json_records(V3_DATA)
    observations = []
    for index, record in enumerate(records):
        def where(field: str, index=index, record=record) -> Callable[[], str]:
            return lambda: f"{data_file}, rij {index + 1} (ID {record.get('ID')}), veld {field}"

        cell, status = coder.cell(record, where)
        observations.extend(Observation(*cell, m, _number(record.get(m), where(m)), status) for m in measures)
    description = (f"CBS {table}, TypedDataSet (OData v3, JSON), {_count(len(records), 'rij', 'rijen')}, "
                   f"{_count(len(measures), 'onderwerp', 'onderwerpen')}{_period_note(fixed)}"
                   f"{_uncoded_note(observations)}")
    return description, observations


def _parse_v4(bundle: _Bundle, gemeenten: dict[str, str], default_period: str | None):
    data = _v4_table(bundle, V4_DATA)
    measure_types = {str(r.get("Identifier") or "").strip(): str(r.get("DataType") or "")
                     for r in _v4_table(bundle, V4_MEASURES).records}
    dimension_table = _v4_table(bundle, V4_DIMENSIONS, required=False)
    kinds = {str(r.get("Identifier") or "").strip(): r.get("Kind") for r in dimension_table.records} \
        if dimension_table else {}
    table = bundle.json_object(f"{V4_PROPERTIES}.json").get("Identifier") or table_id_from_name(bundle.path)
    dimensions = [c for c in (data.records[0] if data.records else {}) if c not in V4_FIXED_COLUMNS]
    geo = next((d for d in dimensions if kinds.get(d) in GEO_TYPES),
               next((d for d in dimensions if d in REGION_COLUMNS), None))
    time = next((d for d in dimensions if kinds.get(d) == "TimeDimension"),
                PERIOD_COLUMN if PERIOD_COLUMN in dimensions else None)
    if geo is None:
        raise CbsFormatError(f"{data.file}: geen regiokolom ({', '.join(REGION_COLUMNS)}) of GeoDimension.")
    code_lists = {}
    for dimension in dimensions:
        codes = _v4_table(bundle, f"{dimension}Codes", required=False)
        if codes:
            code_lists[dimension] = _code_list(codes.records, "Identifier")
    fixed = None if time else _required_period(table, default_period, None, data.file)
    coder = _Coder(table, geo, time, [d for d in dimensions if d not in (geo, time)], code_lists, gemeenten, fixed)
    observations = []
    for index, record in enumerate(data.records):
        def where(column: str, index=index) -> Callable[[], str]:
            return lambda: data.where(index, column)

        measure = str(record.get("Measure") or "").strip()
        if measure not in measure_types:
            raise CbsFormatError(f"{where('Measure')()}: onderwerp '{measure}' staat niet in MeasureCodes.")
        # Text measures carry their content in StringValue; they describe, they are no figures.
        if measure_types[measure].lower() == "string":
            continue
        cell, status = coder.cell(record, where)
        observations.append(Observation(*cell, measure, _number(record.get("Value"), where("Value")), status))
    description = (f"CBS {table}, Observations (OData v4, {'CSV' if data.is_csv else 'JSON'}), "
                   f"{_count(len(observations), 'observatie', 'observaties')}, "
                   f"{_count(len({o.maat for o in observations}), 'onderwerp', 'onderwerpen')}"
                   f"{_period_note(fixed)}{_uncoded_note(observations)}")
    return description, observations


# ------------------------------------------------------------------ for the data-quality gate


def observations_frame(observations: list[Observation]) -> pd.DataFrame:
    """The observations as a frame for the GX suite 'cbs'; 'regel' numbers them from 2 like lines under a header."""
    frame = pd.DataFrame(list(map(observation_values, observations)), columns=OBSERVATION_FIELDS)
    frame["waarde"] = frame["waarde"].astype(float)
    frame.insert(0, "regel", range(2, len(frame) + 2))
    return frame
