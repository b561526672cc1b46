"""Dutch number, money and date notation for the dashboard.

Plain string formatting instead of the locale module: the server's locales
are not under our control, and the output must be identical everywhere.

Rounding is ROUND_HALF_UP (2.5 -> 3, 0.125 -> 0,13), the rule readers learn at
school and the one spreadsheets apply, rather than Python's banker's rounding.
Floats are rounded from their shortest repr (str(2.345) == "2.345") instead of
their binary value (2.34499...), so a figure rounds the way it is written.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

MISSING = "–"  # en dash: the usual Dutch table mark for "no figure"

MONTH_NAMES = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)

Number = int | float | Decimal


def _to_decimal(x: Number | None) -> Decimal | None:
    if x is None:
        return None
    value = x if isinstance(x, Decimal) else Decimal(str(x))
    # NaN and infinity are what missing data look like after pandas/DuckDB.
    return value if value.is_finite() else None


def fmt_number(x: Number | None, decimals: int = 0) -> str:
    """1234.5 -> '1.234,5' (decimals=1); None or NaN -> '–'."""
    value = _to_decimal(x)
    if value is None:
        return MISSING
    rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded.is_zero():
        # -0.04 rounds to -0.0; a minus sign on zero only confuses readers.
        rounded = rounded.copy_abs()
    english = f"{rounded:,.{decimals}f}"
    return english.translate(str.maketrans(",.", ".,"))


def fmt_percent(x: Number | None, decimals: int = 1) -> str:
    """A value already in percent: 12.3 -> '12,3%'."""
    text = fmt_number(x, decimals)
    return text if text == MISSING else f"{text}%"


def fmt_euro(x: Number | None, decimals: int = 0) -> str:
    """2864 -> '€ 2.864'; -5 -> '-€ 5'."""
    text = fmt_number(x, decimals)
    if text == MISSING:
        return text
    if text.startswith("-"):
        return f"-€ {text[1:]}"
    return f"€ {text}"


def _without_trailing_zeros(text: str) -> str:
    # Only a decimal part may lose zeros: '250,0' -> '250', never '25'.
    if "," not in text:
        return text
    return text.rstrip("0").rstrip(",")


def is_count(unit: str | None) -> bool:
    """Whether a unit counts whole things ('aantal kinderen', 'nachten'): not a percentage, money or a rate."""
    unit = (unit or "").strip()
    return not (unit.startswith("%") or unit.upper() == "EUR" or unit.lower().startswith("per "))


def fmt_value(x: Number | None, unit: str | None) -> str:
    """Format x as the unit of its indicator asks.

    '%' or '% of …' (e.g. '% jongeren tot 18 jaar') -> percent with one decimal; 'EUR' -> whole euros;
    'per ...' (a rate) -> up to two decimals; anything else (counts such as
    'aantal' or 'nachten') -> up to one decimal.
    """
    unit = (unit or "").strip()
    if unit.startswith("%"):
        return fmt_percent(x)
    if unit.upper() == "EUR":
        # Whole euros always: the plan's amounts are whole (€ 2.864), and a computed € 3.024,90 beside them would
        # mix notations on one card.
        return fmt_euro(x)
    if unit.lower().startswith("per "):
        return _without_trailing_zeros(fmt_number(x, 2))
    return _without_trailing_zeros(fmt_number(x, 1))


def fmt_date(d: date | None) -> str:
    """date(2026, 11, 22) -> '22 november 2026'."""
    if d is None:
        return MISSING
    return f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}"
