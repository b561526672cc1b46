"""One comparable period type for the many notations in plan and sources.

The policy plan, CBS StatLine, GGD and the municipality's own registrations
write periods differently ("2e helft 2023", "2023KW01", "2023/2024",
"30 juni 2024"). parse_period maps them all to Period, whose ``code`` is the
single spelling stored in the database and whose ``label`` is shown to users.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from .formatting import MONTH_NAMES, fmt_date

KINDS = ("jaar", "halfjaar", "kwartaal", "maand", "schooljaar", "peildatum", "meerjarig")

# Kinds that tile the calendar in whole months: length and allowed first months.
_MONTH_SPANS = {
    "jaar": (12, (1,)),
    "halfjaar": (6, (1, 7)),
    "kwartaal": (3, (1, 4, 7, 10)),
    "maand": (1, tuple(range(1, 13))),
    "schooljaar": (12, (8,)),
}

_EXAMPLES = "2023, 2e helft 2023, 2023-2024 (schooljaar), 2023KW01 of 30-06-2024"


class PeriodError(ValueError):
    """A text or a (kind, start, end) combination that is no valid period."""


def _span_end(start: date, months: int) -> date:
    """Last day of the span of `months` whole months beginning at `start`."""
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1) - timedelta(days=1)


@functools.total_ordering
@dataclass(frozen=True)
class Period:
    """A period of one of KINDS; `end` is the last day included."""

    kind: str
    start: date
    end: date

    def __post_init__(self) -> None:
        # Rejecting misaligned spans keeps code/label exact and makes
        # (start, end) identify the kind, so ordering agrees with ==.
        if not self._is_aligned():
            raise PeriodError(
                f"Geen geldige periode: soort '{self.kind}' van {self.start} "
                f"tot en met {self.end}."
            )

    def _is_aligned(self) -> bool:
        if self.kind in _MONTH_SPANS:
            months, first_months = _MONTH_SPANS[self.kind]
            return (
                self.start.day == 1
                and self.start.month in first_months
                and self.end == _span_end(self.start, months)
            )
        if self.kind == "peildatum":
            return self.start == self.end
        if self.kind == "meerjarig":
            # Two consecutive years would be a schooljaar in the notation.
            return (
                (self.start.month, self.start.day) == (1, 1)
                and (self.end.month, self.end.day) == (12, 31)
                and self.end.year - self.start.year >= 2
            )
        return False

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        # By end first: a figure "over 1e helft 2023" is known before the
        # one over 2023, so it comes first in a time series.
        return (self.end, self.start) < (other.end, other.start)

    def __str__(self) -> str:
        return self.label

    def _index(self) -> int:
        """Number of a half year, quarter or month within its year."""
        months = _MONTH_SPANS[self.kind][0]
        return (self.start.month - 1) // months + 1

    @property
    def code(self) -> str:
        """Canonical database spelling; parse_period(p.code) == p."""
        year = self.start.year
        match self.kind:
            case "jaar":
                return str(year)
            case "halfjaar":
                return f"{year}-H{self._index()}"
            case "kwartaal":
                return f"{year}-Q{self._index()}"
            case "maand":
                return f"{year}-{self.start.month:02d}"
            case "schooljaar":
                return f"{year}/{year + 1}"
            case "peildatum":
                return self.start.isoformat()
            case _:
                return f"{year}-{self.end.year}"

    @property
    def label(self) -> str:
        """Dutch display text, e.g. '2e halfjaar 2023'."""
        year = self.start.year
        match self.kind:
            case "jaar":
                return str(year)
            case "halfjaar":
                return f"{self._index()}e halfjaar {year}"
            case "kwartaal":
                return f"{self._index()}e kwartaal {year}"
            case "maand":
                return f"{MONTH_NAMES[self.start.month - 1]} {year}"
            case "schooljaar":
                return f"schooljaar {year}-{year + 1}"
            case "peildatum":
                return fmt_date(self.start)
            case _:
                return f"{year}-{self.end.year}"

    @property
    def duration_months(self) -> int:
        """Whole calendar months covered; 0 for a peildatum (a moment)."""
        if self.kind == "peildatum":
            return 0
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    def following(self) -> Period:
        """The next period of the same kind and length."""
        if self.kind == "peildatum":
            try:
                day = self.start.replace(year=self.start.year + 1)
            except ValueError:
                # 29 February has no counterpart; the end of February is closest.
                day = date(self.start.year + 1, 2, 28)
            return Period("peildatum", day, day)
        start = self.end + timedelta(days=1)
        if self.kind == "meerjarig":
            years = self.end.year - self.start.year + 1
            return Period("meerjarig", start, date(start.year + years - 1, 12, 31))
        return Period(self.kind, start, _span_end(start, _MONTH_SPANS[self.kind][0]))


class _Rejected(Exception):
    """A text in a known notation whose values are impossible; carries why."""


def _in_year(kind: str, year: int, number: int) -> Period:
    months, first_months = _MONTH_SPANS[kind]
    count = len(first_months)
    if not 1 <= number <= count:
        choices = "1 of 2" if count == 2 else f"1 t/m {count}"
        raise _Rejected(f"{kind} {number} bestaat niet (alleen {choices})")
    start = date(year, first_months[number - 1], 1)
    return Period(kind, start, _span_end(start, months))


def _day(year: int, month: int, day: int) -> Period:
    _in_year("maand", year, month)
    try:
        d = date(year, month, day)
    except ValueError:
        raise _Rejected(f"{MONTH_NAMES[month - 1]} {year} heeft geen dag {day}") from None
    return Period("peildatum", d, d)


def _year_range(first: int, last: int, school_year: bool) -> Period:
    if last <= first:
        raise _Rejected("het eindjaar moet na het beginjaar liggen")
    if last == first + 1:
        return Period("schooljaar", date(first, 8, 1), date(last, 7, 31))
    if school_year:
        raise _Rejected("een schooljaar loopt over twee opeenvolgende jaren, zoals 2023-2024")
    return Period("meerjarig", date(first, 1, 1), date(last, 12, 31))


_MONTH_NUMBERS = {name: number for number, name in enumerate(MONTH_NAMES, start=1)}

# Years 1000-2999 cover all data and keep date arithmetic far from its limits.
_Y = r"(?P<y>[12]\d{3})"
_N = r"(?P<n>\d{1,2})"
_NAME = "(?P<name>" + "|".join(MONTH_NAMES) + ")"
# CBS writes both "1e halfjaar 2024" and "1e half jaar 2024" (85098NED, 85099NED).
_HALF = r"(?:helft|half\s*jaar)"


def _year(m: re.Match[str]) -> int:
    return int(m["y"])


def _half(m: re.Match[str]) -> Period:
    return _in_year("halfjaar", _year(m), int(m["n"]))


def _quarter(m: re.Match[str]) -> Period:
    return _in_year("kwartaal", _year(m), int(m["n"]))


def _month(m: re.Match[str]) -> Period:
    return _in_year("maand", _year(m), int(m["m"]))


def _named_month(m: re.Match[str]) -> Period:
    return _in_year("maand", _year(m), _MONTH_NUMBERS[m["name"]])


def _numeric_day(m: re.Match[str]) -> Period:
    return _day(_year(m), int(m["m"]), int(m["d"]))


# Patterns match the whole text after lower-casing and collapsing whitespace.
# CBS period codes are yyyyXXnn: JJ00 year, KW01-04 quarter, MM01-12 month.
# For half years, public CBS period decoders (a date-fns based StatLine
# parser in several GitHub projects) map HJ01/HJ02 to the first/second half;
# CBS's own R clients (cbsodataR, cbsodata4) only decode JJ, KW and MM.
_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], Period]]] = [
    (re.compile(pattern), build)
    for pattern, build in [
        (rf"{_Y}(?:jj00)?", lambda m: _in_year("jaar", _year(m), 1)),
        (rf"{_Y}hj(?P<n>\d\d)", _half),
        (rf"{_N}e {_HALF} {_Y}", _half),
        (rf"{_Y} {_N}e {_HALF}", _half),
        (rf"{_Y}-h{_N}", _half),
        (rf"h{_N} {_Y}", _half),
        (rf"{_Y}kw(?P<n>\d\d)", _quarter),
        (rf"{_N}e kwartaal {_Y}", _quarter),
        (rf"{_Y} {_N}e kwartaal", _quarter),
        (rf"{_Y}-q{_N}", _quarter),
        (rf"q{_N} {_Y}", _quarter),
        (rf"{_Y}mm(?P<m>\d\d)", _month),
        (rf"{_Y}-(?P<m>\d\d)", _month),
        (rf"{_NAME} {_Y}", _named_month),
        (rf"{_Y} {_NAME}", _named_month),
        (
            # Word and PDF sources often turn the hyphen into an en dash.
            rf"(?P<school>schooljaar )?{_Y} ?[-/–] ?(?P<last>[12]\d{{3}})",
            lambda m: _year_range(_year(m), int(m["last"]), m["school"] is not None),
        ),
        (rf"{_Y}-(?P<m>\d\d)-(?P<d>\d\d)", _numeric_day),
        (rf"(?P<d>\d{{1,2}})-(?P<m>\d{{1,2}})-{_Y}", _numeric_day),
        (
            rf"(?P<d>\d{{1,2}}) {_NAME} {_Y}",
            lambda m: _day(_year(m), _MONTH_NUMBERS[m["name"]], int(m["d"])),
        ),
    ]
]


def parse_period(text: str) -> Period:
    """Read a period in any supported notation; raise PeriodError otherwise."""
    normalized = " ".join(text.split()).lower()
    for pattern, build in _PATTERNS:
        match = pattern.fullmatch(normalized)
        if match:
            try:
                return build(match)
            except _Rejected as exc:
                raise PeriodError(
                    f"Periode '{text}' is ongeldig: {exc}. Gebruik bijvoorbeeld {_EXAMPLES}."
                ) from None
    raise PeriodError(f"Periode '{text}' niet herkend. Gebruik bijvoorbeeld {_EXAMPLES}.")


def years_between(a: date, b: date) -> float:
    """b - a in years, counting 365.25 days a year."""
    return (b - a).days / 365.25
