"""Components of the page "Armoede en schulden": bereik, vroegsignalering, schulden, kinderen in armoede, context."""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from monitor import armoede, bereik, store
from monitor.formatting import fmt_number, fmt_percent, fmt_value
from monitor.periods import parse_period

HEEMSKERK_COLOUR = "#1f4e79"
NATIONAL_COLOUR = "#9e9e9e"


@st.cache_data(show_spinner=False)
def _read(path: str, modified: float, gemeente_code: str):
    con = store.connect(Path(path), read_only=True)
    try:
        return bereik.bereik_reeks(con), armoede.vroegsignalering_funnel(con, gemeente_code)
    finally:
        con.close()


def figures(db_path: Path, gemeente_code: str):
    """(bereik series, vroegsignalering funnel), reread when the database changes."""
    return _read(str(db_path), db_path.stat().st_mtime, gemeente_code)


def bereik_section(series) -> None:
    if series.empty:
        st.info("Nog geen bereikcijfers: importeer een Suite4SD-export toekenningen minimaregelingen.")
        return
    latest = series[series["periode"] == series["periode"].iloc[-1]]
    st.dataframe([{
        "Regeling": r.naam,
        "Inkomensgrens": f"{fmt_number(r.inkomensgrens)}% Wsm" if r.inkomensgrens == r.inkomensgrens else "–",
        "Doelgroep (huishoudens)": fmt_number(r.doelgroep_huishoudens),
        "Gebruik (huishoudens)": fmt_number(r.gebruik_huishoudens),
        "Bereik": fmt_percent(r.bereik_pct, 0),
        "Landelijk": _band(r.landelijk_min, r.landelijk_max),
        "Beoordeling": r.beoordeling,
    } for r in latest.itertuples()], hide_index=True, width="stretch")
    st.caption(f"Periode: {latest['periode'].iloc[0]} · Bron: {latest['bron'].iloc[0]}")
    figure = go.Figure()
    for code, rows in series.groupby("code", sort=False):
        figure.add_trace(go.Scatter(x=rows["periode"], y=rows["bereik_pct"], mode="lines+markers",
                                    name=rows["naam"].iloc[0]))
    figure.update_layout(separators=",.", height=320, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                         yaxis={"title": "bereik (%)", "range": [0, 100]}, legend={"orientation": "h", "y": -0.25})
    st.plotly_chart(figure, key="bereik-reeks", config={"displaylogo": False})


def _band(low, high) -> str:
    if low != low or low is None:
        return "onbekend"
    return f"{fmt_number(low)}–{fmt_number(high)}%"


def funnel_section(funnel) -> None:
    if funnel.empty:
        st.info("Nog geen cijfers van de Monitor Vroegsignalering Schulden: importeer een Divosa-export.")
        return
    period = parse_period(funnel["periode"].iloc[0]).label
    cells = st.columns(len(funnel))
    for cell, row in zip(cells, funnel.itertuples()):
        national = getattr(row, "landelijk", None)
        cell.metric(row.stap, fmt_value(row.gemeente, row.eenheid),
                    help=f"Landelijk: {fmt_value(national, row.eenheid)}" if national == national else None,
                    border=True)
        if national == national and national is not None:
            cell.caption(f"landelijk {fmt_value(national, row.eenheid)}")
    shares = funnel[funnel["eenheid"] == "%"]
    figure = go.Figure([
        go.Bar(x=shares["stap"], y=shares["gemeente"], name="Heemskerk", marker_color=HEEMSKERK_COLOUR),
        go.Bar(x=shares["stap"], y=shares.get("landelijk"), name="Landelijk", marker_color=NATIONAL_COLOUR),
    ])
    figure.update_layout(barmode="group", separators=",.", height=300, yaxis={"title": "%", "range": [0, 100]},
                         margin={"l": 10, "r": 10, "t": 10, "b": 10}, legend={"orientation": "h", "y": -0.3})
    st.plotly_chart(figure, key="vroegsignalering", config={"displaylogo": False})
    st.caption(f"Bron: Divosa, Monitor Vroegsignalering Schulden, {period}")


def children_in_poverty(context) -> None:
    row = context[context["onderwerp"] == "Kinderen in armoede"].iloc[0]
    figure = go.Figure(go.Bar(x=["Heemskerk", "Nederland"], y=[row.heemskerk, row.nederland],
                              marker_color=[HEEMSKERK_COLOUR, NATIONAL_COLOUR],
                              text=[fmt_percent(row.heemskerk), fmt_percent(row.nederland)], textposition="outside"))
    figure.update_layout(separators=",.", height=260, yaxis={"title": row.eenheid},
                         margin={"l": 10, "r": 10, "t": 10, "b": 10})
    st.plotly_chart(figure, key="kinderen-armoede", config={"displaylogo": False})
    st.caption(f"{row.periode} · Bron: {row.bron}. {row.toelichting}")


def context_table(context) -> None:
    st.dataframe([{
        "Onderwerp": r.onderwerp,
        "Periode": r.periode,
        "Heemskerk": fmt_value(r.heemskerk, r.eenheid),
        "Nederland": fmt_value(r.nederland, r.eenheid) if r.nederland == r.nederland else "–",
        "Bron": r.bron,
    } for r in context.itertuples()], hide_index=True, width="stretch")
