import streamlit as st

from monitor import ui, ui_peers

snap = ui.current_snapshot()
ui.sidebar(snap)
ids = [i.id for i in snap.plan.indicators]
requested = st.query_params.get("indicator", ids[0])
if requested not in ids:
    st.error(f"Indicator '{requested}' bestaat niet in dit plan. Kies er een uit de lijst.")
    requested = ids[0]
chosen = st.selectbox("Indicator", ids, index=ids.index(requested),
                      format_func=lambda i: f"{i} · {snap.plan.indicator(i).titel}")
st.query_params["indicator"] = chosen
progress = snap.progress[chosen]
indicator = progress.indicator
st.title(f"{indicator.id} · {indicator.titel}")
st.caption(f"{snap.plan.opgave(indicator.opgave).naam} · {indicator.beleidsterrein}")
if indicator.doelstelling:
    st.markdown(f"> {indicator.doelstelling}")
ui.indicator_card(snap, progress, detail_link=False)
if indicator.toelichting:
    st.info(indicator.toelichting)
ui_peers.peer_section(ui.database_path(), indicator, snap.plan.gemeente_code)
st.subheader("Tellen en vertellen")
ui.narratives(snap, indicator.id)
st.subheader("Alle metingen")
ui.measurement_table(snap, indicator.id)
st.caption(f"Deel deze pagina: `?indicator={indicator.id}`")
