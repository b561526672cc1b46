"""Read a steward's CSV or XLSX into a frame of text, refusing what cannot be read with a Dutch message.

Handles what real exports bring: `;` or `,`, UTF-8 with or without BOM or Windows-1252, a header only, a truncated
last line, Excel formula cells, workbooks with several sheets. Also the shared value parsers (Dutch dates and
amounts), so every format module reads the same things in the same way. BSNs: monitor/imports/bsn.py.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from monitor.imports.base import CRITICAL, Finding, ImportRefused

LINE = "regel"
XLSX_MAGIC = b"PK\x03\x04"
DELIMITERS = (";", ",", "\t")
FORMULA_START = ("=", "+", "-", "@")
MAX_LISTED = 5
# Names the monitor gives its own columns: a file column with such a name would be overwritten or crash the import.
RESERVED = ("regel", "import_id", "extra", "vervangen_door", "wijk_code", "regeling_onbekend")
RESERVED_SUFFIXES = ("_ongeldig", "_in_toekomst")
# pyarrow needs every record inside one block; its default block is 1 MiB.
MIN_BLOCK = 1 << 20
# Excel counts days from 30-12-1899; five digits is 1927..2173, the range a date in an export has.
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_SERIAL = r"\d{5}(?:[.,]\d+)?"


@dataclass
class TableFile:
    name: str
    frame: pd.DataFrame            # every column as text, plus LINE: the line (CSV) or row (XLSX) in the file
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)
    rows_in_file: int = 0          # data records in the file, counted independently of the fast reader


def lines_text(lines) -> str:
    listed = ", ".join(str(n) for n in list(lines)[:MAX_LISTED])
    return listed + (" …" if len(lines) > MAX_LISTED else "")


def read_tabular(path: Path, name: str | None = None) -> TableFile:
    path = Path(path)
    name = name or path.name
    if path.is_dir():
        raise ImportRefused(name, "is een map en geen CBS-export (er staan geen CBS-bestanden zoals "
                                  "TypedDataSet.json of Observations.json in). Geef een CSV- of XLSX-bestand op, of "
                                  "een map of zip met een CBS-export.")
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
    try:
        return data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        _refuse_mixed_encoding(data, name)
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise ImportRefused(name, "de tekencodering is niet herkend (geen UTF-8 en geen Windows-1252). Exporteer als "
                                  "CSV UTF-8.") from None


def _refuse_mixed_encoding(data: bytes, name: str) -> None:
    """A file that is neither all UTF-8 nor all Windows-1252 would be stored as mojibake on some of its lines."""
    utf8, other = [], []
    for number, line in enumerate(data.split(b"\n"), start=1):
        if not line.isascii():
            try:
                line.decode("utf-8")
                utf8.append(number)
            except UnicodeDecodeError:
                other.append(number)
    if not (utf8 and other):
        return
    odd, odd_name, rest_name = (other, "Windows-1252", "UTF-8") if len(other) <= len(utf8) else \
        (utf8, "UTF-8", "Windows-1252")
    raise ImportRefused(name, f"regel {lines_text(odd)} is opgeslagen als {odd_name}, de rest van het bestand als "
                              f"{rest_name}. Zo'n mengsel wordt niet ingelezen (letters als é zouden verminkt "
                              "worden). Sla het hele bestand op als 'CSV UTF-8' en lever opnieuw aan.",
                        rows_in_file=_lenient_record_count(data))


def _lenient_record_count(data: bytes) -> int:
    """Data records of a file refused for its encoding, so the refusal still accounts for every row: Latin-1 never
    fails and keeps the ASCII delimiters, quotes and line breaks where they are."""
    text = data.decode("latin-1").replace("\r\n", "\n").replace("\r", "\n")
    header = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=header.count)
    rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in row)]
    return max(len(rows) - 1, 0)


def _sniff_delimiter(header: str, name: str) -> str:
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    if counts[best] == 0:
        raise ImportRefused(name, "in de kopregel staat geen scheidingsteken (; of ,). Controleer of dit een "
                                  "CSV-export met kolommen is.")
    return best


@dataclass
class _Records:
    """The data records of a CSV as Python's csv module (or, without quotes, the lines) see them."""

    lines: np.ndarray      # physical line where each data record starts
    longest: int           # bytes of the longest record, header included
    counts: list[int] | None = None  # fields per record (header first), when already counted


def _line_spans(encoded: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(start, end) byte offset of every physical line."""
    breaks = np.flatnonzero(np.frombuffer(encoded, dtype=np.uint8) == ord("\n"))
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(encoded)]))
    return starts, ends


def _count_records(text: str, encoded: bytes, delimiter: str, name: str) -> _Records:
    starts, ends = _line_spans(encoded)
    if '"' not in text:
        # Without quotes a record is a non-empty line.
        filled = np.flatnonzero(ends > starts)
        return _Records(filled[1:] + 1, int((ends - starts).max()))
    first_lines, counts = [], []
    previous = 0
    limit = csv.field_size_limit()
    # A cell of several MB is a valid cell; the csv module refuses fields over 128 KiB unless told otherwise.
    csv.field_size_limit(max(limit, len(text)))
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    try:
        for row in reader:
            if row:
                first_lines.append(previous + 1)
                counts.append(len(row))
                if len(first_lines) == 1 and reader.line_num > 1:
                    raise ImportRefused(name, "de kopregel loopt door over meer dan één regel (een regeleinde "
                                              "binnen aanhalingstekens). Zet elke kolomnaam op de eerste regel.")
            previous = reader.line_num
    except csv.Error:
        # The records read so far, and from the open quote on every non-empty line, less the header: what the steward
        # sees in a spreadsheet, so the refusal accounts for every row.
        counted = len(first_lines) + int(np.count_nonzero(ends[previous:] > starts[previous:])) - 1
        raise ImportRefused(name, f"regel {previous + 1}: een aanhalingsteken (\") in deze regel wordt niet (goed) "
                                  "gesloten, waardoor de regels erna in één cel zouden vallen. Sluit de waarde af "
                                  "met een aanhalingsteken of verwijder het, en lever opnieuw aan.",
                            rows_in_file=counted) from None
    finally:
        csv.field_size_limit(limit)
    record_starts = starts[np.array(first_lines) - 1]
    longest = int(np.diff(np.append(record_starts, len(encoded))).max())
    return _Records(np.array(first_lines[1:]), longest, counts)


def _refuse_field_counts(counts: list[int], lines, delimiter: str, truncated: bool, name: str) -> None:
    """counts: fields of the header and each data record; lines: where each data record starts."""
    wrong = [i for i, count in enumerate(counts[1:]) if count != counts[0]]
    if not wrong:
        return
    listed = lines_text([int(lines[i]) for i in wrong])
    if any(counts[i + 1] > counts[0] for i in wrong):
        raise ImportRefused(name, f"regel {listed} heeft meer velden dan de kopregel. Staat er een "
                                  f"'{delimiter}' in een waarde zonder aanhalingstekens? Corrigeer de regel of "
                                  "exporteer opnieuw.", rows_in_file=len(counts) - 1)
    cut = " Het bestand lijkt afgekapt." if truncated and wrong[-1] == len(counts) - 2 else ""
    raise ImportRefused(name, f"regel {listed} heeft minder velden dan de kopregel.{cut} Exporteer "
                              "het bestand opnieuw of vul de ontbrekende velden aan.", rows_in_file=len(counts) - 1)


def _read_csv(data: bytes, name: str) -> TableFile:
    text, encoding = _decode(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    header_line = text.split("\n", 1)[0]
    delimiter = _sniff_delimiter(header_line, name)
    header = [h.strip() for h in next(csv.reader([header_line], delimiter=delimiter))]
    _refuse_bad_header(header, name)
    encoded = text.encode("utf-8")
    records = _count_records(text, encoded, delimiter, name)
    truncated = not text.endswith("\n")
    if records.counts:
        _refuse_field_counts(records.counts, records.lines, delimiter, truncated, name)
    invalid = []

    def note_invalid(row) -> str:
        invalid.append(row)
        return "skip"

    quoted = records.counts is not None
    try:
        # pyarrow's reader is an order of magnitude faster than pandas' for million-row exports.
        table = pacsv.read_csv(
            io.BytesIO(encoded),
            read_options=pacsv.ReadOptions(skip_rows=1, column_names=header,
                                           block_size=max(MIN_BLOCK, 2 * records.longest + 1)),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, invalid_row_handler=note_invalid,
                                             newlines_in_values=quoted),
            convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in header},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except pa.ArrowException:
        raise ImportRefused(name, "het bestand kan niet als CSV gelezen worden (de regels zijn niet eenduidig in "
                                  "velden te verdelen). Controleer aanhalingstekens en scheidingstekens, of "
                                  "exporteer opnieuw.", rows_in_file=len(records.lines)) from None
    if invalid and not quoted:
        # Without quotes every non-empty line is one record, so its fields are its delimiters plus one.
        lines = [line for line in text.split("\n") if line]
        counts = [line.count(delimiter) + 1 for line in lines]
        _refuse_field_counts(counts, records.lines, delimiter, truncated, name)
    if table.num_rows == 0 and len(records.lines) == 0:
        raise ImportRefused(name, "bevat alleen een kopregel en geen gegevens. Exporteer opnieuw met gegevens.")
    if table.num_rows != len(records.lines):
        raise ImportRefused(name, f"de telling vindt {len(records.lines)} regels met gegevens, maar de lezer "
                                  f"{table.num_rows}. Het bestand wordt niet half ingelezen. Controleer "
                                  "aanhalingstekens (\") en regeleinden in waarden, of exporteer opnieuw.",
                            rows_in_file=len(records.lines))
    frame = table.to_pandas()
    frame.insert(0, LINE, records.lines)
    notes = ["tekencodering Windows-1252 herkend"] if encoding == "cp1252" else []
    return TableFile(name, frame, encoding=encoding, delimiter=delimiter, notes=notes,
                     rows_in_file=len(records.lines))


def _refuse_bad_header(header: list[str], name: str) -> None:
    blank = [i + 1 for i, c in enumerate(header) if not c]
    if blank:
        raise ImportRefused(name, f"kolom {lines_text(blank)} in de kopregel heeft geen naam. Geef elke kolom een naam.")
    formulas = [c for c in header if c.startswith(FORMULA_START)]
    if formulas:
        raise ImportRefused(name, f"kolomnaam {', '.join(formulas[:MAX_LISTED])} begint als een Excel-formule (=, +, "
                                  "-, @). Geef de kolom een gewone naam en lever opnieuw aan.")
    folded = [c.casefold() for c in header]
    doubles = [c for c, f in zip(header, folded) if folded.count(f) > 1]
    if doubles:
        raise ImportRefused(name, f"kolomnaam komt dubbel voor in de kopregel (hoofdletters tellen niet mee): "
                                  f"{', '.join(doubles)}. Hernoem de kolommen zodat elke naam één keer voorkomt, "
                                  "anders gaat een van de waarden verloren.")
    refuse_taken_names(header, RESERVED, name)


def refuse_taken_names(header: list[str], taken, name: str) -> None:
    """A column named like one the monitor adds itself (regel, extra, bedrag_ongeldig) would lose its values."""
    taken = {t.casefold() for t in taken}
    clashes = [c for c in header if c.casefold() in taken or c.casefold().endswith(RESERVED_SUFFIXES)]
    if clashes:
        raise ImportRefused(name, f"kolom {', '.join(clashes)} heeft een naam die de monitor zelf gebruikt "
                                  f"({', '.join(sorted(taken))} en namen op {', '.join(RESERVED_SUFFIXES)}). "
                                  "Hernoem die kolom in het bestand (bijv. 'bron_" + clashes[0] + "') en lever "
                                  "opnieuw aan.")


def _read_xlsx(data: bytes, name: str) -> TableFile:
    from openpyxl import load_workbook

    _refuse_plain_zip(data, name)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many types, in English, for a damaged workbook
        raise ImportRefused(name, "het Excel-bestand is beschadigd of geen geldige werkmap. Open het in Excel, sla "
                                  "het opnieuw op als .xlsx (Excel-werkmap) en lever opnieuw aan.") from None
    sheets = []
    for worksheet in workbook.worksheets:
        # Read-only mode trusts the sheet's <dimension> tag, which some programs write wrong (A1:K3 over 100 rows).
        worksheet.reset_dimensions()
        rows = [list(row) for row in worksheet.iter_rows()]
        if any(_cell_text(getattr(cell, "value", None)) for row in rows for cell in row):
            sheets.append((worksheet.title, rows))
    if len(sheets) > 1:
        names = ", ".join(title for title, _ in sheets)
        raise ImportRefused(name, f"bevat {len(sheets)} werkbladen met gegevens ({names}). Zet de export op één "
                                  "werkblad of sla het juiste werkblad apart op.")
    if not sheets:
        raise ImportRefused(name, "het Excel-bestand bevat geen gegevens.")
    title, cells = sheets[0]
    return _sheet_table(title, cells, name)


def _refuse_plain_zip(data: bytes, name: str) -> None:
    """A zip that is no workbook (a zip of CSVs, say) would otherwise get openpyxl's English error."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as bundle:
            members = bundle.namelist()
    except zipfile.BadZipFile:
        raise ImportRefused(name, "begint als een zip- of Excel-bestand maar is beschadigd. Sla het opnieuw op en "
                                  "lever opnieuw aan.") from None
    if "xl/workbook.xml" not in members:
        raise ImportRefused(name, f"is een zip-bestand, maar geen Excel-werkmap en geen CBS-export (het bevat "
                                  f"{lines_text(members)}). Pak het uit en importeer de bestanden één voor één.")


def _sheet_table(title: str, cells: list[list], name: str) -> TableFile:
    """The header is the first non-empty row; every line number is the row number Excel shows."""
    from openpyxl.utils import get_column_letter

    formulas, errors, rows = [], [], []
    for row_number, row in enumerate(cells, start=1):
        values = []
        for column, cell in enumerate(row, start=1):
            kind = getattr(cell, "data_type", None)
            if kind == "f":
                formulas.append(f"{get_column_letter(column)}{row_number}")
            elif kind == "e":
                errors.append(f"{get_column_letter(column)}{row_number} ({cell.value})")
            values.append(_cell_text(getattr(cell, "value", None)))
        if any(values):
            rows.append((row_number, values))
    # A refused sheet still accounts for its rows: every non-empty row below the header.
    counted = max(len(rows) - 1, 0)
    if formulas:
        raise ImportRefused(name, f"werkblad '{title}' bevat formules in cel {lines_text(formulas)}. Plak de "
                                  "waarden als tekst/getal (Plakken speciaal → Waarden) en lever opnieuw aan.",
                            rows_in_file=counted)
    if errors:
        raise ImportRefused(name, f"werkblad '{title}' bevat foutwaarden in cel {lines_text(errors)}. Herstel de "
                                  "formule of vul de juiste waarde in, plak als waarden en lever opnieuw aan.",
                            rows_in_file=counted)
    _, header = rows[0]
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    header = header[:width]
    try:
        _refuse_bad_header(header, name)
    except ImportRefused as refusal:
        refusal.rows_in_file = counted
        raise
    outside = [f"{get_column_letter(c)}{n}" for n, values in rows[1:] for c in range(width + 1, len(values) + 1)
               if values[c - 1]]
    if outside:
        raise ImportRefused(name, f"werkblad '{title}' heeft waarden rechts van de laatste kolom met een kopnaam "
                                  f"({get_column_letter(width)}): cel {lines_text(outside)}. Geef die kolom een naam "
                                  "in de kopregel of verwijder de waarden, en lever opnieuw aan.", rows_in_file=counted)
    body = [values[:width] + [""] * (width - len(values)) for _, values in rows[1:]]
    frame = pd.DataFrame(body, columns=header, dtype=str)
    if frame.empty:
        raise ImportRefused(name, "bevat alleen een kopregel en geen gegevens. Exporteer opnieuw met gegevens.")
    frame.insert(0, LINE, [n for n, _ in rows[1:]])
    return TableFile(name, frame, sheet=title, rows_in_file=len(frame))


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
    """Text that Excel would run as a formula (=, +, -, @, also after spaces). A signed number in a number column is
    not one."""
    hits: list[tuple[int, str]] = []
    for column in columns:
        # Excel skips leading spaces and TABs too: " =HYPERLINK(…)" runs as a formula.
        values = frame[column].str.lstrip()
        suspect = values.str[:1].isin(FORMULA_START)
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
    """(numbers, bad) for '1.234,56', '1234,56', '1234.56', '-5'; empty stays NaN and is not bad, inf and nan are."""
    text = values.str.strip().str.replace(r"^€\s*", "", regex=True)
    comma = text.str.contains(",", regex=False)
    normalised = text.where(~comma, text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    numbers = pd.to_numeric(normalised.where(normalised != ""), errors="coerce")
    # to_numeric reads 'inf', 'Infinity' and '1e400' as infinity: no figure a monitor can store or show.
    finite = pd.Series(np.isfinite(numbers.to_numpy(dtype=float)), index=numbers.index)
    bad = ~finite & (text != "")
    return numbers.where(finite), bad


def serial_date_finding(frame: pd.DataFrame, columns) -> Finding | None:
    """A five-digit number in a date column is an Excel date number (a date cell saved without date format)."""
    hits = []
    for column in columns:
        values = frame[column].str.strip()
        serial = values.str.fullmatch(EXCEL_SERIAL)
        for line, value in zip(frame.loc[serial, LINE].head(MAX_LISTED), values[serial].head(MAX_LISTED)):
            day = EXCEL_EPOCH + timedelta(days=int(float(value.replace(",", "."))))
            hits.append(f"regel {line} kolom {column}: {value} (Excel-datumnummer voor {day:%d-%m-%Y})")
    if not hits:
        return None
    return Finding("excel_datumnummers", CRITICAL, False, f"datums staan als Excel-datumnummer in het bestand: "
                   f"{'; '.join(hits[:MAX_LISTED])}. Maak de kolom in Excel op als datum (dd-mm-jjjj) en lever "
                   "opnieuw aan.", rows=len(hits))


def csv_text(rows: list[list[str]], delimiter: str = ";") -> str:
    """Rows as CSV text (used to write templates and test files in the same dialect as the readers expect)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue()
