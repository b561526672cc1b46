"""Replace BSNs (or other direct identifiers) in an export by keyed pseudonyms before it is imported.

    python -m monitor pseudonimiseer BESTAND [--kolom KOLOM ...] [--uit UITVOER]

A pseudonym is HMAC-SHA256(sleutel, waarde) as hex, cut to its first 32 characters (128 bits: collisions are
negligible for any gemeente, and a shorter id keeps exports readable). The same key and the same BSN always give the
same pseudonym, so exports of different types and months can still be joined; without the key nobody can compute
the pseudonym of a known BSN. The key never lives in the repository: it comes from the environment variable
MONITOR_PSEUDONIEM_SLEUTEL or from a secrets file (MONITOR_PSEUDONIEM_SLEUTELBESTAND, by default
~/.config/monitor/pseudoniem.key). A CSV keeps its encoding, BOM, delimiter, quoting and line endings: only the
named columns change. An XLSX is written as a `;`-separated UTF-8 CSV.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from monitor.imports import readers
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
    """Surrounding spaces are export noise, so ' 123456782' and '123456782' get the same pseudonym."""
    return hmac.new(key, value.strip().encode("utf-8"), hashlib.sha256).hexdigest()[:PSEUDONYM_LENGTH]


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
    """Write src to dst with the values of `columns` replaced by pseudonyms; returns the count per column."""
    src, dst = Path(src), Path(dst)
    if not src.is_file():
        raise PseudonymiseError(f"{src}: bestand niet gevonden.")
    if src.resolve() == dst.resolve():
        raise PseudonymiseError(f"het uitvoerbestand is het invoerbestand ({src}). Kies een ander bestand met --uit.")
    data = src.read_bytes()
    if data.startswith(readers.XLSX_MAGIC):
        return _pseudonymise_workbook(src, dst, columns, key)
    encoding, bom, text = _decode(data, src.name)
    delimiter = _delimiter(text, src.name)
    output, counts = _rewrite(text, delimiter, columns, _cached(key), src.name)
    dst.write_bytes(bom + output.encode(encoding))
    return counts


def _cached(key: bytes) -> Callable[[str], str]:
    """Client ids repeat across rows; one HMAC per distinct value keeps a million-row file fast."""
    done: dict[str, str] = {}

    def replace(value: str) -> str:
        if value not in done:
            done[value] = pseudonym(value, key) if value.strip() else value
        return done[value]
    return replace


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


def _rewrite(text: str, delimiter: str, columns: list[str], replace: Callable[[str], str],
             name: str) -> tuple[str, dict[str, int]]:
    """Every record written back from its own field texts and line ending; only the target fields change."""
    records = _records(text, delimiter, name)
    fields, ending = next(records)
    header = [_unquote(f).strip() for f in fields]
    missing = [c for c in columns if c not in header]
    if missing:
        raise PseudonymiseError(f"{name}: kolom {', '.join(missing)} bestaat niet. Kolommen: {', '.join(header)}.")
    targets = {header.index(c): c for c in columns}
    counts = dict.fromkeys(columns, 0)
    out = [delimiter.join(fields) + ending]
    for fields, ending in records:
        for index, column in targets.items():
            if index < len(fields) and fields[index].strip('" '):
                counts[column] += 1
                fields[index] = _quote_like(fields[index], replace(_unquote(fields[index])))
        out.append(delimiter.join(fields) + ending)
    return "".join(out), counts


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
    return f'"{value}"' if original.startswith('"') else value


def _pseudonymise_workbook(src: Path, dst: Path, columns: list[str], key: bytes) -> dict[str, int]:
    frame = readers.read_tabular(src).frame.drop(columns=readers.LINE)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise PseudonymiseError(f"{src.name}: kolom {', '.join(missing)} bestaat niet. Kolommen: "
                                f"{', '.join(frame.columns)}.")
    replace = _cached(key)
    counts = {c: int((frame[c].str.strip() != "").sum()) for c in columns}
    for column in columns:
        frame[column] = frame[column].map(replace)
    dst.write_text(readers.csv_text([list(frame.columns), *frame.astype(str).values.tolist()]), encoding="utf-8")
    return counts


# ------------------------------------------------------------------ command line


def default_output(src: Path) -> Path:
    return src.with_name(src.stem + SUFFIX)


def main(argv: list[str] | None = None) -> int:
    """python -m monitor pseudonimiseer BESTAND [--kolom KOLOM ...] [--uit UITVOER]; argv without 'pseudonimiseer'."""
    args = _parser().parse_args(argv)
    try:
        key = load_key()
        columns = args.kolom or readers.bsn_columns(readers.read_tabular(args.bestand).frame)
        if not columns:
            raise PseudonymiseError(f"{args.bestand.name}: geen kolom met burgerservicenummers gevonden. Geef de "
                                    "kolom(men) op met --kolom KOLOM.")
        output = args.uit or default_output(args.bestand)
        counts = pseudonymise_file(args.bestand, output, columns, key)
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
                        help="kolom om te pseudonimiseren (herhaalbaar; standaard: de kolommen met BSN's)")
    parser.add_argument("--uit", type=Path, metavar="UITVOER",
                        help=f"uitvoerbestand (standaard: BESTAND met de extensie {SUFFIX})")
    return parser
