import streamlit as st

from monitor import maps, tables, ui, wijkdata


def show(subject: wijkdata.WijkSubject, names: dict[str, str]) -> None:
    """A map with the same figures as a table beside it, for readers who cannot tell the colours apart."""
    with st.container(border=True):
        if subject.message:
            st.markdown(f"#### {subject.title}")
            st.info(subject.message)
            return
        chart, table = st.columns([3, 2])
        with chart:
            if maps.has_geometry(subject.values):
                st.plotly_chart(maps.wijk_choropleth(subject.values, subject.title, subject.unit, subject.threshold),
                                key=f"kaart-{subject.key}", config={"displaylogo": False})
            else:
                st.markdown(f"#### {subject.title}")
                st.info("Voor de wijken van deze gemeente staan nog geen wijkgrenzen in data/geo/.")
        tables.frame(maps.wijk_table(subject.values, subject.threshold, subject.total, names), into=table,
                     hide_index=True, width="stretch")
        st.caption(subject.source)
        if subject.example:
            st.caption(":orange[Deze kaart bevat voorbeelddata (gegenereerd, geen echte cijfers).]")


snap = ui.current_snapshot()
db_path = ui.database_path()
st.title("Wijken")
st.caption(maps.GEOMETRY_NOTE)
st.header("Doelen per wijk")
for subject in wijkdata.target_subjects(snap):
    show(subject, snap.wijken)
st.header("Registraties (Suite4SD)")
for subject in wijkdata.record_subjects(db_path, snap):
    show(subject, snap.wijken)
st.header("CBS-cijfers per wijk")
for table in wijkdata.CBS_WIJK_TABLES:
    measures = wijkdata.cbs_measures(db_path, snap, table)
    chosen = st.selectbox(f"Onderwerp uit CBS {table.table}", measures, format_func=wijkdata.measure_label,
                          key=f"onderwerp-{table.table}") if measures else None
    show(wijkdata.cbs_subject(db_path, snap, table, chosen), snap.wijken)
