"""Navigation state the pages share: the peildatum (sidebar and link) and the indicator chosen on its page."""

from __future__ import annotations

import re
from datetime import date

import streamlit as st

PEILDATUM = "peildatum"
PEILDATUM_WIDGET = "peildatum_keuze"
# The widget's range: a linked date outside it cannot be shown, so the link check uses the same bounds.
FIRST_PEILDATUM, LAST_PEILDATUM = date(2000, 1, 1), date(2099, 12, 31)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
INDICATOR = "indicator"
INDICATOR_WIDGET = "indicator_keuze"


def linked_peildatum_problem(raw: str | None) -> str | None:
    """Why a ?peildatum= value from a link cannot be used, in Dutch; None when it can (or there is none)."""
    if raw is None:
        return None
    try:
        day = date.fromisoformat(raw) if ISO_DATE.fullmatch(raw) else None
    except ValueError:
        day = None
    if day is None:
        return (f"De peildatum '{raw}' in de link is geen datum. Schrijf hem als jjjj-mm-dd, bijvoorbeeld "
                "?peildatum=2026-06-30. De peildatum is nu vandaag.")
    if not FIRST_PEILDATUM <= day <= LAST_PEILDATUM:
        return (f"De peildatum {raw} in de link valt buiten {FIRST_PEILDATUM.year}-{LAST_PEILDATUM.year}. "
                "De peildatum is nu vandaag.")
    return None


def _linked_peildatum() -> date:
    """First run of a session: the peildatum of the link, or today with a Dutch message when it is unusable."""
    raw = st.query_params.get(PEILDATUM)
    problem = linked_peildatum_problem(raw)
    if problem:
        st.warning(problem)
    return date.fromisoformat(raw) if raw and not problem else date.today()


def _keep_choice() -> None:
    st.session_state[PEILDATUM] = st.session_state[PEILDATUM_WIDGET]


def peildatum_input() -> date:
    """The peildatum widget, drawn by the entry point on every run; the chosen date is kept in the link.

    Streamlit drops a widget's state when a page does not draw it, so the date lives in its own session value and
    is copied into the widget (Streamlit's documented pattern). Not Streamlit's bind="query-params": a page change
    in the sidebar and st.switch_page drop a bound parameter from the address bar.
    """
    if PEILDATUM not in st.session_state:
        st.session_state[PEILDATUM] = _linked_peildatum()
    st.session_state[PEILDATUM_WIDGET] = st.session_state[PEILDATUM]
    chosen = st.date_input("Peildatum", key=PEILDATUM_WIDGET, on_change=_keep_choice, format="DD-MM-YYYY",
                           min_value=FIRST_PEILDATUM, max_value=LAST_PEILDATUM,
                           help="De voortgang wordt beoordeeld met de metingen die op deze datum bekend waren.")
    # As with Streamlit's own binding, the default (today) stays out of the link.
    if chosen == date.today():
        st.query_params.pop(PEILDATUM, None)
    else:
        st.query_params[PEILDATUM] = chosen.isoformat()
    return chosen


def _follow_choice() -> None:
    st.query_params[INDICATOR] = st.session_state[INDICATOR_WIDGET]


def indicator_choice(ids: list[str], label) -> str:
    """The indicator selectbox, kept equal to ?indicator= (the link decides, a choice rewrites the link).

    Not Streamlit's bind: that puts the shown label ("FF-4 · Inwoners met …") in the URL instead of the id.
    The widget state is set from the link before the widget is drawn instead of passing an index, so the widget
    and the link never disagree and every change takes effect.
    """
    requested = st.query_params.get(INDICATOR, ids[0])
    if requested not in ids:
        st.error(f"Indicator '{requested}' bestaat niet in dit plan. Kies er een uit de lijst.")
        requested = ids[0]
    st.session_state[INDICATOR_WIDGET] = requested
    return st.selectbox("Indicator", ids, key=INDICATOR_WIDGET, format_func=label, on_change=_follow_choice)
