"""Hypothesis strategies: generated Suite4SD-style exports (CSV and XLSX) mixing valid and invalid rows.

Each `Export` knows what was written: the data records (their ids and free text as they should be stored), every BSN
and in which spelling, and the faults put in, so a test can judge what the import gate did with the file.
"""

from __future__ import annotations

import hashlib
import io
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from hypothesis import strategies as st

from monitor.imports.bsn import elfproef

# Faults that must refuse the file; an unbalanced quote may also be read correctly (the literal text), never swallowed.
MUST_REFUSE = frozenset({"bsn", "ongeldige_waarde", "veldaantal", "gemengde_codering"})
OPEN_QUOTE = "open_aanhalingsteken"
READER_FAULTS = frozenset({"veldaantal", "gemengde_codering"})

WORDS = ["klant", "gebeld", "beëindigd", "café", "één", "reünie", "verhuisd", "naar", "werk", "gevonden", "zie",
         "dossier", "overleg", "met", "Zoë", "€", "ná", "'s-Hertogenbosch", "a;b", "x,y", 'zegt "ja"', "geïnd"]
PLAIN_WORDS = ["klant", "gebeld", "dossier", "overleg", "werk"]   # no delimiter, quote or accent
WIJKEN = ["WK039601", "WK039603", "Kerkbeek", "Wijk 07 Kerkbeek", "Broekpolder", "Assumburg",
          "Wijk 03 Hofland, Oosterwijk en Zuidbroek", "Heemskerkerduin en Noorddorp", "wk039611", ""]
REGELINGEN = ["BIJZ_BIJSTAND", "KWIJTSCHELDING", "IIT", "CZM", "MAATSCH_ACT", "KINDPAKKET", "JFSC", "ENERGIETOESLAG"]
DATE_FORMATS = ["%d-%m-%Y", "%Y-%m-%d"]
FIRST_DAY = date(2020, 1, 1)
FORMULAS = ["=1+1", "@SOM(A1)", "+1", "-A1", " =1+1", "\t=HYPERLINK(1)"]
NON_NUMBERS = ["abc", "12,34,5", "inf", "nan", "1e400", "-5"]


@dataclass(frozen=True)
class Kind:
    """One Suite4SD export type as the generator writes it."""
    id_column: str
    prefix: str
    text: str                      # free-text column whose value the test reads back
    columns: tuple[str, ...]       # the type's columns (text included when it is one of them)
    optional: tuple[str, ...] = ()
    bad: tuple[tuple[str, str], ...] = ()   # (column, value) the gate must refuse, beside formulas and empty ids


def _bad_dates(*columns: str) -> tuple[tuple[str, str], ...]:
    return tuple((c, v) for c in columns for v in ("31-02-2024", "gisteren", "2024-13-01"))


def _bad_numbers(*columns: str) -> tuple[tuple[str, str], ...]:
    return tuple((c, v) for c in columns for v in NON_NUMBERS)


KINDS = {
    "toekenningen_minimaregelingen": Kind(
        "toekenning_id", "TK", "opmerking",
        ("toekenning_id", "client_id", "huishouden_id", "regeling", "besluit", "aanvraagdatum", "besluitdatum",
         "ingangsdatum", "einddatum", "bedrag", "wijk", "opmerking"), ("inkomen_pct_wsm", "aantal_kinderen"),
        _bad_dates("aanvraagdatum", "ingangsdatum") + _bad_numbers("bedrag", "aantal_kinderen")
        + (("besluit", "misschien"), ("regeling", "ONBEKEND"), ("client_id", ""), ("aantal_kinderen", "1,5"))),
    "uitkeringen_participatiewet": Kind(
        "uitkering_id", "UK", "reden_beeindiging",
        ("uitkering_id", "client_id", "huishouden_id", "regeling", "ingangsdatum", "einddatum", "reden_beeindiging",
         "wijk"), (),
        _bad_dates("ingangsdatum", "einddatum") + (("regeling", "WW"), ("ingangsdatum", ""))),
    "loonkostensubsidie": Kind(
        "lks_id", "LKS", "opmerking",
        ("lks_id", "client_id", "werkgever_id", "startdatum", "einddatum", "loonwaarde_pct", "uren_per_week",
         "uitkering_bij_start", "opmerking"), (),
        _bad_dates("startdatum") + _bad_numbers("loonwaarde_pct", "uren_per_week")
        + (("loonwaarde_pct", "101"), ("uren_per_week", "61"), ("uitkering_bij_start", "X"))),
    "inburgering": Kind(
        "client_id", "", "reden_uitstroom",
        ("client_id", "vestigingsdatum", "pw_ingangsdatum", "pw_einddatum", "reden_uitstroom"), (),
        _bad_dates("vestigingsdatum", "pw_einddatum") + (("vestigingsdatum", ""),)),
    "wmo_voorzieningen": Kind(
        "voorziening_id", "WMO", "voorziening",
        ("voorziening_id", "client_id", "voorziening", "soort", "ingangsdatum", "einddatum", "kosten", "wijk"), (),
        _bad_dates("ingangsdatum") + _bad_numbers("kosten") + (("soort", "anders"),)),
    "jeugdhulp_trajecten": Kind(
        "traject_id", "JH", "verwijzer",
        ("traject_id", "client_id", "geboortejaar", "vorm", "met_verblijf", "ingangsdatum", "einddatum", "kosten",
         "verwijzer", "wijk"), (),
        _bad_dates("ingangsdatum") + _bad_numbers("kosten", "geboortejaar")
        + (("vorm", "onbekend"), ("met_verblijf", "X"), ("geboortejaar", "1850"))),
}


@dataclass(frozen=True)
class Export:
    kind: str
    suffix: str                      # ".csv" or ".xlsx"
    encoding: str | None             # CSV only; "gemengd" for a file mixing UTF-8 and Windows-1252
    faults: frozenset[str]
    ids: tuple[str, ...]             # id of each data record, as written
    texts: tuple[str | None, ...]    # the free text of each record as it must be stored (None: empty)
    bsns: tuple[str, ...]            # every BSN written, as written
    content: bytes | tuple           # what hypothesis prints: the CSV bytes, or the XLSX sheet's rows
    data: bytes = field(repr=False)

    @property
    def file_name(self) -> str:
        return f"{self.kind}{self.suffix}"

    @property
    def records(self) -> int:
        return len(self.ids)

    @property
    def must_refuse(self) -> bool:
        return bool(self.faults & MUST_REFUSE)

    @property
    def clean(self) -> bool:
        return not self.faults


# ------------------------------------------------------------------ values


def hex_id(*parts) -> str:
    """A pseudonym as the pseudonymiser writes it: 32 hex characters."""
    return hashlib.md5(repr(parts).encode()).hexdigest()


def _check_digit(first8: str) -> int:
    return sum(int(d) * w for d, w in zip(first8, range(9, 1, -1))) % 11


@st.composite
def bsns(draw, leading_zero: bool = False) -> str:
    """Nine digits that pass the elfproef; the check digit follows from the first eight (10 is impossible)."""
    # A real BSN has at most one leading zero; 000000012 passes the elfproef too but is no number anyone writes.
    first = draw(st.integers(1_000_000, 9_999_999) if leading_zero else st.integers(10_000_000, 99_999_999))
    while _check_digit(f"{first:08d}") == 10:     # no check digit makes these eight pass; take the next
        first += 1
    first = f"{first:08d}"
    number = first + str(_check_digit(first))
    assert elfproef(number)
    return number


@st.composite
def bsn_spellings(draw) -> tuple[str, str]:
    """(spelling, the BSN): plain, with dots or spaces, or with its leading zero dropped as a number column does."""
    spelling = draw(st.sampled_from(["los", "punten", "punten3", "spaties", "spaties4", "zonder_voorloopnul"]))
    number = draw(bsns(leading_zero=spelling == "zonder_voorloopnul"))
    written = {"los": number, "punten": f"{number[:4]}.{number[4:6]}.{number[6:]}",
               "punten3": f"{number[:3]}.{number[3:6]}.{number[6:]}", "spaties": f"{number[:3]} {number[3:6]} {number[6:]}",
               "spaties4": f"{number[:4]} {number[4:6]} {number[6:]}", "zonder_voorloopnul": number[1:]}[spelling]
    return written, number


def free_text(rng: random.Random, required: bool = False, multiline: bool = True) -> str:
    words = rng.choices(WORDS, k=rng.randint(1 if required else 0, 5))
    if words and rng.random() < 0.5:
        words.insert(rng.randint(0, len(words)), str(rng.randint(0, 99)))
    text = " ".join(words)
    if multiline and len(words) > 1 and rng.random() < 0.2:
        text = text.replace(" ", "\n", 1)
    if words and rng.random() < 0.2:
        text = f" {text}  "          # spaces around a value are export noise, stripped on import
    return text


def _day(rng: random.Random, earliest: date, longest: int) -> date:
    return earliest + timedelta(days=rng.randint(0, longest))


def _date_text(rng: random.Random, day: date | None) -> str:
    return "" if day is None else day.strftime(rng.choice(DATE_FORMATS))


def _amount(rng: random.Random, maximum_cents: int = 9_999_999) -> str:
    cents = rng.randint(0, maximum_cents)
    euros = f"{cents // 100:,}".replace(",", ".")
    return rng.choice([f"{euros},{cents % 100:02d}", f"{cents // 100},{cents % 100:02d}", f"{cents / 100:.2f}"])


def _span(rng: random.Random, start_column: str, end_column: str, earliest: date = FIRST_DAY) -> dict[str, str]:
    start = _day(rng, earliest, 2000)
    end = _day(rng, start, 400) if rng.random() < 0.5 else None
    return {start_column: _date_text(rng, start), end_column: _date_text(rng, end)}


def record(rng: random.Random, kind_name: str, number: int, base: int, multiline: bool) -> dict[str, str]:
    """One valid record of the export type: every value passes the gate.

    Values come from a seeded generator rather than one draw per cell: per-cell draws made generating an export cost
    70 ms, more than the reader and scanner together. Hypothesis still chooses and shrinks the seed, the number of
    records and every fault.
    """
    kind = KINDS[kind_name]
    client = hex_id("client", rng.randint(0, 500))
    values = {"client_id": client, "huishouden_id": hex_id("huishouden", client), "wijk": rng.choice(WIJKEN),
              "kosten": _amount(rng)}
    text = free_text(rng, required=kind_name == "wmo_voorzieningen", multiline=multiline)
    if kind_name == "toekenningen_minimaregelingen":
        asked = _day(rng, FIRST_DAY, 2000)
        decided = _day(rng, asked, 60)
        values |= {"regeling": rng.choice(REGELINGEN),
                   "besluit": rng.choice(["toegekend", "afgewezen", "ingetrokken", "Toegekend"]),
                   "aanvraagdatum": _date_text(rng, asked), "besluitdatum": _date_text(rng, decided),
                   **_span(rng, "ingangsdatum", "einddatum", decided), "bedrag": _amount(rng),
                   "inkomen_pct_wsm": str(rng.randint(80, 150)), "aantal_kinderen": str(rng.randint(0, 4))}
    elif kind_name == "uitkeringen_participatiewet":
        values |= {"regeling": rng.choice(["PW", "IOAW", "IOAZ", "BBZ", "pw"]), **_span(rng, "ingangsdatum", "einddatum")}
    elif kind_name == "loonkostensubsidie":
        values |= {"werkgever_id": f"WG-{rng.randint(0, 999):04d}", **_span(rng, "startdatum", "einddatum"),
                   "loonwaarde_pct": rng.choice(["55", "72,5", "100", "0"]), "uren_per_week": str(rng.randint(0, 60)),
                   "uitkering_bij_start": rng.choice("JNj")}
    elif kind_name == "inburgering":
        settled = _day(rng, FIRST_DAY, 1500)
        values |= {"client_id": hex_id("inburgering", base, number), "vestigingsdatum": _date_text(rng, settled),
                   **(_span(rng, "pw_ingangsdatum", "pw_einddatum", settled) if rng.random() < 0.5
                      else {"pw_ingangsdatum": "", "pw_einddatum": ""})}
    elif kind_name == "wmo_voorzieningen":
        values |= {"soort": rng.choice(["maatwerk", "voorliggend"]), **_span(rng, "ingangsdatum", "einddatum")}
    else:
        values |= {"geboortejaar": str(rng.randint(2000, 2020)), "met_verblijf": rng.choice("JN"),
                   "vorm": rng.choice(["specialistisch", "jeugdbescherming", "jeugdreclassering", "overig"]),
                   **_span(rng, "ingangsdatum", "einddatum")}
    if kind.id_column != "client_id":
        values[kind.id_column] = f"{kind.prefix}-{base + number:06d}"
    values[kind.text] = text
    return values


# ------------------------------------------------------------------ files


def _cell(value: str, delimiter: str, quote_all: bool) -> str:
    if quote_all or any(c in value for c in (delimiter, '"', "\n", "\r")):
        return '"' + value.replace('"', '""') + '"'
    return value


def render_csv(header: list[str], rows: list[list[str]], raw: dict[tuple[int, int], str], *, delimiter: str,
               quote_all: bool, line_end: str, final_newline: bool, blank_tail: bool) -> list[str]:
    """The header and each record as CSV text; raw cells are written exactly as given (no quoting)."""
    lines = [delimiter.join(_cell(h, delimiter, False) for h in header)]
    for r, row in enumerate(rows):
        lines.append(delimiter.join(raw.get((r, c), _cell(v, delimiter, quote_all)) for c, v in enumerate(row)))
    text = [line + line_end for line in lines]
    if not final_newline:
        text[-1] = lines[-1]
    elif blank_tail:
        text[-1] += line_end
    return text


def render_xlsx(header: list[str], rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@st.composite
def exports(draw, kinds=tuple(KINDS)) -> Export:
    """An export of 1–30 records; about a third without faults, the rest with one or two faults in random rows."""
    kind_name = draw(st.sampled_from(kinds))
    kind = KINDS[kind_name]
    suffix = draw(st.sampled_from([".csv"] * 6 + [".xlsx"]))
    menu = ["bsn", "ongeldige_waarde"] + (["veldaantal", "gemengde_codering", OPEN_QUOTE] if suffix == ".csv" else [])
    faults = draw(st.sampled_from([0, 0, 0, 1, 1, 1, 1, 2]))
    faults = frozenset(draw(st.lists(st.sampled_from(menu), min_size=faults, max_size=faults, unique=True)))
    if "gemengde_codering" in faults:
        # Both faults write the free text; an unbalanced quote written over an accent would leave one encoding only.
        faults -= {OPEN_QUOTE}
    n = draw(st.integers(2 if "gemengde_codering" in faults or "ongeldige_waarde" in faults else 1, 30))
    base = draw(st.integers(0, 999_000))
    # An unbalanced quote with multi-line cells has no single true record count, so they are not combined.
    multiline = OPEN_QUOTE not in faults
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    records = [record(rng, kind_name, i, base, multiline) for i in range(n)]
    header = list(kind.columns) + [c for c in kind.optional if draw(st.booleans())]
    if draw(st.integers(0, 3)) == 0:
        header = list(draw(st.permutations(header)))
    rows = [[rec[c] for c in header] for rec in records]
    text_column = header.index(kind.text)
    raw: dict[tuple[int, int], str] = {}           # cells written without CSV quoting
    numbers: dict[tuple[int, int], int] = {}       # XLSX number cells
    if "ongeldige_waarde" in faults:
        r = draw(st.integers(0, n - 1))
        choice = draw(st.sampled_from(["kolom", "formule", "dubbel_id", "leeg_id"]))
        if choice == "kolom":
            column, value = draw(st.sampled_from([b for b in kind.bad if b[0] in header]))
        elif choice == "formule":
            column, value = kind.text, draw(st.sampled_from(FORMULAS))
        else:
            column = kind.id_column
            value = "" if choice == "leeg_id" else rows[(r + 1) % n][header.index(column)]
        rows[r][header.index(column)] = value
    if "gemengde_codering" in faults:
        # One record saved as Windows-1252, another as UTF-8, both with an accent: no single encoding reads both.
        old, new = draw(st.permutations(range(n)))[:2]
        rows[old][text_column] = "beëindigd"
        rows[new][text_column] = "één"
    if OPEN_QUOTE in faults:
        r = draw(st.integers(0, n - 1))
        words = " ".join(draw(st.lists(st.sampled_from(PLAIN_WORDS), min_size=1, max_size=3)))
        raw[(r, text_column)] = rows[r][text_column] = draw(st.sampled_from(['"{}', '{}"', 'a"{}'])).format(words)
    if "veldaantal" in faults:
        r = draw(st.integers(0, n - 1))
        rows[r] = rows[r] + ["extra"] if draw(st.booleans()) else rows[r][:-1]
    written_bsns = []
    if "bsn" in faults:
        # Last, so no other fault overwrites it.
        for _ in range(draw(st.integers(1, 3))):
            r = draw(st.integers(0, n - 1))
            c = draw(st.integers(0, len(rows[r]) - 1))
            if "gemengde_codering" in faults and r in (old, new) and c == text_column:
                continue    # the two accents make the file mixed; a BSN written over one would make it plain UTF-8
            spelling = draw(bsn_spellings())[0]
            if c == text_column or draw(st.integers(0, 3)) == 0:
                spelling = draw(st.sampled_from(["{} gebeld", "zie {}.", "klant {}, dossier", "{}"])).format(spelling)
            if suffix == ".xlsx" and spelling.isdigit() and draw(st.booleans()):
                numbers[(r, c)] = int(spelling)     # a number cell: Excel drops a leading zero
            rows[r][c] = spelling
            raw.pop((r, c), None)
            written_bsns.append(spelling)
        if not written_bsns:
            faults = faults - {"bsn"}
    id_column = header.index(kind.id_column)
    ids = tuple(row[id_column] if len(row) > id_column else "" for row in rows)
    texts = tuple((row[text_column].strip() if len(row) > text_column else "") or None for row in rows)
    if suffix == ".xlsx":
        cells = [[numbers.get((r, c), v) for c, v in enumerate(row)] for r, row in enumerate(rows)]
        return Export(kind_name, suffix, None, faults, ids, texts, tuple(written_bsns),
                      (tuple(header), *map(tuple, cells)), render_xlsx(header, cells))
    lines = render_csv(header, rows, raw, delimiter=draw(st.sampled_from([";"] * 4 + [",", "\t"])),
                       quote_all=draw(st.integers(0, 4)) == 0, line_end=draw(st.sampled_from(["\n", "\r\n"])),
                       final_newline=draw(st.integers(0, 5)) > 0, blank_tail=draw(st.integers(0, 5)) == 0)
    if "gemengde_codering" in faults:
        data = b"".join(line.encode("cp1252" if i == old + 1 else "utf-8") for i, line in enumerate(lines))
        return Export(kind_name, suffix, "gemengd", faults, ids, texts, tuple(written_bsns), data, data)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    data = "".join(lines).encode(encoding)
    return Export(kind_name, suffix, encoding, faults, ids, texts, tuple(written_bsns), data, data)
