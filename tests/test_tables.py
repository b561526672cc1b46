"""CSV downloads from the dashboard: text that a spreadsheet would run as a formula is made inert."""

import pandas as pd

from monitor.formatting import fmt_euro, fmt_number, fmt_percent
from monitor.tables import inert, inert_rows


def test_formula_text_gets_an_apostrophe_after_any_leading_whitespace():
    for text in ("=1+1", "+31 6 1234", "-2+3", "@SUM(A1)", " =HYPERLINK(\"http://x\")", "\t=cmd|' /C calc'!A0",
                 "\r\n-1+1", "-", "=-1,5"):
        assert inert(text) == "'" + text, text


def test_figures_and_ordinary_text_stay_as_they_are():
    # What monitor.formatting writes for negative figures is a number to a spreadsheet, not a formula.
    for text in (fmt_number(-1.5, 1), fmt_number(-1234), fmt_euro(-5), fmt_euro(-2864.5, 2), fmt_percent(-12.3),
                 "Heemskerk", "1.234,5", "–", "", "a=b", "e-mail"):
        assert inert(text) == text, text
    assert [fmt_number(-1.5, 1), fmt_euro(-2864.5, 2), fmt_percent(-12.3)] == ["-1,5", "-€ 2.864,50", "-12,3%"]
    for value in (-1.5, -3, None, pd.NA):
        assert inert(value) is value


def test_rows_and_frames_are_made_inert_cell_by_cell_and_in_the_header():
    rows = [{"Wijk": "=HYPERLINK(\"x\")", "Waarde": "-1,5", "Aantal": -3},
            {"Wijk": "Centrum", "Waarde": " +5", "Aantal": 7}]
    assert inert_rows(rows) == [{"Wijk": "'=HYPERLINK(\"x\")", "Waarde": "-1,5", "Aantal": -3},
                                {"Wijk": "Centrum", "Waarde": "' +5", "Aantal": 7}]
    frame = pd.DataFrame({"Wijk": ["@x", "Zuid"], "=kop": ["-€ 5", "-5+5"], "Aantal": [-2.5, 4.0]})
    safe = inert_rows(frame)
    assert list(safe.columns) == ["Wijk", "'=kop", "Aantal"]
    assert safe.to_dict("list") == {"Wijk": ["'@x", "Zuid"], "'=kop": ["-€ 5", "'-5+5"], "Aantal": [-2.5, 4.0]}
    assert safe["Aantal"].dtype == float  # numbers stay numbers
    assert list(frame.columns) == ["Wijk", "=kop", "Aantal"]  # the caller's frame is not changed
