"""Start the real Streamlit server and read its pages in headless Chromium, as a council member would."""

import os
import shutil
from pathlib import Path

import pytest

from monitor.demo import build_demo
from tests.helpers import streamlit_server

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# The flags keep Chromium from calling home on a machine without network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
OPGAVE_PAGES = {"vitaal-en-weerbaar": "Vitaal en weerbaar", "zorg-en-wonen": "Zorg en wonen",
                "opgroeien-en-zelfontplooiing": "Opgroeien en zelfontplooiing", "financieel-fit": "Financieel fit",
                "ontmoeten-en-omzien": "Ontmoeten en omzien naar elkaar"}

if CHROMIUM is None and not os.environ.get("CI"):
    pytest.skip("chromium ontbreekt (make test installeert het)", allow_module_level=True)



@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("browser") / "monitor.duckdb"
    build_demo(db)
    with streamlit_server(db) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def card_titles(page) -> list[str]:
    return [t.split(" · ")[0] for t in page.locator("h4").all_inner_texts()]


def test_all_28_targets_appear_across_the_five_opgave_pages(server, browser):
    page = browser.new_page()
    seen = []
    for path, title in OPGAVE_PAGES.items():
        page.goto(f"{server}/{path}")
        page.locator("h1", has_text=title).wait_for(timeout=30000)
        # The BBV section is drawn after the last card, so all cards are on the page once it shows.
        page.locator("h2", has_text="Verplichte BBV-indicatoren").wait_for(timeout=30000)
        seen += card_titles(page)
    assert sorted(seen) == sorted(f"{o}-{n}" for o, c in (("VW", 5), ("ZW", 5), ("OZ", 6), ("FF", 6), ("OO", 6))
                                  for n in range(1, c + 1))
    page.close()


def test_shared_indicator_link_opens_the_indicator(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/?indicator=FF-4")
    page.get_by_text("Tellen en vertellen").wait_for(timeout=30000)
    assert page.locator("h1").first.inner_text().startswith("FF-4 · Inwoners met een uitkering")
    assert "voorbeelddata" in page.content().lower()
    page.close()
