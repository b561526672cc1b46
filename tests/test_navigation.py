"""Navigation in AppTest: the peildatum from a link and across pages, and the indicator selectbox taking every change."""

from datetime import date
from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from monitor.formatting import fmt_date
from monitor.ui_nav import linked_peildatum_problem
from tests.helpers import block_network
from tests.test_pages import demo_db  # noqa: F401  (the shared demo database fixture)

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture(autouse=True)
def app_as_served(monkeypatch):
    """Run app.py the way `streamlit run` does, with the network blocked.

    The server switches off the old pages/-folder mode for good once st.navigation has run. AppTest resets that
    switch before every run, and because our pages live in pages/, it would then run a page without app.py (so
    without the sidebar). Keeping the switch off makes every AppTest run go through app.py, as in the browser.
    """
    block_network(monkeypatch)
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def start(db: Path, monkeypatch, **query) -> AppTest:
    monkeypatch.setenv("MONITOR_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    return ok(at.run())


def ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


def peildatum_shown(at: AppTest) -> date:
    return at.sidebar.date_input[0].value


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def test_linked_peildatum_opens_the_overview_with_that_date(demo_db, monkeypatch):
    at = start(demo_db, monkeypatch, peildatum="2026-06-30")
    assert peildatum_shown(at) == date(2026, 6, 30)
    assert "peildatum 30 juni 2026" in captions(at)
    assert not at.sidebar.warning[0].value.startswith("De peildatum")  # only the example-data notice


@pytest.mark.parametrize("raw", ["2026-13-01", "morgen", "30-06-2026", "20260630", "1999-12-31"])
def test_unusable_linked_peildatum_is_explained_and_today_is_used(demo_db, monkeypatch, raw):
    at = start(demo_db, monkeypatch, peildatum=raw)
    assert raw in at.sidebar.warning[0].value
    assert "De peildatum is nu vandaag." in at.sidebar.warning[0].value
    assert peildatum_shown(at) == date.today()
    assert f"peildatum {fmt_date(date.today())}" in captions(at)


def test_peildatum_stays_when_changing_page(demo_db, monkeypatch):
    at = start(demo_db, monkeypatch, peildatum="2026-06-30")
    ok(at.switch_page("pages/financieel_fit.py").run())
    assert at.title[0].value == "Financieel fit"
    assert peildatum_shown(at) == date(2026, 6, 30)
    assert "Peildatum 30 juni 2026" in captions(at)
    # A date chosen in the sidebar also stays: on the next page and back on the overview.
    ok(at.sidebar.date_input[0].set_value(date(2025, 12, 31)).run())
    ok(at.switch_page("pages/wijken.py").run())
    assert at.title[0].value == "Wijken"
    assert peildatum_shown(at) == date(2025, 12, 31)
    ok(at.switch_page("pages/overzicht.py").run())
    assert "peildatum 31 december 2025" in captions(at)


def test_every_indicator_change_takes_effect_and_the_link_follows(demo_db, monkeypatch):
    at = start(demo_db, monkeypatch, indicator="FF-4")
    assert at.title[0].value.startswith("FF-4 · ")
    for choice in ("FF-3", "OO-5", "FF-4"):
        ok(at.selectbox[0].select(choice).run())
        assert at.selectbox[0].value == choice
        assert at.title[0].value.startswith(f"{choice} · ")
        assert at.query_params["indicator"] == choice


def test_indicator_choice_survives_a_peildatum_change(demo_db, monkeypatch):
    at = start(demo_db, monkeypatch, indicator="FF-4")
    ok(at.selectbox[0].select("ZW-2").run())
    ok(at.sidebar.date_input[0].set_value(date(2025, 6, 30)).run())
    assert at.title[0].value.startswith("ZW-2 · ")
    assert peildatum_shown(at) == date(2025, 6, 30)


def test_linked_peildatum_check():
    assert linked_peildatum_problem(None) is None
    assert linked_peildatum_problem("2026-06-30") is None
    assert linked_peildatum_problem("2000-01-01") is None and linked_peildatum_problem("2099-12-31") is None
    assert "geen datum" in linked_peildatum_problem("2026-02-30")  # February has no 30th
    assert "buiten 2000-2099" in linked_peildatum_problem("2100-01-01")
