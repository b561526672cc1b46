"""Every page renders in Streamlit's AppTest on the embedded default data, with the network blocked."""

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from monitor.demo import build_demo
from tests.helpers import block_network

APP = str(Path(__file__).resolve().parent.parent / "app.py")
OPGAVE_PAGES = {
    "VW": "pages/vitaal_en_weerbaar.py",
    "ZW": "pages/zorg_en_wonen.py",
    "OZ": "pages/opgroeien_en_zelfontplooiing.py",
    "FF": "pages/financieel_fit.py",
    "OO": "pages/ontmoeten_en_omzien.py",
}
# A fixed peildatum for figures that depend on it (overdue measurements), so they do not move with today's date.
PEILDATUM = date(2026, 12, 1)
TARGET_IDS = [f"{o}-{n}" for o, count in (("VW", 5), ("ZW", 5), ("OZ", 6), ("FF", 6), ("OO", 6))
              for n in range(1, count + 1)]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("pages") / "monitor.duckdb"
    build_demo(path)
    return path


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to reach another machine fails the test."""
    block_network(monkeypatch)


def run(db: Path, monkeypatch, page: str | None = None, peildatum: date | None = None, **query) -> AppTest:
    monkeypatch.setenv("MONITOR_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    if peildatum:
        at.session_state["peildatum"] = peildatum
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, at.exception
    return at


def card_ids(at: AppTest) -> list[str]:
    return [m.value[5:].split(" · ")[0] for m in at.markdown if m.value.startswith("#### ")]


def test_overzicht_shows_five_opgaven_focus_topics_and_budgets(demo_db, monkeypatch):
    at = run(demo_db, monkeypatch)
    assert at.title[0].value == "Sociaal domein Heemskerk: de vijf opgaven in één oogopslag"
    assert [s.value for s in at.subheader] == [
        "Vitaal en weerbaar", "Zorg en wonen", "Opgroeien en zelfontplooiing", "Financieel fit",
        "Ontmoeten en omzien naar elkaar"]
    labels = [m.label for m in at.metric]
    for focus in ("Bereik minimaregelingen", "Loonkostensubsidie", "Problematische schulden", "Eenzaamheid"):
        assert focus in labels
    budgets = [m.value for m in at.metric if m.label == "Budget 2024"]
    assert budgets == ["€ 1.874.008", "€ 12.476.129", "€ 14.984.774", "€ 11.440.518", "€ 4.352.650"]
    assert "voorbeelddata" in at.sidebar.warning[0].value.lower()


def test_every_target_appears_on_its_opgave_page(demo_db, monkeypatch):
    shown = []
    for opgave, page in OPGAVE_PAGES.items():
        at = run(demo_db, monkeypatch, page)
        ids = card_ids(at)
        assert all(i.startswith(opgave) for i in ids)
        assert len(at.get("plotly_chart")) == len(ids)
        shown += ids
    assert shown == TARGET_IDS


def test_opgave_page_lists_its_bbv_indicators(demo_db, monkeypatch):
    at = run(demo_db, monkeypatch, OPGAVE_PAGES["FF"])
    table = at.dataframe[0].value
    assert list(table["Indicator"]) == [
        "Banen", "Kinderen in een uitkeringsgezin", "Netto arbeidsparticipatie", "Werkloze jongeren",
        "Personen met een bijstandsuitkering", "Lopende re-integratievoorzieningen"]
    # BBV-BIJSTAND from CBS 85383NED: 730 / 39452 * 10000 = 185.03
    assert table.loc[table["Indicator"] == "Personen met een bijstandsuitkering", "Waarde"].item() == "185,03"


def test_ontmoeten_page_names_failing_wijken(demo_db, monkeypatch):
    at = run(demo_db, monkeypatch, OPGAVE_PAGES["OO"])
    failing = [m.value for m in at.markdown if m.value.startswith("**Wijken die het doel nog niet halen:**")]
    assert len(failing) == 3  # OO-2, OO-3 and OO-5 are per-wijk targets
    assert "Wijk 05 Poelenburg en Oosterzij" in failing[2]


def test_indicator_url_opens_that_indicator(demo_db, monkeypatch):
    at = run(demo_db, monkeypatch, indicator="FF-4")
    assert at.title[0].value.startswith("FF-4 · Inwoners met een uitkering")
    assert at.selectbox[0].value == "FF-4"
    assert card_ids(at) == ["FF-4"]


def test_indicator_page_with_narrative_and_measurements(demo_db, monkeypatch):
    at = run(demo_db, monkeypatch, "pages/indicator.py", indicator="FF-3")
    assert at.title[0].value.startswith("FF-3")
    assert any("(voorbeelddata)" in m.value and "schulden" in m.value for m in at.markdown)
    table = at.dataframe[0].value
    assert "2023" in list(table["Periode"])


def test_unknown_indicator_is_explained(demo_db, monkeypatch):
    at = run(demo_db, monkeypatch, indicator="XX-9")
    assert "XX-9" in at.error[0].value


def test_first_run_builds_the_database(tmp_path, monkeypatch):
    db = tmp_path / "nieuw.duckdb"
    at = run(db, monkeypatch)
    assert db.exists()
    assert len(at.subheader) == 5


def test_cbs_indicator_is_compared_with_peers(demo_db, monkeypatch):
    at = run(demo_db, monkeypatch, indicator="BBV-JEUGDHULP")
    assert "Vergelijking met andere gemeenten" in [s.value for s in at.subheader]
    table = next(d.value for d in at.dataframe if "Gemeente of groep" in d.value.columns)
    names = list(table["Gemeente of groep"])
    assert names[:3] == ["Heemskerk", "Beverwijk", "Velsen"]
    assert "Nederland" in names and {"Boxtel", "Etten-Leur", "Gorinchem", "Zwijndrecht"} <= set(names)
    # CBS 85098NED, 1e half jaar 2024, Heemskerk: 9,5% of youngsters with jeugdhulp in natura
    assert table.loc[table["Gemeente of groep"] == "Heemskerk", "Waarde"].item() == "9,5%"
    assert any(c.value.startswith("1e halfjaar 2024: plaats ") for c in at.caption)


def test_records_based_indicator_has_no_fabricated_peers(demo_db, monkeypatch):
    # FF-4 comes from Heemskerk's own Suite4SD records: no peer table, no rank, and the reason in Dutch.
    at = run(demo_db, monkeypatch, indicator="FF-4")
    assert not any("Gemeente of groep" in d.value.columns for d in at.dataframe)
    assert not any("plaats " in c.value for c in at.caption)
    assert any("eigen registratie (Suite4SD)" in i.value for i in at.info)


def focus_tile(at: AppTest, label: str, caption_start: str) -> tuple[str, str]:
    """(value, caption) of one focus tile on the overzicht."""
    [tile] = [m for m in at.metric if m.label == label]
    [caption] = [c.value for c in at.caption if c.value.startswith(caption_start)]
    return tile.value, caption


def test_eenzaamheid_tile_names_the_wijken_not_a_gemeente_figure(demo_db, monkeypatch):
    value, caption = focus_tile(run(demo_db, monkeypatch, peildatum=PEILDATUM), "Eenzaamheid", "OO-5")
    # OO-5 in the demo (wijkcijfers 2024): 44,7 / 44,9 / 45,0 meet "maximaal 45%", the other 8 do not; the highest
    # is Wijk 05 with 49,4%, which is not Heemskerk's figure and must not look like it.
    assert value == "3 van 11 wijken"
    assert "3 van 11 wijken halen het doel; hoogste: Wijk 05 Poelenburg en Oosterzij 49,4% (2024)" in caption


def test_per_wijk_card_latest_expected_and_target_agree(demo_db, monkeypatch):
    at = run(demo_db, monkeypatch, peildatum=PEILDATUM, indicator="OO-2")
    values = {m.label: m.value for m in at.metric}
    # Demo OO-2 2025: 9 of 11 wijken have at least 1 plek; the lowest, Wijk 04, has 0. Its first measurement (2024)
    # already met "minimaal 1", so its path lies on the target: expected 1, not 1,7.
    assert values["Wijken die het doel halen"] == "9 van 11 wijken"
    assert values["Laagste wijk: Wijk 04 Heemskerkerduin en Noorddorp (2025)"] == "0"
    assert values["Verwacht op pad (deze wijk)"] == "1"
    assert values["Doel 2027 (minimaal, elke wijk)"] == "1"


def test_overdue_measurement_is_a_coloured_status_with_its_due_date(demo_db, monkeypatch):
    # FF-5 (1x per jaar, last figure 2024): due by 30 June 2026 (2025 + 6 months' lag); on 1 December 2026 overdue.
    at = run(demo_db, monkeypatch, peildatum=PEILDATUM, indicator="FF-5")
    assert ":violet-badge[meting verwacht (uiterlijk 30 juni 2026)]" in [m.value for m in at.markdown]
    assert any(":violet[Meting verwacht: had er uiterlijk 30 juni 2026 moeten zijn]" in c.value for c in at.caption)
    at = run(demo_db, monkeypatch, peildatum=PEILDATUM)
    assert ":violet[meting verwacht]" in [m.label for m in at.metric]


def test_bereik_tile_shows_a_reach_percentage_not_the_toekenningen_count(demo_db, monkeypatch):
    value, caption = focus_tile(run(demo_db, monkeypatch, peildatum=PEILDATUM), "Bereik minimaregelingen",
                                "% huishoudens van de doelgroep")
    # Demo bereik 1 juli 2025 tot 1 juli 2026: lowest is CZM, 537 huishoudens / 1.895 = 28,3% → 28% (band 35-40%)
    assert value == "28%"
    assert "1 juli 2025 tot 1 juli 2026 · laagste: Collectieve zorgverzekering minima" in caption
    assert "landelijke bandbreedte 35–40%" in caption
