"""Tables on the dashboard. Every st.dataframe goes through frame(), so its CSV download cannot run a formula when
opened in a spreadsheet: text that would start one gets a leading apostrophe, the spreadsheets' own mark for text."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from monitor.imports.readers import FORMULA_START

# A figure as monitor.formatting writes it (-1,5; -1.234; -€ 5; -12,3%): a spreadsheet reads it as a number.
DUTCH_NUMBER = re.compile(r"-(€ )?\d{1,3}(\.\d{3})*(,\d+)?%?")


def inert(value):
    """' =HYPERLINK(…)' -> "' =HYPERLINK(…)"; '-1,5' and non-text values stay as they are."""
    if not isinstance(value, str):
        return value
    start = value.lstrip()  # also TAB and line breaks: spreadsheets skip them before a formula
    if start.startswith(FORMULA_START) and not DUTCH_NUMBER.fullmatch(start):
        return "'" + value
    return value


def inert_rows(data):
    """A table (list of row dicts or DataFrame) with inert text cells and column names."""
    if isinstance(data, pd.DataFrame):
        return data.rename(columns=inert).map(inert)
    return [{inert(k): inert(v) for k, v in row.items()} for row in data]


def frame(data, into=st, **options) -> None:
    """st.dataframe (in a column or container: into=) with formula-safe text; options as for st.dataframe."""
    into.dataframe(inert_rows(data), **options)
