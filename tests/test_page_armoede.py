"""The page "Armoede en schulden" renders on the demo data with the KWIZ bereik and the Divosa funnel (AppTest)."""

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest


APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def page(demo_copy, monkeypatch):
    monkeypatch.setenv("MONITOR_DB", str(demo_copy))
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["peildatum"] = date(2026, 11, 22)
    at.run()
    at.switch_page("pages/armoede_en_schulden.py")
    at.run()
    assert not at.exception, at.exception
    return at


def test_sections_in_order(page):
    assert page.title[0].value == "Armoede en schulden"
    assert [h.value for h in page.header] == [
        "Bereik per regeling", "Toekenningen per regeling in 2025", "Vroegsignalering schulden",
        "Problematische schulden", "Terugval in de bijstand binnen één jaar", "Kinderen in armoede",
        "Loonkostensubsidie", "Achtergrond: cijfers uit het addendum"]


def test_bereik_shows_the_latest_12_months(page):
    table = next(d.value for d in page.dataframe if "Regeling" in d.value.columns)
    kindpakket = table[table["Regeling"].str.contains("Kindpakket", case=False)].iloc[0]
    # The demo's example toekenningen (scripts/generate_voorbeelddata.py): 155 households with a Kindpakket in 2026,
    # the same ones as in the second half of 2025. 1 juli 2025 tot 1 juli 2026: 155 of KWIZ's doelgroep of 420
    # households = 36,9 -> 37%, landelijk 45-50%. The KWIZ measurement (117 of 420) is the first point of the series.
    assert (kindpakket["Gebruik (huishoudens)"], kindpakket["Bereik"], kindpakket["Landelijk"]) == ("155", "37%", "45–50%")
    assert any(c.value.startswith("Periode: 1 juli 2025 tot 1 juli 2026") for c in page.caption)


def test_funnel_against_landelijk(page):
    metrics = {m.label: m.value for m in page.metric}
    assert metrics["Signalen die een melding worden"] == "91,0%"
    assert metrics["Contact dat leidt tot hulpacceptatie"] == "14,0%"
    assert any("landelijk 35,0%" == c.value for c in page.caption)


def test_focus_cards_and_context(page):
    cards = [m.value for m in page.markdown if m.value.startswith("#### ")]
    assert cards == ["#### FF-3 · Huishoudens met problematische schulden",
                     "#### FF-4 · Inwoners met een uitkering die aan het werk zijn met loonkostensubsidie"]
    context = next(d.value for d in page.dataframe if "Onderwerp" in d.value.columns)
    kinderen = context[context["Onderwerp"] == "Kinderen in armoede"].iloc[0]
    assert (kinderen["Heemskerk"], kinderen["Nederland"]) == ("4,3%", "3,6%")


def test_terugval_shows_divosa_beside_the_computed_figure(page):
    table = next(d.value for d in page.dataframe if "Berekend uit Suite4SD" in d.value.columns)
    row = table[table["Periode"] == "2023"].iloc[0]
    # Divosa benchmark 2023 (data/divosa/benchmark_wi_2023_heemskerk.csv): 16%
    assert row["Divosa (meetinstrument van het plan)"] == "16,0%"
    assert any("hoeven daarom niet gelijk te zijn" in c.value for c in page.caption)


def test_toekenningen_per_regeling_hide_small_counts(page):
    table = next(d.value for d in page.dataframe if "Toekenningen" in d.value.columns)
    assert table.iloc[-1]["Regeling"] == "Totaal"
    cells = list(table["Toekenningen"][:-1])
    assert all(c in ("<5", "x") or int(c.replace(".", "")) >= 5 for c in cells)


def test_bereik_from_example_exports_says_voorbeelddata(page):
    assert sum("Voorbeelddata: de toekenningen komen uit gegenereerde voorbeeldexports" in c.value
               for c in page.caption) == 2
