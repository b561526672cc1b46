import streamlit as st

from monitor import ui, ui_gegevens

snap = ui.current_snapshot()
db_path = ui.database_path()
st.title("Gegevens en kwaliteit")
st.caption("Elke export gaat door dezelfde controle (Great Expectations) als bij `python -m monitor import`: "
           "een geweigerd bestand verandert niets in de database. Na de controle ziet u wat de import vervangt; pas "
           "dan importeert u, en elke import kan ongedaan worden gemaakt.")
st.header("Bestand importeren")
result = ui_gegevens.upload(db_path)
if result:
    ui_gegevens.import_result(result)
st.header("Actualiteit per bron")
ui_gegevens.source_freshness(db_path, snap, snap.peildatum)
st.header("Importgeschiedenis")
ui_gegevens.import_history(db_path)
st.header("Pseudonimiseren")
st.caption("Vervang BSN's in een export door pseudoniemen vóór de import, zoals `python -m monitor pseudonimiseer`. "
           "De sleutel blijft op deze computer.")
ui_gegevens.pseudonymiser()
