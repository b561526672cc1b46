import math
from datetime import date, datetime
from decimal import Decimal

import pytest

from monitor.formatting import (
    MISSING,
    MONTH_NAMES,
    fmt_date,
    fmt_euro,
    fmt_number,
    fmt_percent,
    fmt_value,
)


def test_missing_mark_is_an_en_dash():
    assert MISSING == "\u2013"


@pytest.mark.parametrize(
    ("x", "decimals", "expected"),
    [
        (1234, 0, "1.234"),
        (1234.5, 1, "1.234,5"),
        (-3.2, 1, "-3,2"),
        (-1234.5, 1, "-1.234,5"),
        (45128079, 0, "45.128.079"),
        (1234567.891, 2, "1.234.567,89"),
        (0, 0, "0"),
        (999, 0, "999"),
        (5, 2, "5,00"),
        (Decimal("13601.04"), 2, "13.601,04"),
        (1e20, 0, "100.000.000.000.000.000.000"),
    ],
)
def test_fmt_number(x, decimals, expected):
    assert fmt_number(x, decimals) == expected


@pytest.mark.parametrize(
    ("x", "decimals", "expected"),
    [
        (2.5, 0, "3"),      # half up, not banker's rounding (which gives 2)
        (3.5, 0, "4"),
        (0.5, 0, "1"),
        (-2.5, 0, "-3"),    # half away from zero
        (0.125, 2, "0,13"),
        (2.345, 2, "2,35"),  # float 2.345 is 2.34499... in binary
        (1.005, 2, "1,01"),  # float 1.005 is 1.00499... in binary
        (2.344, 2, "2,34"),
        (999.5, 0, "1.000"),  # rounding carries into a thousands group
        (999999.95, 1, "1.000.000,0"),
        (-0.04, 1, "0,0"),    # no minus sign on a rounded zero
        (-0.4, 0, "0"),
    ],
)
def test_fmt_number_rounds_half_up(x, decimals, expected):
    assert fmt_number(x, decimals) == expected


@pytest.mark.parametrize("missing", [None, math.nan, float("nan"), math.inf, -math.inf, Decimal("NaN")])
def test_missing_values_show_en_dash(missing):
    assert fmt_number(missing) == "–"
    assert fmt_number(missing, 2) == "–"
    assert fmt_percent(missing) == "–"
    assert fmt_euro(missing) == "–"
    assert fmt_value(missing, "%") == "–"
    assert fmt_value(missing, "EUR") == "–"
    assert fmt_value(missing, "per 1.000 inwoners") == "–"
    assert fmt_value(missing, "aantal") == "–"


@pytest.mark.parametrize(
    ("x", "decimals", "expected"),
    [
        (12.3, 1, "12,3%"),
        (12.34, 1, "12,3%"),
        (12.35, 1, "12,4%"),
        (100, 1, "100,0%"),
        (7, 0, "7%"),
        (-1.25, 1, "-1,3%"),
        (1234.5, 1, "1.234,5%"),
        (0.125, 2, "0,13%"),
    ],
)
def test_fmt_percent(x, decimals, expected):
    assert fmt_percent(x, decimals) == expected


def test_fmt_percent_defaults_to_one_decimal():
    assert fmt_percent(12.3) == "12,3%"
    assert fmt_percent(8) == "8,0%"


@pytest.mark.parametrize(
    ("x", "decimals", "expected"),
    [
        (2864, 0, "€ 2.864"),
        (2863.5, 0, "€ 2.864"),
        (13601.04, 2, "€ 13.601,04"),
        (-5, 0, "-€ 5"),
        (-1234.567, 2, "-€ 1.234,57"),
        (-0.4, 0, "€ 0"),
        (45128079, 0, "€ 45.128.079"),
        (0.125, 2, "€ 0,13"),
    ],
)
def test_fmt_euro(x, decimals, expected):
    assert fmt_euro(x, decimals) == expected


def test_fmt_euro_defaults_to_whole_euros():
    assert fmt_euro(2864.4) == "€ 2.864"


@pytest.mark.parametrize(
    ("x", "unit", "expected"),
    [
        # percent
        (12.3, "%", "12,3%"),
        (12.0, "%", "12,0%"),
        (12.35, "%", "12,4%"),
        # euros: always whole euros, ROUND_HALF_UP, so an indicator never mixes € 2.864 and € 3.024,90
        (2864.0, "EUR", "€ 2.864"),
        (2864, "EUR", "€ 2.864"),
        (13601.04, "EUR", "€ 13.601"),
        (13601.5, "EUR", "€ 13.602"),
        (3024.4999, "EUR", "€ 3.024"),
        (-5.0, "EUR", "-€ 5"),
        (Decimal("2864.00"), "EUR", "€ 2.864"),
        (2864.0, "eur", "€ 2.864"),
        # rates: up to two decimals, trailing zeros dropped
        (79.91, "per 1.000 inwoners", "79,91"),
        (79.9, "per 1.000 inwoners", "79,9"),
        (141.0, "per 1.000 inwoners", "141"),
        (3.14159, "per 100 jongeren", "3,14"),
        (2.345, "per 1.000 inwoners", "2,35"),
        (1234.5, "Per 10.000 inwoners", "1.234,5"),
        # counts and anything else: up to one decimal, trailing zeros dropped
        (5914.7, "aantal", "5.914,7"),
        (250.0, "nachten", "250"),
        (5914.75, "aantal", "5.914,8"),
        (5914.96, "aantal", "5.915"),
        (1000, "aantal", "1.000"),
        (45128079, "aantal", "45.128.079"),
        (-0.04, "aantal", "0"),
        (0.05, "aantal", "0,1"),
        (7.5, "", "7,5"),
        (7.5, None, "7,5"),
        (120.0, "personen", "120"),
    ],
)
def test_fmt_value(x, unit, expected):
    assert fmt_value(x, unit) == expected


def test_month_names():
    assert len(MONTH_NAMES) == 12
    assert MONTH_NAMES[0] == "januari"
    assert MONTH_NAMES[2] == "maart"
    assert MONTH_NAMES[4] == "mei"
    assert MONTH_NAMES[11] == "december"


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2026, 11, 22), "22 november 2026"),
        (date(2024, 3, 1), "1 maart 2024"),
        (date(2023, 1, 9), "9 januari 2023"),
        (date(2024, 2, 29), "29 februari 2024"),
        (date(2025, 8, 31), "31 augustus 2025"),
        (datetime(2026, 11, 22, 15, 30), "22 november 2026"),
        (None, "–"),
    ],
)
def test_fmt_date(d, expected):
    assert fmt_date(d) == expected


def test_fmt_value_percent_of_a_group():
    # BBV units such as '% jongeren tot 18 jaar' are percentages too
    assert fmt_value(9.5, "% jongeren tot 18 jaar") == "9,5%"
