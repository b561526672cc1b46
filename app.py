"""Monitor Sociaal Domein: navigation and shared sidebar. Run with: streamlit run app.py"""

from pathlib import Path

import streamlit as st

from monitor import ui

# A local icon: a Material or emoji page icon makes the browser fetch the favicon from the internet.
ICON = Path(__file__).parent / "static" / "favicon.png"
st.set_page_config(page_title="Monitor Sociaal Domein", page_icon=str(ICON), layout="wide")

# Shared state lives in the entry point: widgets drawn here run on every page, so the peildatum survives a page change.
ui.sidebar()

# Streamlit serves the default page at / and ignores its url_path, so /overzicht gets a hidden page of its own.
overview = st.Page("pages/overzicht.py", title="Overzicht", icon=":material/dashboard:", url_path="start", default=True)
indicator = st.Page("pages/indicator.py", title="Indicator", icon=":material/search:", url_path="indicator")
pages = {
    "Monitor": [
        overview,
        st.Page("pages/overzicht.py", title="Overzicht", url_path="overzicht", visibility="hidden"),
        st.Page("pages/wijken.py", title="Wijken", icon=":material/map:", url_path="wijken"),
        st.Page("pages/armoede_en_schulden.py", title="Armoede en schulden", icon=":material/savings:",
                url_path="armoede-en-schulden"),
    ],
    "Maatschappelijke opgaven": [
        st.Page("pages/vitaal_en_weerbaar.py", title="Vitaal en weerbaar", url_path="vitaal-en-weerbaar"),
        st.Page("pages/zorg_en_wonen.py", title="Zorg en wonen", url_path="zorg-en-wonen"),
        st.Page("pages/opgroeien_en_zelfontplooiing.py", title="Opgroeien en zelfontplooiing",
                url_path="opgroeien-en-zelfontplooiing"),
        st.Page("pages/financieel_fit.py", title="Financieel fit", url_path="financieel-fit"),
        st.Page("pages/ontmoeten_en_omzien.py", title="Ontmoeten en omzien naar elkaar",
                url_path="ontmoeten-en-omzien"),
    ],
    "Details": [
        indicator,
        st.Page("pages/gegevens.py", title="Gegevens en kwaliteit", icon=":material/database:",
                url_path="gegevens-en-kwaliteit"),
    ],
}
page = st.navigation(pages)
# A shared link such as http://localhost:8501/?indicator=FF-4 opens that indicator's detail view.
if page is overview and "indicator" in st.query_params:
    st.switch_page(indicator, query_params=st.query_params.to_dict())
page.run()
