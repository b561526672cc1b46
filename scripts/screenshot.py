"""Take the README screenshots from a running dashboard: python scripts/screenshot.py [http://localhost:8501]"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
DOCS = Path(__file__).resolve().parent.parent / "docs"


def main(url: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        for path, wait_for, name in (("/", "Maatschappelijke opgaven", "overzicht.png"),
                                     ("/financieel-fit", "Verplichte BBV-indicatoren", "financieel-fit.png"),
                                     ("/gegevens-en-kwaliteit", "Importgeschiedenis", "gegevens.png")):
            page.goto(url + path)
            page.locator("h2", has_text=wait_for).wait_for(timeout=30000)
            page.wait_for_timeout(2000)  # let the Plotly charts finish drawing
            page.screenshot(path=DOCS / name)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8501")
