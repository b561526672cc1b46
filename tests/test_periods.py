import dataclasses
from datetime import date

import pytest

from monitor.periods import KINDS, Period, PeriodError, parse_period, years_between

# Every accepted notation with its hand-written kind, first and last day.
NOTATIONS = [
    # years
    ("2023", "jaar", date(2023, 1, 1), date(2023, 12, 31)),
    ("2023JJ00", "jaar", date(2023, 1, 1), date(2023, 12, 31)),
    # half years
    ("2e helft 2023", "halfjaar", date(2023, 7, 1), date(2023, 12, 31)),
    ("1e helft 2024", "halfjaar", date(2024, 1, 1), date(2024, 6, 30)),
    ("2e halfjaar 2023", "halfjaar", date(2023, 7, 1), date(2023, 12, 31)),
    ("1e halfjaar 2024", "halfjaar", date(2024, 1, 1), date(2024, 6, 30)),
    ("1e half jaar 2024", "halfjaar", date(2024, 1, 1), date(2024, 6, 30)),
    ("2023 2e halfjaar", "halfjaar", date(2023, 7, 1), date(2023, 12, 31)),
    ("2023-H2", "halfjaar", date(2023, 7, 1), date(2023, 12, 31)),
    ("H2 2023", "halfjaar", date(2023, 7, 1), date(2023, 12, 31)),
    ("2023HJ01", "halfjaar", date(2023, 1, 1), date(2023, 6, 30)),
    ("2023HJ02", "halfjaar", date(2023, 7, 1), date(2023, 12, 31)),
    # quarters
    ("2023KW01", "kwartaal", date(2023, 1, 1), date(2023, 3, 31)),
    ("2023KW04", "kwartaal", date(2023, 10, 1), date(2023, 12, 31)),
    ("2023 1e kwartaal", "kwartaal", date(2023, 1, 1), date(2023, 3, 31)),
    ("1e kwartaal 2023", "kwartaal", date(2023, 1, 1), date(2023, 3, 31)),
    ("3e kwartaal 2023", "kwartaal", date(2023, 7, 1), date(2023, 9, 30)),
    ("2023-Q1", "kwartaal", date(2023, 1, 1), date(2023, 3, 31)),
    ("2023-Q2", "kwartaal", date(2023, 4, 1), date(2023, 6, 30)),
    ("Q4 2023", "kwartaal", date(2023, 10, 1), date(2023, 12, 31)),
    # months
    ("2023MM01", "maand", date(2023, 1, 1), date(2023, 1, 31)),
    ("2024MM02", "maand", date(2024, 2, 1), date(2024, 2, 29)),
    ("2023MM12", "maand", date(2023, 12, 1), date(2023, 12, 31)),
    ("2023 januari", "maand", date(2023, 1, 1), date(2023, 1, 31)),
    ("januari 2023", "maand", date(2023, 1, 1), date(2023, 1, 31)),
    ("februari 2023", "maand", date(2023, 2, 1), date(2023, 2, 28)),
    ("2023-01", "maand", date(2023, 1, 1), date(2023, 1, 31)),
    ("2023-09", "maand", date(2023, 9, 1), date(2023, 9, 30)),
    # school years
    ("2023-2024", "schooljaar", date(2023, 8, 1), date(2024, 7, 31)),
    ("2023/2024", "schooljaar", date(2023, 8, 1), date(2024, 7, 31)),
    ("schooljaar 2023-2024", "schooljaar", date(2023, 8, 1), date(2024, 7, 31)),
    ("schooljaar 2023/2024", "schooljaar", date(2023, 8, 1), date(2024, 7, 31)),
    ("2023 - 2024", "schooljaar", date(2023, 8, 1), date(2024, 7, 31)),
    # reference dates
    ("30 juni 2024", "peildatum", date(2024, 6, 30), date(2024, 6, 30)),
    ("1 januari 2024", "peildatum", date(2024, 1, 1), date(2024, 1, 1)),
    ("2024-06-30", "peildatum", date(2024, 6, 30), date(2024, 6, 30)),
    ("30-06-2024", "peildatum", date(2024, 6, 30), date(2024, 6, 30)),
    ("1-7-2024", "peildatum", date(2024, 7, 1), date(2024, 7, 1)),
    ("29-02-2024", "peildatum", date(2024, 2, 29), date(2024, 2, 29)),
    # multi-year spans
    ("2019-2022", "meerjarig", date(2019, 1, 1), date(2022, 12, 31)),
    ("2019–2022", "meerjarig", date(2019, 1, 1), date(2022, 12, 31)),
    ("2020-2022", "meerjarig", date(2020, 1, 1), date(2022, 12, 31)),
]


@pytest.mark.parametrize(("text", "kind", "start", "end"), NOTATIONS)
def test_parse_every_notation(text, kind, start, end):
    assert parse_period(text) == Period(kind, start, end)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("  2E   Helft   2023  ", "2023-H2"),
        ("2023kw01", "2023-Q1"),
        ("2023hj02", "2023-H2"),
        ("2023jj00", "2023"),
        ("JANUARI 2023", "2023-01"),
        ("2023 Januari", "2023-01"),
        ("Schooljaar 2023-2024", "2023/2024"),
        ("2023-q3", "2023-Q3"),
        ("h1 2024", "2024-H1"),
        ("\t30\u00a0Juni 2024\n", "2024-06-30"),
    ],
)
def test_parse_ignores_case_and_whitespace(text, code):
    assert parse_period(text).code == code


@pytest.mark.parametrize(("text", "kind", "start", "end"), NOTATIONS)
def test_every_notation_round_trips_through_its_code(text, kind, start, end):
    period = parse_period(text)
    assert parse_period(period.code) == period


@pytest.mark.parametrize(
    "code",
    ["2023", "2023-H1", "2023-H2", "2023-Q1", "2023-Q4", "2023-01", "2023-12",
     "2023/2024", "2024-06-30", "2019-2022"],
)
def test_canonical_codes_are_fixed_points(code):
    assert parse_period(code).code == code


@pytest.mark.parametrize(
    ("text", "code", "label"),
    [
        ("2023JJ00", "2023", "2023"),
        ("2e helft 2023", "2023-H2", "2e halfjaar 2023"),
        ("2024HJ01", "2024-H1", "1e halfjaar 2024"),
        ("2023KW01", "2023-Q1", "1e kwartaal 2023"),
        ("4e kwartaal 2023", "2023-Q4", "4e kwartaal 2023"),
        ("2023MM01", "2023-01", "januari 2023"),
        ("2023-11", "2023-11", "november 2023"),
        ("2023-2024", "2023/2024", "schooljaar 2023-2024"),
        ("30-06-2024", "2024-06-30", "30 juni 2024"),
        ("2024-03-01", "2024-03-01", "1 maart 2024"),
        ("2019-2022", "2019-2022", "2019-2022"),
    ],
)
def test_code_and_label(text, code, label):
    period = parse_period(text)
    assert period.code == code
    assert period.label == label
    assert str(period) == label


def test_sorting_mixed_kinds_by_end_then_start():
    shuffled = [
        "2023/2024", "2023", "2023-06-30", "2019-2022", "2023-H2", "2023-06",
        "2022/2023", "2024-01-01", "2023-Q2", "2021-2023", "2022", "2023-H1",
    ]
    expected = [
        "2019-2022",   # ends 31-12-2022, starts 2019
        "2022",        # ends 31-12-2022, starts 2022
        "2023-H1",     # ends 30-06-2023, starts 1 jan
        "2023-Q2",     # ends 30-06-2023, starts 1 apr
        "2023-06",     # ends 30-06-2023, starts 1 jun
        "2023-06-30",  # ends 30-06-2023, starts 30 jun
        "2022/2023",   # ends 31-07-2023
        "2021-2023",   # ends 31-12-2023, starts 2021
        "2023",        # ends 31-12-2023, starts 1 jan 2023
        "2023-H2",     # ends 31-12-2023, starts 1 jul 2023
        "2024-01-01",  # ends 01-01-2024
        "2023/2024",   # ends 31-07-2024
    ]
    assert [p.code for p in sorted(parse_period(c) for c in shuffled)] == expected


def test_comparison_operators():
    h1, year, school = parse_period("2023-H1"), parse_period("2023"), parse_period("2023/2024")
    assert h1 < year < school
    assert h1 <= year and year <= year
    assert school > year and school >= school
    assert not year < h1
    assert max([h1, school, year]) == school
    assert min([school, year, h1]) == h1
    # End decides before start: the half year ends before the school year that began earlier.
    assert parse_period("2023-H1") < parse_period("2022/2023")


def test_ordering_with_other_types_is_a_type_error():
    with pytest.raises(TypeError):
        parse_period("2023") < date(2024, 1, 1)


def test_equality_and_hash_use_kind_start_end():
    assert parse_period("2023KW01") == parse_period("1e kwartaal 2023")
    assert parse_period("2023KW01") != parse_period("2023MM01")
    assert parse_period("2023") != "2023"
    assert len({parse_period("2023"), parse_period("2023JJ00"), parse_period("2023-H1")}) == 2
    lookup = {parse_period("2e helft 2023"): 42}
    assert lookup[parse_period("2023HJ02")] == 42


def test_period_is_immutable():
    period = parse_period("2023")
    with pytest.raises(dataclasses.FrozenInstanceError):
        period.end = date(2024, 12, 31)


@pytest.mark.parametrize(
    ("kind", "start", "end"),
    [
        ("jaar", date(2023, 3, 1), date(2023, 12, 31)),
        ("jaar", date(2023, 1, 1), date(2023, 12, 30)),
        ("halfjaar", date(2023, 4, 1), date(2023, 9, 30)),
        ("kwartaal", date(2023, 2, 1), date(2023, 4, 30)),
        ("maand", date(2023, 1, 2), date(2023, 2, 1)),
        ("schooljaar", date(2023, 9, 1), date(2024, 8, 31)),
        ("peildatum", date(2024, 6, 30), date(2024, 7, 1)),
        ("meerjarig", date(2019, 1, 1), date(2020, 12, 31)),
        ("meerjarig", date(2019, 2, 1), date(2022, 12, 31)),
        ("week", date(2024, 1, 1), date(2024, 1, 7)),
        ("Jaar", date(2023, 1, 1), date(2023, 12, 31)),
    ],
)
def test_misaligned_periods_cannot_be_constructed(kind, start, end):
    with pytest.raises(PeriodError, match="Geen geldige periode"):
        Period(kind, start, end)


def test_every_kind_has_an_example():
    assert {parse_period(text).kind for text, *_ in NOTATIONS} == set(KINDS)


@pytest.mark.parametrize(
    ("code", "next_code"),
    [
        ("2023", "2024"),
        ("2023-H1", "2023-H2"),
        ("2023-H2", "2024-H1"),
        ("2023-Q3", "2023-Q4"),
        ("2023-Q4", "2024-Q1"),
        ("2023-01", "2023-02"),
        ("2023-12", "2024-01"),
        ("2023/2024", "2024/2025"),
        ("2024-06-30", "2025-06-30"),
        ("2024-02-29", "2025-02-28"),
        ("2019-2022", "2023-2026"),
        ("2020-2022", "2023-2025"),
    ],
)
def test_following(code, next_code):
    assert parse_period(code).following().code == next_code


def test_following_keeps_kind_and_dates():
    assert parse_period("2023-H2").following() == Period(
        "halfjaar", date(2024, 1, 1), date(2024, 6, 30)
    )
    assert parse_period("2023-01").following() == Period(
        "maand", date(2023, 2, 1), date(2023, 2, 28)
    )


@pytest.mark.parametrize(
    ("code", "day", "inside"),
    [
        ("2023-H2", date(2023, 7, 1), True),
        ("2023-H2", date(2023, 12, 31), True),
        ("2023-H2", date(2023, 6, 30), False),
        ("2023-H2", date(2024, 1, 1), False),
        ("2023/2024", date(2023, 8, 1), True),
        ("2023/2024", date(2024, 7, 31), True),
        ("2023/2024", date(2023, 7, 31), False),
        ("2023/2024", date(2024, 8, 1), False),
        ("2024-06-30", date(2024, 6, 30), True),
        ("2024-06-30", date(2024, 7, 1), False),
        ("2019-2022", date(2021, 5, 5), True),
        ("2019-2022", date(2023, 1, 1), False),
        ("2024-02", date(2024, 2, 29), True),
    ],
)
def test_contains(code, day, inside):
    assert parse_period(code).contains(day) is inside


@pytest.mark.parametrize(
    ("code", "months"),
    [
        ("2023", 12),
        ("2023-H2", 6),
        ("2023-Q1", 3),
        ("2023-02", 1),
        ("2023/2024", 12),
        ("2024-06-30", 0),
        ("2019-2022", 48),
    ],
)
def test_duration_months(code, months):
    assert parse_period(code).duration_months == months


BAD_INPUTS = [
    "",
    "   ",
    "2023-2023",
    "2024-2023",
    "13e helft 2023",
    "3e helft 2023",
    "0e kwartaal 2023",
    "5e kwartaal 2023",
    "2023-H3",
    "2023-Q5",
    "2023HJ03",
    "2023KW05",
    "2023MM13",
    "2023MM00",
    "2023JJ01",
    "2023-13",
    "31-02-2024",
    "29-02-2023",
    "2024-02-30",
    "31 juni 2024",
    "schooljaar 2019-2022",
    "schooljaar 2023",
    "abc",
    "jan 2023",
    "0999",
    "20233",
    "2023-1",
]


@pytest.mark.parametrize("bad", BAD_INPUTS)
def test_bad_input_raises_period_error_naming_the_text(bad):
    with pytest.raises(PeriodError) as caught:
        parse_period(bad)
    message = str(caught.value)
    assert f"Periode '{bad}'" in message
    assert message.endswith(
        "Gebruik bijvoorbeeld 2023, 2e helft 2023, 2023-2024 (schooljaar), 2023KW01 of 30-06-2024."
    )


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("abc", "niet herkend"),
        ("2023-2023", "is ongeldig: het eindjaar moet na het beginjaar liggen"),
        ("13e helft 2023", "is ongeldig: halfjaar 13 bestaat niet (alleen 1 of 2)"),
        ("2023KW05", "is ongeldig: kwartaal 5 bestaat niet (alleen 1 t/m 4)"),
        ("2023MM13", "is ongeldig: maand 13 bestaat niet (alleen 1 t/m 12)"),
        ("31-02-2024", "is ongeldig: februari 2024 heeft geen dag 31"),
        ("15-13-2024", "is ongeldig: maand 13 bestaat niet"),
        ("schooljaar 2019-2022", "is ongeldig: een schooljaar loopt over twee opeenvolgende"),
    ],
)
def test_error_explains_why(bad, reason):
    with pytest.raises(PeriodError) as caught:
        parse_period(bad)
    assert f"Periode '{bad}' {reason}" in str(caught.value)


def test_period_error_is_a_value_error():
    with pytest.raises(ValueError):
        parse_period("foo")


def test_years_between():
    assert years_between(date(2020, 1, 1), date(2024, 1, 1)) == 4.0  # 1461 days
    assert years_between(date(2023, 1, 1), date(2024, 6, 30)) == pytest.approx(1.49487, abs=1e-5)
    assert years_between(date(2024, 1, 1), date(2023, 1, 1)) == pytest.approx(-0.99932, abs=1e-5)
    assert years_between(date(2024, 1, 1), date(2024, 1, 1)) == 0.0
