"""Read a steward's CSV or XLSX into a frame of text, refusing what cannot be read with a Dutch message.

Handles what real exports bring: `;` or `,`, UTF-8 with or without BOM or Windows-1252, a header only, a truncated
last line, Excel formula cells, workbooks with several sheets. Also the shared value parsers (Dutch dates and
amounts), so every format module reads the same things in the same way. BSNs: monitor/imports/bsn.py.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from monitor.imports.base import CRITICAL, Finding, ImportRefused

LINE = "regel"
XLSX_MAGIC = b"PK\x03\x04"
DELIMITERS = (";", ",", "\t")
FORMULA_START = ("=", "+", "-", "@")
MAX_LISTED = 5


@dataclass
class TableFile:
    name: str
    frame: pd.DataFrame            # every column as text, plus LINE: the line (CSV) or row (XLSX) in the file
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)


def lines_text(lines) -> str:
    listed = ", ".join(str(n) for n in list(lines)[:MAX_LISTED])
    return listed + (" …" if len(lines) > MAX_LISTED else "")


def read_tabular(path: Path, name: str | None = None) -> TableFile:
    path = Path(path)
    name = name or path.name
    data = path.read_bytes()
    if not data.strip():
        raise ImportRefused(name, "het bestand is leeg. Exporteer het opnieuw.")
    if data.startswith(XLSX_MAGIC):
        return _read_xlsx(data, name)
    if path.suffix.lower() in (".xlsx", ".xls"):
        raise ImportRefused(name, "heeft de extensie van een Excel-bestand maar is geen XLSX. Sla het op als .xlsx "
                                  "(Excel-werkmap) of als CSV.")
    return _read_csv(data, name)


def _decode(data: bytes, name: str) -> tuple[str, str]:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ImportRefused(name, "is opgeslagen als UTF-16 (Excel: 'Unicode-tekst'). Sla het op als 'CSV UTF-8 "
                                  "(door komma's gescheiden)' en lever opnieuw aan.")
    if b"\x00" in data[:4096]:
        raise ImportRefused(name, "is geen tekstbestand (CSV) en geen XLSX. Lever een CSV- of XLSX-export aan.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ImportRefused(name, "de tekencodering is niet herkend (geen UTF-8 en geen Windows-1252). Exporteer als "
                              "CSV UTF-8.")


def _sniff_delimiter(header: str, name: str) -> str:
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    if counts[best] == 0:
        raise ImportRefused(name, "in de kopregel staat geen scheidingsteken (; of ,). Controleer of dit een "
                                  "CSV-export met kolommen is.")
    return best


def _field_counts(text: str, delimiter: str) -> list[int]:
    """Fields per non-blank line, respecting quotes; only used to explain a file that did not parse."""
    return [len(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter) if row]


def _refuse_field_counts(text: str, delimiter: str, name: str) -> None:
    counts = _field_counts(text, delimiter)
    # Line numbers as a spreadsheet shows them: the header is line 1 (blank lines are not counted).
    wrong = [i for i, count in enumerate(counts) if count != counts[0]]
    lines = [i + 1 for i in wrong]
    if any(counts[i] > counts[0] for i in wrong):
        raise ImportRefused(name, f"regel {lines_text(lines)} heeft meer velden dan de kopregel. Staat er een "
                                  f"'{delimiter}' in een waarde zonder aanhalingstekens? Corrigeer de regel of "
                                  "exporteer opnieuw.")
    cut = " Het bestand lijkt afgekapt." if wrong and wrong[-1] == len(counts) - 1 and not text.endswith("\n") else ""
    raise ImportRefused(name, f"regel {lines_text(lines)} heeft minder velden dan de kopregel.{cut} Exporteer "
                              "het bestand opnieuw of vul de ontbrekende velden aan.")


def _read_csv(data: bytes, name: str) -> TableFile:
    text, encoding = _decode(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    header_line = text.split("\n", 1)[0]
    delimiter = _sniff_delimiter(header_line, name)
    header = [h.strip() for h in next(csv.reader([header_line], delimiter=delimiter))]
    _refuse_bad_header(header, name)
    invalid = []

    def note_invalid(row) -> str:
        invalid.append(row)
        return "skip"

    # pyarrow's reader is an order of magnitude faster than pandas' for million-row exports.
    table = pacsv.read_csv(
        io.BytesIO(text.encode("utf-8")),
        read_options=pacsv.ReadOptions(skip_rows=1, column_names=header),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, invalid_row_handler=note_invalid),
        convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in header},
                                             strings_can_be_null=False, quoted_strings_can_be_null=False),
    )
    if invalid:
        _refuse_field_counts(text, delimiter, name)
    if table.num_rows == 0:
        raise ImportRefused(name, "bevat alleen een kopregel en geen gegevens. Exporteer opnieuw met gegevens.")
    frame = table.to_pandas()
    frame.insert(0, LINE, _line_numbers(text) if "\n\n" in text.rstrip("\n") else range(2, len(frame) + 2))
    notes = ["tekencodering Windows-1252 herkend"] if encoding == "cp1252" else []
    return TableFile(name, frame, encoding=encoding, delimiter=delimiter, notes=notes)


def _line_numbers(text: str) -> list[int]:
    """Line in the file of each data row when blank lines sit between them (which the reader skips)."""
    return [n for n, line in enumerate(text.split("\n"), start=1) if line.strip()][1:]


def _refuse_bad_header(header: list[str], name: str) -> None:
    blank = [i + 1 for i, c in enumerate(header) if not c]
    if blank:
        raise ImportRefused(name, f"kolom {lines_text(blank)} in de kopregel heeft geen naam. Geef elke kolom een naam.")
    doubles = sorted({c for c in header if header.count(c) > 1})
    if doubles:
        raise ImportRefused(name, f"kolomnaam komt dubbel voor in de kopregel: {', '.join(doubles)}.")


def _read_xlsx(data: bytes, name: str) -> TableFile:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise ImportRefused(name, f"het Excel-bestand kan niet gelezen worden ({exc}). Sla het opnieuw op als .xlsx.") from exc
    sheets = [ws for ws in workbook.worksheets if ws.max_row and ws.max_row > 0 and _has_values(ws)]
    if len(sheets) > 1:
        names = ", ".join(ws.title for ws in sheets)
        raise ImportRefused(name, f"bevat {len(sheets)} werkbladen met gegevens ({names}). Zet de export op één "
                                  "werkblad of sla het juiste werkblad apart op.")
    if not sheets:
        raise ImportRefused(name, "het Excel-bestand bevat geen gegevens.")
    sheet = sheets[0]
    rows, formulas = [], []
    for row_number, row in enumerate(sheet.iter_rows(), start=1):
        values = []
        for cell in row:
            if cell.data_type == "f":
                formulas.append(f"{cell.coordinate}")
            values.append(_cell_text(cell.value))
        rows.append(values)
    if formulas:
        raise ImportRefused(name, f"werkblad '{sheet.title}' bevat formules in cel {lines_text(formulas)}. Plak de "
                                  "waarden als tekst/getal (Plakken speciaal → Waarden) en lever opnieuw aan.")
    while rows and not any(rows[-1]):
        rows.pop()
    header = [h.strip() for h in rows[0]]
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    body = [r[:width] + [""] * (width - len(r)) for r in rows[1:]]
    _refuse_bad_header(header[:width], name)
    frame = pd.DataFrame(body, columns=header[:width], dtype=str)
    if frame.empty:
        raise ImportRefused(name, "bevat alleen een kopregel en geen gegevens. Exporteer opnieuw met gegevens.")
    frame.insert(0, LINE, range(2, len(frame) + 2))
    return TableFile(name, frame, sheet=sheet.title)


def _has_values(sheet) -> bool:
    return any(cell is not None and str(cell).strip() for row in sheet.iter_rows(values_only=True) for cell in row)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def check_columns(table: TableFile, required: list[str], what: str) -> list[str]:
    """Refuse when a required column is missing; return the extra columns (kept as they are)."""
    present = [c for c in table.frame.columns if c != LINE]
    missing = [c for c in required if c not in present]
    if missing:
        raise ImportRefused(table.name, f"als {what} ontbreekt kolom {', '.join(missing)}. Aanwezig: "
                                        f"{', '.join(present)}. Gebruik het sjabloon in data/templates/.")
    return [c for c in present if c not in required]


def formula_finding(frame: pd.DataFrame, columns: list[str], numeric: set[str]) -> Finding | None:
    """Text that Excel would run as a formula (=, +, -, @). A signed number in a number column is not one."""
    hits: list[tuple[int, str]] = []
    for column in columns:
        values = frame[column]
        first = values.str[:1]
        suspect = first.isin(FORMULA_START)
        if column in numeric:
            suspect &= ~values.str.fullmatch(r"[+-]?[\d.,]+")
        for line in frame.loc[suspect, LINE].head(MAX_LISTED):
            hits.append((int(line), column))
    if not hits:
        return None
    listed = ", ".join(f"regel {line} kolom {column}" for line, column in hits[:MAX_LISTED])
    return Finding("formulecellen", CRITICAL, False, f"waarden die als Excel-formule beginnen (=, +, -, @): {listed}. "
                   "Verwijder het teken of zet de waarde als tekst; zulke cellen worden niet geïmporteerd.",
                   rows=len(hits), column=hits[0][1])


DATE_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_NL = re.compile(r"^\d{1,2}-\d{1,2}-\d{4}$")


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(dates, bad) for dd-mm-jjjj or jjjj-mm-dd text; empty stays NaT and is not bad."""
    text = values.str.strip()
    iso = pd.to_datetime(text.where(text.str.match(DATE_ISO)), format="%Y-%m-%d", errors="coerce")
    dutch = pd.to_datetime(text.where(text.str.match(DATE_NL)), format="%d-%m-%Y", errors="coerce")
    parsed = iso.fillna(dutch)
    bad = parsed.isna() & (text != "")
    return parsed, bad


def parse_amounts(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(numbers, bad) for '1.234,56', '1234,56', '1234.56', '-5'; empty stays NaN and is not bad."""
    text = values.str.strip().str.replace(r"^€\s*", "", regex=True)
    comma = text.str.contains(",", regex=False)
    normalised = text.where(~comma, text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    numbers = pd.to_numeric(normalised.where(normalised != ""), errors="coerce")
    bad = numbers.isna() & (text != "")
    return numbers, bad


def csv_text(rows: list[list[str]], delimiter: str = ";") -> str:
    """Rows as CSV text (used to write templates and test files in the same dialect as the readers expect)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue()
