import streamlit as st

from monitor import armoede, ui, ui_armoede

snap = ui.current_snapshot()
ui.sidebar(snap)
bereik_series, funnel = ui_armoede.figures(ui.database_path(), snap.plan.gemeente_code)
st.title("Armoede en schulden")
st.caption("De focusonderwerpen bereik minimaregelingen, loonkostensubsidie en problematische schulden, met de "
           "cijfers uit het addendum armoede en schulden als achtergrond.")
st.header("Bereik per regeling")
ui_armoede.bereik_section(bereik_series)
st.header("Vroegsignalering schulden")
ui_armoede.funnel_section(funnel)
st.header("Problematische schulden")
ui.indicator_card(snap, snap.progress["FF-3"])
st.header("Kinderen in armoede")
context = armoede.context_figures()
ui_armoede.children_in_poverty(context)
st.header("Loonkostensubsidie")
ui.indicator_card(snap, snap.progress["FF-4"])
st.header("Achtergrond: cijfers uit het addendum")
ui_armoede.context_table(context)
