import streamlit as st

from monitor import armoede, ui, ui_armoede

snap = ui.current_snapshot()
year = str(snap.peildatum.year - 1)
bereik_series, funnel, per_regeling, terugval, example = ui_armoede.figures(ui.database_path(), snap.plan.gemeente_code, year)
st.title("Armoede en schulden")
st.caption("De focusonderwerpen bereik minimaregelingen, loonkostensubsidie en problematische schulden, met de "
           "cijfers uit het addendum armoede en schulden als achtergrond.")
st.header("Bereik per regeling")
ui_armoede.bereik_section(bereik_series, example)
st.header(f"Toekenningen per regeling in {year}")
ui_armoede.toekenningen_section(per_regeling, year, example)
st.header("Vroegsignalering schulden")
ui_armoede.funnel_section(funnel)
st.header("Problematische schulden")
ui.indicator_card(snap, snap.progress["FF-3"])
st.header("Terugval in de bijstand binnen één jaar")
ui_armoede.terugval_section(terugval)
st.header("Kinderen in armoede")
context = armoede.context_figures()
ui_armoede.children_in_poverty(context)
st.header("Loonkostensubsidie")
ui.indicator_card(snap, snap.progress["FF-4"])
st.header("Achtergrond: cijfers uit het addendum")
ui_armoede.context_table(context)
