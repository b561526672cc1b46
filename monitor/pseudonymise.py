"""Replace BSNs (or other direct identifiers) in an export by keyed pseudonyms before it is imported.

    python -m monitor pseudonimiseer BESTAND [--kolom KOLOM ...] [--uit UITVOER]

A pseudonym is HMAC-SHA256(sleutel, waarde) as hex, cut to its first 32 characters (128 bits: collisions are
negligible for any gemeente, and a shorter id keeps exports readable). The same key and the same BSN always give the
same pseudonym, so exports of different types and months can still be joined; without the key nobody can compute
the pseudonym of a known BSN. The key never lives in the repository: it comes from the environment variable
MONITOR_PSEUDONIEM_SLEUTEL or from a secrets file (MONITOR_PSEUDONIEM_SLEUTELBESTAND, by default
~/.config/monitor/pseudoniem.key).

Two things are replaced: every value of the columns named with --kolom (any id, BSN or not), and every BSN that the
import's scanner (monitor/imports/bsn.py) would find anywhere else: in any column, inside free text, in the header,
written with dots or spaces or without its leading zero. A BSN is hashed in its normal form (nine digits), so
"123.456.782", "123 456 782" and "123456782" get the same pseudonym, and "12345672" the one of "012345672". Dates and
amounts that the import does not count as a BSN (see bsn.py) stay as they are, so the output imports. A CSV keeps its
encoding, BOM, delimiter, quoting and line endings: only the replaced values change. An XLSX is written as a
`;`-separated UTF-8 CSV.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from monitor.imports import bsn, divosa, metingen, readers, suite4sd
from monitor.imports.base import ImportRefused
from monitor.store import PROJECT_DIR

KEY_ENV = "MONITOR_PSEUDONIEM_SLEUTEL"
KEY_FILE_ENV = "MONITOR_PSEUDONIEM_SLEUTELBESTAND"
DEFAULT_KEY_FILE = Path("~/.config/monitor/pseudoniem.key")
PSEUDONYM_LENGTH = 32
MIN_KEY_LENGTH = 16
SUFFIX = ".pseudoniem.csv"
NO_KEY = (
    "geen sleutel voor het pseudonimiseren gevonden. Zet de sleutel in de omgevingsvariabele {env} of in het "
    "bestand {file} (of wijs een ander bestand aan met {file_env}). Maak eenmalig een sleutel met: mkdir -p "
    "{folder} && python -c \"import secrets; print(secrets.token_hex(32))\" > {file} en bewaar hem buiten de "
    "projectmap; "
    "gebruik voor alle exports dezelfde sleutel, anders passen de pseudoniemen niet meer op elkaar."
)


class PseudonymiseError(Exception):
    """A Dutch message for the steward: nothing was written."""


def pseudonym(value: str, key: bytes) -> str:
    """Surrounding spaces are export noise, so ' 123456782' and '123456782' get the same pseudonym; a value that is one
    BSN is hashed as its nine digits, so '123.456.782' and '12345672' (zero lost) match their plain forms too."""
    value = value.strip()
    found = bsn.find(value)
    if len(found) == 1 and found[0][:2] == (0, len(value)):
        value = found[0][2]
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:PSEUDONYM_LENGTH]


def exemptions(columns: list[str]) -> dict[str, str]:
    """The dates and amounts the import will not count as a BSN, for a file with these columns (by its format)."""
    kind = suite4sd.detect_type(columns)
    if kind:
        exempt = suite4sd.bsn_exempt(suite4sd.TYPES[kind])
    elif metingen.looks_like_metingen(columns):
        exempt = dict.fromkeys(metingen.NUMERIC, bsn.NUMBER)
    else:
        mapping = divosa.load_mapping()
        if not divosa.looks_like_divosa(columns, mapping):
            return {}
        exempt = dict.fromkeys(divosa.numeric_columns(columns, mapping), bsn.NUMBER)
    by_name = {name.casefold(): kind for name, kind in exempt.items()}
    return {c: by_name[c.casefold()] for c in columns if c.casefold() in by_name}


class _Replacer:
    """Per column: the whole value (a --kolom column) or each BSN in it; one HMAC per distinct value."""

    def __init__(self, key: bytes, header: list[str], columns: list[str]):
        self.key, self.header, self.columns = key, header, set(columns)
        self.exempt = exemptions(header)
        self.done: dict[tuple[bool, str], str] = {}
        self.counts: dict[str, int] = {}

    def __call__(self, column: str, value: str) -> str:
        whole = column in self.columns
        if whole and not value.strip():
            return value
        if not whole and (not bsn.MAYBE_RE.search(value) or bsn.exempt_value(self.exempt.get(column, ""), value)):
            return value
        if (whole, value) not in self.done:
            self.done[whole, value] = pseudonym(value, self.key) if whole else \
                bsn.replace_all(value, lambda number: pseudonym(number, self.key))
        new = self.done[whole, value]
        if new != value or whole:
            self.counts[column] = self.counts.get(column, 0) + 1
        return new


def load_key() -> bytes:
    """The key from the environment or the secrets file; refused when missing, too short or inside the project."""
    if os.environ.get(KEY_ENV, "").strip():
        return _checked(os.environ[KEY_ENV].strip(), f"de omgevingsvariabele {KEY_ENV}")
    path = Path(os.environ.get(KEY_FILE_ENV) or DEFAULT_KEY_FILE).expanduser()
    if not path.is_file():
        raise PseudonymiseError(NO_KEY.format(env=KEY_ENV, file=path, folder=path.parent, file_env=KEY_FILE_ENV))
    if path.resolve().is_relative_to(PROJECT_DIR):
        raise PseudonymiseError(f"het sleutelbestand {path} staat in de projectmap en kan zo in git belanden. "
                                "Zet het buiten de projectmap, bijv. in ~/.config/monitor/pseudoniem.key.")
    return _checked(path.read_text(encoding="utf-8").strip(), f"het sleutelbestand {path}")


def _checked(key: str, where: str) -> bytes:
    # A BSN has only a billion possible values: a short key could be found by trying, which undoes the pseudonyms.
    if len(key) < MIN_KEY_LENGTH:
        raise PseudonymiseError(f"de sleutel in {where} is korter dan {MIN_KEY_LENGTH} tekens en daardoor te raden. "
                                "Maak een nieuwe met: python -c \"import secrets; print(secrets.token_hex(32))\"")
    return key.encode("utf-8")


def pseudonymise_file(src: Path, dst: Path, columns: list[str], key: bytes) -> dict[str, int]:
    """Write src to dst with the values of `columns` and every BSN elsewhere replaced by pseudonyms.

    Returns the number of replaced values per column ("kopregel" for the header). Without columns and without any BSN
    in the file nothing is written.
    """
    src, dst = Path(src), Path(dst)
    if not src.is_file():
        raise PseudonymiseError(f"{src}: bestand niet gevonden.")
    if src.resolve() == dst.resolve():
        raise PseudonymiseError(f"het uitvoerbestand is het invoerbestand ({src}). Kies een ander bestand met --uit.")
    data = src.read_bytes()
    if data.startswith(readers.XLSX_MAGIC):
        output, counts = _pseudonymise_workbook(src, columns, key)
    else:
        encoding, bom, text = _decode(data, src.name)
        text, counts = _rewrite(text, _delimiter(text, src.name), columns, key, src.name)
        output = bom + text.encode(encoding)
    if not counts and not columns:
        raise PseudonymiseError(f"{src.name}: geen kolom met burgerservicenummers gevonden: nergens in het bestand "
                                "staat een BSN (ook niet met punten, spaties of zonder voorloopnul). Geef de "
                                "kolom(men) met te vervangen id's op met --kolom KOLOM.")
    dst.write_bytes(output)
    return counts


def _decode(data: bytes, name: str) -> tuple[str, bytes, str]:
    """(encoding, BOM, text): written back the same way, so the export only changes in the pseudonymised columns."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8", b"\xef\xbb\xbf", data[3:].decode("utf-8")
    for encoding in ("utf-8", "cp1252"):
        try:
            return encoding, b"", data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PseudonymiseError(f"{name}: de tekencodering is niet herkend (geen UTF-8 en geen Windows-1252).")


def _delimiter(text: str, name: str) -> str:
    header = re.split(r"\r\n|\n|\r", text, maxsplit=1)[0]
    counts = {d: header.count(d) for d in readers.DELIMITERS}
    best = max(counts, key=counts.get)
    if not counts[best]:
        raise PseudonymiseError(f"{name}: in de kopregel staat geen scheidingsteken (; of ,).")
    return best


HEADER = "kopregel"


def _rewrite(text: str, delimiter: str, columns: list[str], key: bytes, name: str) -> tuple[str, dict[str, int]]:
    """Every record written back from its own field texts and line ending; only replaced fields change."""
    records = _records(text, delimiter, name)
    fields, ending = next(records)
    header = [_unquote(f).strip() for f in fields]
    replace = _Replacer(key, header, _existing(columns, header, name))

    def rewritten(fields: list[str], names: list[str]) -> str:
        out = []
        for field, column in zip(fields, names + [""] * (len(fields) - len(names))):
            value = _unquote(field)
            new = replace(column, value)
            out.append(field if new == value else _quote_like(field, new))
        return delimiter.join(out)

    out = [rewritten(fields, [HEADER] * len(fields)) + ending]
    for fields, ending in records:
        if replace.columns or bsn.MAYBE_RE.search(delimiter.join(fields)):
            out.append(rewritten(fields, header) + ending)
        else:
            out.append(delimiter.join(fields) + ending)
    return "".join(out), replace.counts


def _existing(columns: list[str], header: list[str], name: str) -> list[str]:
    missing = [c for c in columns if c not in header]
    if missing:
        raise PseudonymiseError(f"{name}: kolom {', '.join(missing)} bestaat niet. Kolommen: {', '.join(header)}.")
    return columns


FIELD = {d: re.compile(rf'"(?:[^"]|"")*"|[^{re.escape(d)}"\r\n]*') for d in readers.DELIMITERS}
LINE_END = re.compile(r"\r\n|\n|\r|$")


def _records(text: str, delimiter: str, name: str) -> Iterator[tuple[list[str], str]]:
    """Each record as (raw field texts, quotes included; its line ending). A quoted field may hold newlines."""
    if '"' not in text:
        yield from _plain_records(text, delimiter)
        return
    field, position, fields = FIELD[delimiter], 0, []
    while position < len(text):
        match = field.match(text, position)
        fields.append(match.group())
        position = match.end()
        if text.startswith(delimiter, position):
            position += 1
            continue
        ending = LINE_END.match(text, position)
        if ending is None:
            line = text.count("\n", 0, position) + 1
            raise PseudonymiseError(f"{name}: regel {line} heeft een aanhalingsteken midden in een waarde. Exporteer "
                                    "het bestand opnieuw als CSV.")
        yield fields, ending.group()
        fields, position = [], ending.end()


def _plain_records(text: str, delimiter: str) -> Iterator[tuple[list[str], str]]:
    """Without quotes every line is a record and every delimiter ends a field, so str.split finds them fast."""
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        yield body.split(delimiter), line[len(body):]


def _unquote(field: str) -> str:
    return field[1:-1].replace('""', '"') if field.startswith('"') else field


def _quote_like(original: str, value: str) -> str:
    """A quoted field stays quoted (its quotes doubled); text around a replaced BSN may hold them."""
    return '"' + value.replace('"', '""') + '"' if original.startswith('"') else value


def _pseudonymise_workbook(src: Path, columns: list[str], key: bytes) -> tuple[bytes, dict[str, int]]:
    frame = readers.read_tabular(src).frame.drop(columns=readers.LINE)
    header = list(frame.columns)
    replace = _Replacer(key, header, _existing(columns, header, src.name))
    names = [replace(HEADER, c) for c in header]
    for column in header:
        frame[column] = frame[column].map(lambda value, column=column: replace(column, value))
    text = readers.csv_text([names, *frame.astype(str).values.tolist()])
    return text.encode("utf-8"), replace.counts


# ------------------------------------------------------------------ command line


def default_output(src: Path) -> Path:
    return src.with_name(src.stem + SUFFIX)


def main(argv: list[str] | None = None) -> int:
    """python -m monitor pseudonimiseer BESTAND [--kolom KOLOM ...] [--uit UITVOER]; argv without 'pseudonimiseer'."""
    args = _parser().parse_args(argv)
    try:
        key = load_key()
        output = args.uit or default_output(args.bestand)
        counts = pseudonymise_file(args.bestand, output, args.kolom or [], key)
    except (PseudonymiseError, ImportRefused, OSError) as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    listed = ", ".join(f"{column} ({count} waarden)" for column, count in counts.items())
    print(f"Gepseudonimiseerd: {listed}. Uitvoer: {output}")
    return 0


def _parser():
    from monitor.cli import DutchArgumentParser  # here, not at the top: the CLI imports this module

    parser = DutchArgumentParser(prog="python -m monitor pseudonimiseer",
                                 description="Vervang BSN's door pseudoniemen (HMAC-SHA256 met een geheime sleutel).")
    parser.add_argument("bestand", type=Path, metavar="BESTAND", help="CSV- of XLSX-export met BSN's")
    parser.add_argument("--kolom", action="append", metavar="KOLOM",
                        help="kolom waarvan elke waarde een pseudoniem wordt (herhaalbaar); BSN's in andere kolommen "
                             "worden altijd vervangen")
    parser.add_argument("--uit", type=Path, metavar="UITVOER",
                        help=f"uitvoerbestand (standaard: BESTAND met de extensie {SUFFIX})")
    return parser
