"""Find burgerservicenummers (BSNs) anywhere in a file, before anything is stored; mask them in every message.

What counts as a BSN (a *hit*): a number whose nine digits pass the elfproef (weights 9..2 and -1, the sum divisible
by 11; 000000000 excluded), found in any cell of any column and in the column names, written as:

- nine digits, `123456782`, also alone in an XLSX number cell (the reader turns 123456782.0 into "123456782");
- eight digits that pass when a leading zero is put back (`12345672` for 012345672): CSV and XLSX number cells lose
  the zero;
- with dots or spaces between groups: `123.456.782`, `123 456 782`, `1234 56 782`, `12.345.672` (each group after
  the first has two or three digits and the last has three, as in every way a BSN is written; a non-breaking space
  counts as a space);
- anywhere inside a text: `klant 123456782 belde`, `bsn:123.456.782`.

Numbers are found by splitting the text on everything that is not a letter, digit or `_`: a number counts only when
it is a whole token (or a row of tokens joined by single dots or spaces). So a digit run inside a word is not a number:
a 32-character hex pseudonym, an id such as `T00012345` or `TK2024-0001` (`0001` is four digits), a CBS code
`WK039603`. Dates with dashes (`2024-01-15`, `15-01-2024`) are tokens of 2 and 4 digits, and `15.01.2024` or
`2024.01.15` do not end in a group of three, so neither is a number here.

Exempt, because they are legitimate values that can look like a BSN, and only in the columns a format declares:

- DATE column (a Suite4SD date): eight digits that are a real date written without separators, `20240115` (jjjjmmdd)
  or `15012024` (ddmmjjjj), years 1900-2100. The date check then judges them.
- NUMBER column (an amount, percentage or count): a number with a decimal part below one hundred million,
  `12345678,50`, `1.234.567,89`, `12345678.5`: an amount, not an identifier. A whole number of eight or nine digits
  that passes the elfproef is refused in a number column too: it cannot be told apart from a BSN and no amount or count
  in these exports comes near ten million.

Nothing else is exempt: an eight- or nine-digit elfproef number in an id or text column is always refused, however it
is written. Every value is checked (no sampling, no share of the column): one hit refuses the file.

CBS files are checked on the observations they would store: the text columns (table, region code and name, period,
dimension labels, measure, status) are scanned, the numeric measure values (`waarde`) are not, since CBS population
counts can have eight digits.

A hit is always shown masked (`1234*****`): in the refusal, its findings, the refusal log and anything printed.

Speed: a first pass over each column with one regular expression (pyarrow's RE2 on the Arrow-backed text) keeps only
cells with eight or nine digits in a row at a token boundary; only those distinct cells are looked at in Python.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from monitor.imports.base import CRITICAL, Finding, ImportRefused

LINE = "regel"  # readers.LINE; not imported from readers, which does not need this module
DATE = "datum"
NUMBER = "getal"
SEPARATORS = frozenset(". \u00a0\u202f")
# Cells that may hold a hit: eight or nine digits, single separators allowed, at a token boundary. The same pattern
# runs in RE2 (pyarrow) and Python's re; every hit matches it, most other cells do not.
MAYBE = "(?:^|[^0-9A-Za-z_])[0-9](?:[. \u00a0\u202f]?[0-9]){7,8}(?:$|[^0-9A-Za-z_])"
MAYBE_RE = re.compile(MAYBE)
TOKEN = re.compile(r"\w+")
# A decimal comma (thousands dots allowed before it) or a single decimal point, as readers.parse_amounts reads them.
AMOUNT = re.compile(r"[+-]?(?:€\s*)?(?:(?P<comma>\d{1,3}(?:\.\d{3})+|\d+),\d+|(?P<point>\d+)\.\d+)%?")
WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
MAX_LISTED = 5
PSEUDONYMISE = "python -m monitor pseudonimiseer BESTAND"


@dataclass(frozen=True)
class Hit:
    column: str        # the column's name; in the header its position, "kolomnaam nummer 3" (the name is the BSN)
    line: int          # line (CSV) or row (XLSX) in the file as a spreadsheet shows it; the header is line 1
    masked: str        # the number as found, digits after the fourth replaced by *
    whole: bool        # the cell is the number and nothing else (an id column) rather than text around it
    header: bool = False

    @property
    def where(self) -> str:
        return f"de kopregel ({self.column})" if self.header else f"kolom {self.column}"


def elfproef(number: str) -> bool:
    """The check every BSN passes: nine digits, weights 9..2 and -1, sum divisible by 11, not all zeros."""
    if len(number) != 9 or not (number.isascii() and number.isdigit()) or number == "000000000":
        return False
    return sum(int(d) * w for d, w in zip(number, WEIGHTS)) % 11 == 0


def mask(written: str) -> str:
    """The digits as written, the first four kept so the steward can find the cell and the rest hidden."""
    digits = "".join(c for c in written if c.isdigit())
    return digits[:4] + "*" * (len(digits) - 4)


def find(text: str) -> list[tuple[int, int, str]]:
    """(start, end, nine digits) of every BSN in text, left to right, not overlapping."""
    if not MAYBE_RE.search(text):
        return []
    found = []
    for run in _digit_runs(text):
        i = 0
        while i < len(run):
            best = None
            digits = ""
            for j in range(i, len(run)):
                group = run[j][2]
                if j > i and not 2 <= len(group) <= 3:
                    break
                digits += group
                if len(digits) > 9:
                    break
                if len(digits) in (8, 9) and (j == i or len(group) == 3) and elfproef(digits.zfill(9)):
                    best = (j, (run[i][0], run[j][1], digits.zfill(9)))
            if best:
                found.append(best[1])
                i = best[0] + 1
            else:
                i += 1
    return found


def _digit_runs(text: str) -> list[list[tuple[int, int, str]]]:
    """Rows of all-digit tokens joined by exactly one separator, as (start, end, digits) per token."""
    runs: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    for token in TOKEN.finditer(text):
        value = token.group()
        if not (value.isascii() and value.isdigit()):
            current = []
            continue
        joined = current and token.start() == current[-1][1] + 1 and text[token.start() - 1] in SEPARATORS
        if not joined:
            current = []
            runs.append(current)
        current.append((token.start(), token.end(), value))
    return runs


def replace_all(text: str, replacement: Callable[[str], str]) -> str:
    """text with every BSN replaced by replacement(nine digits); repeated until none is left."""
    return _replace(text, lambda number, written: replacement(number))


def _replace(text: str, replacement: Callable[[str, str], str]) -> str:
    while found := find(text):
        for start, end, number in reversed(found):
            text = text[:start] + replacement(number, text[start:end]) + text[end:]
    return text


def mask_text(text: str) -> str:
    return _replace(text, lambda number, written: mask(written)) if text else text


def exempt_value(kind: str, value: str) -> bool:
    """A date or amount that looks like a BSN but is a legitimate value of its declared column (see module doc)."""
    text = value.strip()
    if kind == DATE:
        return len(text) == 8 and text.isdigit() and (_is_date(text[:4], text[4:6], text[6:])
                                                        or _is_date(text[4:], text[2:4], text[:2]))
    if kind == NUMBER:
        match = AMOUNT.fullmatch(text)
        return bool(match) and len((match.group("comma") or match.group("point")).replace(".", "")) <= 8
    return False


def _is_date(year: str, month: str, day: str) -> bool:
    try:
        return 1900 <= int(year) <= 2100 and bool(date(int(year), int(month), int(day)))
    except ValueError:
        return False


def maybe(values: pd.Series) -> pd.Series:
    """True for the cells that may hold a BSN (the cheap first pass); missing values are False."""
    text = pa.array(values.astype("str"), from_pandas=True)
    if len(text) == 0 or (pc.max(pc.binary_length(text)).as_py() or 0) < 8:  # codes, counts: too short for a BSN
        return pd.Series(False, index=values.index)
    found = pc.fill_null(pc.match_substring_regex(text, MAYBE), False)
    return pd.Series(found.to_numpy(zero_copy_only=False), index=values.index)


def scan_values(values: pd.Series, lines: pd.Series, column: str, exempt: str | None = None,
                candidates: pd.Series | None = None) -> list[Hit]:
    """Every hit in one column of text; lines are the cells' line numbers, candidates the first pass if done."""
    candidates = maybe(values) if candidates is None else candidates
    if not candidates.any():
        return []
    values, lines = values[candidates], lines[candidates]
    found = {value: find(value) for value in values.unique()}
    hit = {value for value, numbers in found.items() if numbers and not (exempt and exempt_value(exempt, value))}
    rows = values.isin(hit)
    hits = []
    for value, line in zip(values[rows], lines[rows]):
        stripped = value.strip()
        hits += [Hit(column, int(line), mask(value[start:end]), value[start:end] == stripped)
                 for start, end, _ in found[value]]
    return hits


def scan_header(columns: Iterable[str]) -> list[Hit]:
    """A column name holding a BSN: named by its position, since the name itself is the number."""
    return [Hit(f"kolomnaam nummer {position}", 1, mask(str(name)[start:end]), False, header=True)
            for position, name in enumerate(columns, start=1) for start, end, _ in find(str(name))]


def scan_table(frame: pd.DataFrame, exempt: Mapping[str, str] | None = None,
               skip: Iterable[str] = ()) -> list[Hit]:
    """Every hit in the header and every cell of frame (one row per record, with its line in LINE).

    exempt maps a column to DATE or NUMBER (see the module doc); skip names columns that are not scanned at all
    (only the numeric CBS measure values).
    """
    exempt = exempt or {}
    columns = [c for c in frame.columns if c != LINE and c not in set(skip)]
    lines = frame[LINE] if LINE in frame.columns else pd.Series(range(2, len(frame) + 2), index=frame.index)
    # The first pass runs in pyarrow, which releases the GIL: one column per core.
    with ThreadPoolExecutor(min(len(columns), os.cpu_count() or 1) or 1) as pool:
        first = list(pool.map(lambda c: maybe(frame[c]), columns))
    hits = scan_header(c for c in frame.columns if c != LINE)
    for column, candidates in zip(columns, first):
        hits += scan_values(frame[column], lines, column, exempt.get(column), candidates)
    return hits


def refusal(name: str, hits: list[Hit]) -> ImportRefused:
    """The Dutch refusal for a file with BSNs: where they are (masked), and how to pseudonymise the file."""
    places = list(dict.fromkeys(h.where for h in hits))
    named = f"{', '.join(places[:-1])} en {places[-1]}" if len(places) > 1 else places[0]
    listed = ", ".join(f"regel {h.line} {h.where} ({h.masked})" for h in hits[:MAX_LISTED])
    more = f" … ({len(hits)} in totaal)" if len(hits) > MAX_LISTED else ""
    # A column that is only BSNs is best replaced as a whole; a BSN in a text only where it stands.
    columns = list(dict.fromkeys(h.column for h in hits))
    if all(h.whole and not h.header for h in hits):
        command = PSEUDONYMISE + "".join(f" --kolom {c}" for c in columns)
    else:
        command = PSEUDONYMISE + " (vervangt elk BSN, ook midden in een tekst of in de kopregel)"
    message = (f"{named} {'bevat' if len(places) == 1 else 'bevatten'} burgerservicenummers (negen cijfers "
               "die de elfproef doorstaan, ook met punten of spaties geschreven of zonder voorloopnul): "
               f"{listed}{more}. Een BSN wordt nooit opgeslagen; er is niets geïmporteerd. Pseudonimiseer het bestand "
               f"eerst met: {command}, of op de pagina Gegevens en kwaliteit onder Pseudonimiseren.")
    finding = Finding("geen_bsn", CRITICAL, False, message, rows=len(hits), column=hits[0].column,
                      examples=tuple({LINE: h.line, "kolom": h.column, "waarde": h.masked} for h in hits[:MAX_LISTED]))
    return ImportRefused(name, message, [finding])


def refuse(name: str, frame: pd.DataFrame, exempt: Mapping[str, str] | None = None, skip: Iterable[str] = ()) -> None:
    hits = scan_table(frame, exempt, skip)
    if hits:
        raise refusal(name, hits)


def mask_finding(finding: Finding) -> Finding:
    """A finding with every BSN in its message and examples masked (examples are written to the refusal log)."""
    examples = tuple({key: _masked_value(value) for key, value in example.items()} for example in finding.examples)
    return replace(finding, message=mask_text(finding.message), examples=examples)


def _masked_value(value):
    """A value unchanged, or its text with the BSN masked (a number 123456782.0 becomes the text '1234*****.0')."""
    text = str(value)
    masked = mask_text(text)
    return value if masked == text else masked
