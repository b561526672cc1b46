"""The comparison with other gemeenten on the indicator page: neighbours, vergelijkingsgroep, size class, Nederland."""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from monitor import peers, store, tables
from monitor.formatting import fmt_number, fmt_value
from monitor.periods import parse_period

HEADING = "Vergelijking met andere gemeenten"


@st.cache_data(show_spinner="Vergelijking wordt berekend …")
def _peer_table(path: str, modified: float, indicator_id: str, gemeente_code: str):
    """(values of the latest period the gemeente has, rank, number of gemeenten), from one query for all regions."""
    con = store.connect(Path(path), read_only=True)
    try:
        return peers.latest_comparison(con, indicator_id, gemeente_code)
    finally:
        con.close()


def peer_section(db_path: Path, indicator, gemeente_code: str) -> None:
    if not indicator.berekening:
        return
    if not peers.comparable(indicator.berekening):
        st.subheader(HEADING)
        st.info(peers.NO_PEERS)
        return
    values, position, count = _peer_table(str(db_path), db_path.stat().st_mtime, indicator.id, gemeente_code)
    values = values[values["waarde"].notna()]
    if len(values) < 2:
        return
    st.subheader(HEADING)
    period = parse_period(values["periode"].iloc[0]).label
    figure = go.Figure(go.Bar(
        x=values["naam"], y=values["waarde"],
        marker_color=["#1f4e79" if role == "gemeente" else "#9e9e9e" for role in values["rol"]],
        text=[fmt_value(v, indicator.eenheid) for v in values["waarde"]], textposition="outside",
    ))
    figure.update_layout(separators=",.", height=320, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                         yaxis={"title": indicator.eenheid})
    st.plotly_chart(figure, key=f"peers-{indicator.id}", config={"displaylogo": False})
    tables.frame([{"Vergelijking": r.rol, "Gemeente of groep": r.naam, "Waarde": fmt_value(r.waarde, r.eenheid)}
                  for r in values.itertuples()], hide_index=True, width="stretch")
    if position:
        st.caption(f"{period}: plaats {fmt_number(position)} van {fmt_number(count)} gemeenten (1 = hoogste waarde; "
                   "hoger is niet vanzelf beter). Grootteklasse: ongewogen gemiddelde. Zie docs/vergelijking.md.")
