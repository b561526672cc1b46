import streamlit as st

from monitor import ui
from monitor.formatting import fmt_date, fmt_euro

snap = ui.current_snapshot()
st.title(f"Sociaal domein {snap.plan.gemeente_naam}: de vijf opgaven in één oogopslag")
st.caption(f"{snap.plan.titel} · {len(snap.plan.indicators)} indicatoren · peildatum {fmt_date(snap.peildatum)} · "
           f"totaal budget {snap.plan.budget_jaar}: {fmt_euro(sum(o.budget or 0 for o in snap.plan.opgaven))}")
st.header("Focusonderwerpen")
ui.focus_row(snap)
st.header("Maatschappelijke opgaven")
ui.opgave_overview(snap)
