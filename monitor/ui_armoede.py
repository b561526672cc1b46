"""Components of the page "Armoede en schulden": bereik, vroegsignalering, schulden, kinderen in armoede, context."""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from indicators import financieel_fit
from monitor import armoede, bereik, store, tables
from monitor.formatting import fmt_number, fmt_percent, fmt_value
from monitor.periods import parse_period
from monitor.suppression import suppress

HEEMSKERK_COLOUR = "#1f4e79"
NATIONAL_COLOUR = "#9e9e9e"


@st.cache_data(show_spinner=False)
def _read(path: str, modified: float, gemeente_code: str, year: str):
    con = store.connect(Path(path), read_only=True)
    try:
        return (bereik.bereik_reeks(con), armoede.vroegsignalering_funnel(con, gemeente_code),
                financieel_fit.toekenningen_per_regeling(con, year), financieel_fit.terugval_vergelijking(con),
                armoede.toekenningen_are_example(con))
    finally:
        con.close()


def figures(db_path: Path, gemeente_code: str, year: str):
    """(bereik series, vroegsignalering funnel, toekenningen per regeling in the year, terugval Divosa and computed,
    whether the toekenningen are voorbeelddata), reread when the database changes."""
    return _read(str(db_path), db_path.stat().st_mtime, gemeente_code, year)


def toekenningen_section(per_regeling, year: str, example: bool) -> None:
    """Toekenningen per regeling for the council: small counts suppressed so no household can be singled out."""
    shown = per_regeling[per_regeling["toekenningen"] > 0]
    if shown.empty:
        st.info(f"Geen toekenningen in {year}: importeer een Suite4SD-export toekenningen minimaregelingen.")
        return
    cells = suppress(shown["toekenningen"].reset_index(drop=True))
    tables.frame([{"Regeling": naam, "Toekenningen": cell} for naam, cell in zip(shown["naam"], cells)]
                 + [{"Regeling": "Totaal", "Toekenningen": fmt_number(shown["toekenningen"].sum())}],
                 hide_index=True, width="stretch")
    st.caption(f"{year}: toegekende besluiten met een besluitdatum in het jaar (FF-1). Aantallen onder de drempel "
               "staan als <5; een cel met x is verborgen zodat een klein aantal niet uit het totaal volgt.")
    if example:
        st.caption(EXAMPLE_RECORDS)


def terugval_section(vergelijking) -> None:
    rows = vergelijking.reeksen
    if rows.empty:
        st.info("Nog geen terugvalcijfers: importeer de Divosa-benchmark of een Suite4SD-export uitkeringen.")
        return
    tables.frame([{
        "Periode": parse_period(r.periode).label,
        "Divosa (meetinstrument van het plan)": fmt_percent(r.divosa) if r.divosa == r.divosa else "–",
        "Berekend uit Suite4SD": fmt_percent(r.berekend) if r.berekend == r.berekend else "–",
        "Teller / noemer": f"{fmt_number(r.teller)} / {fmt_number(r.noemer)}" if r.noemer == r.noemer else "–",
    } for r in rows.itertuples()], hide_index=True, width="stretch")
    example = " De berekende cijfers komen uit voorbeelddata." if vergelijking.voorbeelddata else ""
    st.caption(vergelijking.uitleg + example)


EXAMPLE_RECORDS = (":orange[Voorbeelddata: de toekenningen komen uit gegenereerde voorbeeldexports, niet uit "
                   "Suite4SD. Alleen de KWIZ-meting 2021-2022 is echt.]")


def bereik_section(series, example: bool) -> None:
    if series.empty:
        st.info("Nog geen bereikcijfers: importeer een Suite4SD-export toekenningen minimaregelingen.")
        return
    latest = series[series["periode"] == series["periode"].iloc[-1]]
    tables.frame([{
        "Regeling": r.naam,
        "Inkomensgrens": f"{fmt_number(r.inkomensgrens)}% Wsm" if r.inkomensgrens == r.inkomensgrens else "–",
        "Doelgroep (huishoudens)": fmt_number(r.doelgroep_huishoudens),
        "Gebruik (huishoudens)": fmt_number(r.gebruik_huishoudens),
        "Bereik": fmt_percent(r.bereik_pct, 0),
        "Landelijk": _band(r.landelijk_min, r.landelijk_max),
        "Beoordeling": r.beoordeling,
    } for r in latest.itertuples()], hide_index=True, width="stretch")
    st.caption(f"Periode: {latest['periode'].iloc[0]} · Bron: {latest['bron'].iloc[0]}")
    if example:
        st.caption(EXAMPLE_RECORDS)
    figure = go.Figure()
    for code, rows in series.groupby("code", sort=False):
        figure.add_trace(go.Scatter(x=rows["periode"], y=rows["bereik_pct"], mode="lines+markers",
                                    name=rows["naam"].iloc[0]))
    figure.update_layout(separators=",.", height=320, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                         yaxis={"title": "bereik (%)", "range": [0, 100]}, legend={"orientation": "h", "y": -0.25},
                         # Periods are labels ("1 juli 2021 tot 1 juli 2022", "2023"), not numbers on an axis.
                         xaxis={"type": "category"})
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
    tables.frame([{
        "Onderwerp": r.onderwerp,
        "Periode": r.periode,
        "Heemskerk": fmt_value(r.heemskerk, r.eenheid),
        "Nederland": fmt_value(r.nederland, r.eenheid) if r.nederland == r.nederland else "–",
        "Bron": r.bron,
    } for r in context.itertuples()], hide_index=True, width="stretch")
