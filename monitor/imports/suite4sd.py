"""Suite4SD-style record exports: one row per record (a toekenning, an uitkering, a traject), pseudonymised.

Six export types, each recognised by its header (`detect_type`) and parsed into a typed frame (`parse`) with helper
columns that the Great Expectations suite `expectations/suite4sd_<type>.json` checks: `<kolom>_ongeldig` (text that
is no date or number), `<begin>_na_<eind>` (a period that ends before it starts), `<kolom>_in_toekomst`,
`regeling_onbekend` and `wijk_code` (the CBS code, empty when the wijk is not recognised). Each export is a full
snapshot: importing it supersedes the previous export of the same type. Column reference: docs/suite4sd.md.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from monitor.imports import bsn, readers
from monitor.imports.base import ImportRefused, Parsed
from monitor.store import PROJECT_DIR

SOURCE = "suite4sd"
LINE = readers.LINE
REGELINGEN_FILE = PROJECT_DIR / "data" / "regelingen_heemskerk.csv"
REGELINGEN_COLUMNS = ["code", "naam", "inkomensgrens_pct_wsm"]
WIJK_PREFIX = re.compile(r"^wijk\s+\d+\s+")


@dataclass(frozen=True)
class ExportType:
    table: str
    id_column: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()         # amounts, percentages and counts, Dutch or international notation
    whole_numbers: tuple[str, ...] = ()   # numbers that must be integers (counts, years)
    codes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    yes_no: tuple[str, ...] = ()          # J/N in the file, BOOLEAN in the database
    spans: tuple[tuple[str, str], ...] = ()  # (begin, eind): a record cannot end before it starts
    past: tuple[str, ...] = ()            # dates (or a year) of something that has already happened
    regeling_list: bool = False           # `regeling` is checked against the steward's regelingen list

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional

    @property
    def has_wijk(self) -> bool:
        return "wijk" in self.required

    @property
    def record_columns(self) -> tuple[str, ...]:
        """What is stored of each row: the file's columns and the resolved wijk code."""
        return self.columns + (("wijk_code",) if self.has_wijk else ())


TYPES: dict[str, ExportType] = {
    "toekenningen_minimaregelingen": ExportType(
        table="s4sd_toekenning", id_column="toekenning_id",
        required=("toekenning_id", "client_id", "huishouden_id", "regeling", "besluit", "aanvraagdatum",
                  "besluitdatum", "ingangsdatum", "einddatum", "bedrag", "wijk"),
        optional=("inkomen_pct_wsm", "aantal_kinderen"),
        dates=("aanvraagdatum", "besluitdatum", "ingangsdatum", "einddatum"),
        numbers=("bedrag", "inkomen_pct_wsm", "aantal_kinderen"), whole_numbers=("aantal_kinderen",),
        codes={"besluit": ("toegekend", "afgewezen", "ingetrokken")},
        spans=(("ingangsdatum", "einddatum"), ("aanvraagdatum", "besluitdatum")),
        past=("aanvraagdatum", "besluitdatum"), regeling_list=True,
    ),
    "uitkeringen_participatiewet": ExportType(
        table="s4sd_uitkering", id_column="uitkering_id",
        required=("uitkering_id", "client_id", "huishouden_id", "regeling", "ingangsdatum", "einddatum",
                  "reden_beeindiging", "wijk"),
        dates=("ingangsdatum", "einddatum"),
        codes={"regeling": ("PW", "IOAW", "IOAZ", "BBZ")},
        spans=(("ingangsdatum", "einddatum"),), past=("ingangsdatum",),
    ),
    "loonkostensubsidie": ExportType(
        table="s4sd_loonkostensubsidie", id_column="lks_id",
        required=("lks_id", "client_id", "werkgever_id", "startdatum", "einddatum", "loonwaarde_pct",
                  "uren_per_week", "uitkering_bij_start"),
        dates=("startdatum", "einddatum"), numbers=("loonwaarde_pct", "uren_per_week"),
        yes_no=("uitkering_bij_start",), spans=(("startdatum", "einddatum"),), past=("startdatum",),
    ),
    "inburgering": ExportType(
        table="s4sd_inburgering", id_column="client_id",
        required=("client_id", "vestigingsdatum", "pw_ingangsdatum", "pw_einddatum", "reden_uitstroom"),
        dates=("vestigingsdatum", "pw_ingangsdatum", "pw_einddatum"),
        spans=(("pw_ingangsdatum", "pw_einddatum"),), past=("vestigingsdatum", "pw_ingangsdatum"),
    ),
    "wmo_voorzieningen": ExportType(
        table="s4sd_wmo_voorziening", id_column="voorziening_id",
        required=("voorziening_id", "client_id", "voorziening", "soort", "ingangsdatum", "einddatum", "kosten",
                  "wijk"),
        dates=("ingangsdatum", "einddatum"), numbers=("kosten",),
        codes={"soort": ("maatwerk", "voorliggend")},
        spans=(("ingangsdatum", "einddatum"),), past=("ingangsdatum",),
    ),
    "jeugdhulp_trajecten": ExportType(
        table="s4sd_jeugdhulp_traject", id_column="traject_id",
        required=("traject_id", "client_id", "geboortejaar", "vorm", "met_verblijf", "ingangsdatum", "einddatum",
                  "kosten", "verwijzer", "wijk"),
        dates=("ingangsdatum", "einddatum"), numbers=("geboortejaar", "kosten"), whole_numbers=("geboortejaar",),
        codes={"vorm": ("specialistisch", "jeugdbescherming", "jeugdreclassering", "overig")},
        yes_no=("met_verblijf",), spans=(("ingangsdatum", "einddatum"),), past=("ingangsdatum", "geboortejaar"),
    ),
}


# ------------------------------------------------------------------ recognising


def detect_type(columns) -> str | None:
    """The export type of a header: the type whose required columns are all present, most required columns first.

    Failing that, the type whose id column is present with at least half of its required columns: such a file is
    then refused naming the missing columns, instead of as an unrecognised export.
    """
    present = set(columns)
    by_size = sorted(TYPES, key=lambda name: -len(TYPES[name].required))
    for name in by_size:
        if present.issuperset(TYPES[name].required):
            return name

    def share(name: str) -> float:
        return len(present.intersection(TYPES[name].required)) / len(TYPES[name].required)

    near = [name for name in by_size if TYPES[name].id_column in present and share(name) >= 0.5]
    return max(near, key=share, default=None)


# ------------------------------------------------------------------ parsing


def parse(table: readers.TableFile, wijken: dict[str, str], regelingen: dict[str, str],
          declared_type: str | None = None) -> Parsed:
    """Refuse what must never be read (a BSN anywhere, missing columns), type the rest and flag row problems for GX.

    A formula cell does not refuse the file here but becomes a critical finding in `Parsed.findings`, so the
    steward sees it together with every other problem of the file.
    """
    columns = [c for c in table.frame.columns if c != LINE]
    type_name = declared_type or detect_type(columns)
    if type_name is None:
        raise ImportRefused(table.name, "is geen Suite4SD-export: de kolommen passen bij geen van de soorten "
                                        f"({', '.join(TYPES)}). Gebruik een sjabloon uit data/templates/.")
    if type_name not in TYPES:
        raise ImportRefused(table.name, f"onbekend Suite4SD-exporttype '{type_name}'; kies uit {', '.join(TYPES)}.")
    kind = TYPES[type_name]
    bsn.refuse(table.name, table.frame, bsn_exempt(kind))
    extra = readers.check_columns(table, list(kind.required), f"Suite4SD-export {type_name}")
    extra = [c for c in extra if c not in kind.optional]
    # The span checks are columns of their own (ingangsdatum_na_einddatum); a file column by that name would be lost.
    readers.refuse_taken_names(columns, [f"{begin}_na_{end}" for begin, end in kind.spans], table.name)
    findings = [readers.formula_finding(table.frame, columns, set(kind.numbers)),
                readers.serial_date_finding(table.frame, kind.dates)]
    frame = typed_frame(table.frame, kind, wijken, regelingen, pd.Timestamp.today().normalize())
    return Parsed(
        source=SOURCE, detected_type=f"Suite4SD {type_name}", frame=frame, suite=f"suite4sd_{type_name}",
        supersede_key=f"suite4sd:{type_name}", periods=[],
        store=partial(store_rows, frame=frame, kind=kind, extra=extra),
        findings=[f for f in findings if f], shown=table.frame,
    )


def bsn_exempt(kind: ExportType) -> dict[str, str]:
    """Dates and numbers of the type may look like a BSN without being one (monitor/imports/bsn.py)."""
    return {**dict.fromkeys(kind.numbers, bsn.NUMBER), **dict.fromkeys(kind.dates, bsn.DATE)}


def typed_frame(raw: pd.DataFrame, kind: ExportType, wijken: dict[str, str], regelingen: dict[str, str],
                today: pd.Timestamp) -> pd.DataFrame:
    """The file's rows with typed values and the helper columns the suite checks; extra columns stay text."""
    frame = raw.copy(deep=False)
    for column in kind.optional:
        if column not in frame.columns:
            frame[column] = ""
    for column in kind.dates:
        frame[column], frame[f"{column}_ongeldig"] = on_distinct(frame[column], readers.parse_dates)
    for column in kind.numbers:
        frame[column], frame[f"{column}_ongeldig"] = on_distinct(frame[column], readers.parse_amounts)
    for column in kind.whole_numbers:
        frame[f"{column}_ongeldig"] |= frame[column].notna() & (frame[column] % 1 != 0)
    for column in [c for c in frame.columns.drop(LINE) if frame[c].dtype == "str"]:
        frame[column] = _clean_text(frame[column])
    for column, allowed in kind.codes.items():
        frame[column] = _normalise_code(frame[column], allowed)
    for column in kind.yes_no:
        frame[column] = frame[column].str.upper()
    for begin, end in kind.spans:
        frame[f"{begin}_na_{end}"] = frame[begin] > frame[end]
    for column in kind.past:
        frame[f"{column}_in_toekomst"] = frame[column] > (today if column in kind.dates else today.year)
    if kind.regeling_list:
        frame["regeling"] = frame["regeling"].str.upper()
        known = frame["regeling"].isin([code.upper() for code in regelingen])
        frame["regeling_onbekend"] = (frame["regeling"].notna() & ~known).to_numpy(dtype=bool)
    if kind.has_wijk:
        frame["wijk_code"] = resolve_wijken(frame["wijk"], wijken)
    # Great Expectations fingerprints the whole frame before validating; a few distinct values hash ~5x faster as
    # a category than as text, which matters at a million rows.
    for column in _few_values(kind):
        frame[column] = frame[column].astype("category")
    return frame


def _clean_text(values: pd.Series) -> pd.Series:
    """Spaces around a value are export noise; an empty cell is a missing value (null), so GX can count it."""
    text = values.fillna("").str.strip()
    return text.where(text != "")


def _few_values(kind: ExportType) -> list[str]:
    """Columns with a handful of distinct values: codes, J/N and wijken."""
    wijk = ["wijk", "wijk_code"] if kind.has_wijk else []
    return [*kind.codes, *kind.yes_no, *(["regeling"] if kind.regeling_list else []), *wijk]


def on_distinct(values: pd.Series, parser) -> tuple[pd.Series, pd.Series]:
    """Run a reader's (values, bad) parser once per distinct text: exports repeat the same dates and amounts a lot."""
    codes, uniques = pd.factorize(values.fillna(""))
    parsed, bad = parser(pd.Series(uniques, dtype="str"))
    return (pd.Series(parsed.to_numpy()[codes], index=values.index),
            pd.Series(bad.to_numpy()[codes], index=values.index))


def _normalise_code(values: pd.Series, allowed: tuple[str, ...]) -> pd.Series:
    """Exports differ in capitals ('Toegekend', 'pw'); compare in the case the code list is written in."""
    return values.str.upper() if allowed[0].isupper() else values.str.lower()


def _fold(text: str) -> str:
    """Case, accents and spacing do not matter when a wijk is written by name."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return " ".join(plain.casefold().split())


def wijk_lookup(wijken: dict[str, str]) -> dict[str, str]:
    """Every accepted spelling → CBS code: the code, the CBS name ('Wijk 03 Hofland, …') and the name without
    'Wijk 03'."""
    lookup = {}
    for code, name in wijken.items():
        folded = _fold(name)
        for key in (code, folded, WIJK_PREFIX.sub("", folded)):
            lookup[_fold(key)] = code.strip()
    return lookup


def resolve_wijken(values: pd.Series, wijken: dict[str, str]) -> pd.Series:
    """The CBS code per row, empty when the wijk is empty or unknown; looked up once per distinct spelling."""
    lookup = wijk_lookup(wijken)
    codes, uniques = pd.factorize(values)
    # factorize numbers an empty value -1, which picks the trailing None.
    resolved = np.array([lookup.get(_fold(u)) for u in uniques] + [None], dtype=object)
    return pd.Series(resolved[codes], index=values.index, dtype="str")


# ------------------------------------------------------------------ storing


def store_rows(con: duckdb.DuckDBPyConnection, import_id: int, *, frame: pd.DataFrame, kind: ExportType,
               extra: list[str]) -> int:
    """One INSERT … SELECT from the frame, never row by row.

    The frame goes to DuckDB as an Arrow table: its text columns already are Arrow arrays, so that costs no copy and
    DuckDB scans it faster than a DataFrame.
    """
    view = f"suite4sd_rows_{import_id}"
    con.register(view, pa.Table.from_pandas(frame[[*kind.record_columns, *extra]], preserve_index=False))
    try:
        con.execute(f"INSERT INTO {kind.table} ({', '.join(stored_columns(kind))}) SELECT "
                    f"{', '.join(_select_list(kind, extra))}, ? FROM {view}", [import_id])
    finally:
        con.unregister(view)
    return len(frame)


def stored_columns(kind: ExportType) -> list[str]:
    return [*kind.record_columns, "extra", "import_id"]


def _select_list(kind: ExportType, extra: list[str]) -> list[str]:
    values = [f'("{c}" = \'J\')' if c in kind.yes_no else f'"{c}"' for c in kind.record_columns]
    return [*values, _extra_json(extra)]


def _extra_json(extra: list[str]) -> str:
    """Extra columns are kept as one JSON object per row, built by DuckDB so it costs no Python loop."""
    if not extra:
        return "NULL"
    fields = ", ".join(f'"{_quoted(c)}" := "{_quoted(c)}"' for c in extra)
    return f"to_json(struct_pack({fields}))"


def _quoted(name: str) -> str:
    return name.replace('"', '""')


# ------------------------------------------------------------------ regelingen


def read_regelingen(path: Path = REGELINGEN_FILE) -> pd.DataFrame:
    """The steward's list of minimaregelingen (code;naam;inkomensgrens_pct_wsm), checked so a typo is caught here."""
    table = readers.read_tabular(path)
    readers.check_columns(table, REGELINGEN_COLUMNS, "regelingenlijst")
    frame = table.frame[REGELINGEN_COLUMNS].apply(lambda c: c.str.strip())
    frame["code"] = frame["code"].str.upper()
    grens, bad = readers.parse_amounts(frame["inkomensgrens_pct_wsm"])
    problems = [f"regel {line}: inkomensgrens '{value}' is geen getal" for line, value in
                zip(table.frame.loc[bad, LINE], frame.loc[bad, "inkomensgrens_pct_wsm"])]
    problems += [f"code {code} staat er meer dan eens in" for code in frame.loc[frame["code"].duplicated(), "code"]]
    problems += [f"regel {line}: code of naam is leeg" for line in
                 table.frame.loc[(frame["code"] == "") | (frame["naam"] == ""), LINE]]
    if problems:
        raise ImportRefused(table.name, "; ".join(problems) + ". Corrigeer de regelingenlijst.")
    frame["inkomensgrens_pct_wsm"] = grens
    return frame


def load_regelingen(path: Path = REGELINGEN_FILE) -> dict[str, str]:
    """code → naam: the regelingen a toekenning may refer to."""
    frame = read_regelingen(path)
    return dict(zip(frame["code"], frame["naam"]))


def save_regelingen(con: duckdb.DuckDBPyConnection, path: Path = REGELINGEN_FILE) -> int:
    """Replace the table `regeling` with the list: the file is the source, as the plan file is for the catalogue."""
    frame = read_regelingen(path)
    con.execute("DELETE FROM regeling")
    con.register("regelingen_lijst", frame)
    try:
        con.execute("INSERT INTO regeling SELECT code, naam, inkomensgrens_pct_wsm FROM regelingen_lijst")
    finally:
        con.unregister("regelingen_lijst")
    return len(frame)
