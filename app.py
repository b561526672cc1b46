"""Monitor Sociaal Domein: navigation and shared sidebar. Run with: streamlit run app.py"""

from pathlib import Path

import streamlit as st

# A local icon: a Material or emoji page icon makes the browser fetch the favicon from the internet.
ICON = Path(__file__).parent / "static" / "favicon.png"
st.set_page_config(page_title="Monitor Sociaal Domein", page_icon=str(ICON), layout="wide")

# A shared link such as http://localhost:8501/?indicator=FF-4 opens that indicator's detail view.
opens_indicator = "indicator" in st.query_params
pages = {
    "Monitor": [
        st.Page("pages/overzicht.py", title="Overzicht", icon=":material/dashboard:", url_path="overzicht",
                default=not opens_indicator),
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
        st.Page("pages/indicator.py", title="Indicator", icon=":material/search:", url_path="indicator",
                default=opens_indicator),
        st.Page("pages/gegevens.py", title="Gegevens en kwaliteit", icon=":material/database:",
                url_path="gegevens-en-kwaliteit"),
    ],
}
st.navigation(pages).run()
