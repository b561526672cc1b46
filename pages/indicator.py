import streamlit as st

from monitor import ui, ui_nav, ui_peers

snap = ui.current_snapshot()
ids = [i.id for i in snap.plan.indicators]
chosen = ui_nav.indicator_choice(ids, lambda i: f"{i} · {snap.plan.indicator(i).titel}")
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
