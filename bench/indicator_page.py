"""Benchmark: first view of every indicator page on the demo database, beside a minimal Streamlit page.

    python bench/indicator_page.py [--db data/monitor.duckdb]

Each indicator page is rendered in a new AppTest session after clearing Streamlit's caches, so every figure is a
cold first view (snapshot, peers and charts all computed). The minimal page (one st.write) rendered in the same run
is the anchor: what AppTest itself costs on this machine. No thresholds are asserted here; the aim is ≤ 1,5 s.
"""

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from monitor import catalogue  # noqa: E402
from monitor.demo import build_demo  # noqa: E402

APP = str(PROJECT_DIR / "app.py")
PLAN = PROJECT_DIR / "data" / "plans" / "heemskerk.toml"


def timed(make) -> float:
    st.cache_data.clear()
    at = make()
    started = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - started
    if at.exception:
        raise SystemExit(f"Fout bij het tonen: {at.exception}")
    return seconds


def main() -> None:
    # AppTest runs without a server; Streamlit's notes about that would bury the figures.
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="bestaande demo-database (standaard: een nieuwe, tijdelijk)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or Path(folder) / "monitor.duckdb"
        if not db.exists():
            build_demo(db)
        os.environ["MONITOR_DB"] = str(db)
        anchor = timed(lambda: AppTest.from_string("import streamlit as st\nst.write('anker')", default_timeout=120))
        timings = {}
        for indicator in catalogue.load_plan(PLAN).indicators:
            def page(indicator_id=indicator.id):
                at = AppTest.from_file(APP, default_timeout=120)
                at.query_params["indicator"] = indicator_id
                return at
            timings[indicator.id] = timed(page)
    print(f"minimale pagina (anker): {anchor:.2f} s")
    for indicator_id, seconds in sorted(timings.items(), key=lambda item: -item[1]):
        print(f"{indicator_id:<24} {seconds:.2f} s")
    worst = max(timings, key=timings.get)
    print(f"traagste eerste weergave: {worst} {timings[worst]:.2f} s (anker {anchor:.2f} s)")


if __name__ == "__main__":
    main()
