"""Benchmark: build the default database and assess all indicators, as the dashboard does per peildatum.

    python bench/build_and_status.py [--repeat 20]

Prints seconds, database size and peak memory; no thresholds are asserted here.
"""

import argparse
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.demo import build_demo  # noqa: E402
from monitor.status import snapshot  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "monitor.duckdb"
        started = time.perf_counter()
        counts = build_demo(db)
        built = time.perf_counter() - started
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            snap = snapshot(db, date(2026, 11, 22))
            timings.append(time.perf_counter() - started)
        size = db.stat().st_size
    timings.sort()
    print(f"build-demo: {built:.2f} s, {sum(counts.values())} rijen, database {size / 1e6:.1f} MB")
    print(f"snapshot ({len(snap.progress)} indicatoren): mediaan {timings[len(timings) // 2] * 1000:.0f} ms, "
          f"max {timings[-1] * 1000:.0f} ms over {args.repeat} keer")
    print(f"piekgeheugen: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
