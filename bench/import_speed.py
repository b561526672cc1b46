"""Benchmark the import gate: a generated 1.000.000-row toekenningen_minimaregelingen CSV, and all real CBS tables.

    python bench/import_speed.py [--rows 1000000] [--shared ../shared]

Each import runs in a fresh child process (parse, Great Expectations validation, store in DuckDB), so its peak
memory is measured alone. Targets on the 2-core machine: >= 200.000 rows/s end to end, < 1,5 GB peak.
As an anchor, DuckDB's own `read_csv` of the same file runs in the same way (a child process of its own): a count and
a CREATE TABLE AS into a database file, all columns as text, so the import's figure can be read against the fastest
plain load this machine does.
"""

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGELINGEN = ["BIJZ_BIJSTAND", "KWIJTSCHELDING", "IIT", "CZM", "MAATSCH_ACT", "KINDPAKKET", "JFSC", "ENERGIETOESLAG"]
BESLUITEN = ["toegekend"] * 8 + ["afgewezen", "ingetrokken"]
WIJKEN = [f"WK0396{n:02d}" for n in range(1, 12)]
HEADER = ("toekenning_id;client_id;huishouden_id;regeling;besluit;aanvraagdatum;besluitdatum;ingangsdatum;einddatum;"
          "bedrag;wijk;inkomen_pct_wsm;aantal_kinderen")
IMPORT = """
import sys, time
from pathlib import Path
from monitor.imports.pipeline import import_file
started = time.perf_counter()
results = [import_file(Path(sys.argv[1]), Path(p)) for p in sys.argv[2:]]
print(time.perf_counter() - started, sum(r.rows for r in results), sum(r.status != "geimporteerd" for r in results))
for r in results:
    if r.status != "geimporteerd":
        print(r.file, r.message, file=sys.stderr)
"""

ANCHOR = """
import sys, time, duckdb
source = "read_csv('" + sys.argv[2].replace("'", "''") + "', delim=';', header=true, all_varchar=true)"
con = duckdb.connect(sys.argv[1])
started = time.perf_counter()
rows = con.execute("SELECT count(*) FROM " + source).fetchone()[0]
counted = time.perf_counter() - started
started = time.perf_counter()
con.execute("CREATE TABLE anker AS SELECT * FROM " + source)
print(counted, time.perf_counter() - started, rows, con.execute("SELECT count(*) FROM anker").fetchone()[0])
"""


def nl(number: float) -> str:
    """Whole number with Dutch thousands separators: 1.000.000."""
    return f"{round(number):,}".replace(",", ".")


def dutch_amount(cents: int) -> str:
    """1234567 cents → '12.345,67', as Suite4SD exports write amounts."""
    return f"{cents // 100:,}".replace(",", ".") + f",{cents % 100:02d}"


def generate(path: Path, rows: int, seed: int = 2027) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(HEADER + "\n")
        for n in range(rows):
            day, month = rng.randint(1, 28), rng.randint(1, 12)
            handle.write(
                f"T{n:08d};C{rng.randrange(400000):07d};H{rng.randrange(200000):07d};{rng.choice(REGELINGEN)};"
                f"{rng.choice(BESLUITEN)};{day:02d}-{month:02d}-2024;{day:02d}-{month:02d}-2024;01-{month:02d}-2024;;"
                f"{dutch_amount(rng.randint(500, 250000))};{rng.choice(WIJKEN)};{rng.choice((90, 100, 110, 120))};"
                f"{rng.randint(0, 4)}\n")


def run_child(script: str, *args: Path) -> list[str]:
    out = subprocess.run([sys.executable, "-c", script, *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    if out.stderr.strip():
        print(out.stderr.strip()[:2000])
    # The figures are the last line; anything a library printed before it is shown, not parsed.
    *chatter, figures = out.stdout.strip().splitlines()
    if chatter:
        print("\n".join(chatter)[:2000])
    return figures.split()


def run_import(db: Path, files: list[Path]) -> tuple[float, int, int, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    seconds, rows, refused = run_child(IMPORT, db, *files)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return float(seconds), int(rows), int(refused), max(peak, before) / 1024


def run_anchor(db: Path, csv: Path) -> tuple[float, float, int]:
    """DuckDB's read_csv of the same file: (seconds to count, seconds to CREATE TABLE AS, rows)."""
    counted, created, rows, stored = run_child(ANCHOR, db, csv)
    if rows != stored:
        raise SystemExit(f"anker: read_csv telde {rows} rijen maar de tabel heeft er {stored}")
    return float(counted), float(created), int(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        csv = folder / "toekenningen_minimaregelingen.csv"
        started = time.perf_counter()
        generate(csv, args.rows)
        print(f"gegenereerd: {nl(args.rows)} rijen, {csv.stat().st_size / 1e6:.0f} MB in "
              f"{time.perf_counter() - started:.1f} s")
        seconds, rows, refused, peak = run_import(folder / "bench.duckdb", [csv])
        print(f"toekenningen: {nl(rows)} rijen in {seconds:.2f} s = {nl(rows / seconds)} rijen/s, "
              f"piekgeheugen {nl(peak)} MB, geweigerd: {refused}")
        counted, created, anchor_rows = run_anchor(folder / "anker.duckdb", csv)
        print(f"anker DuckDB read_csv, zelfde bestand: count(*) {counted:.2f} s = {nl(anchor_rows / counted)} rijen/s; "
              f"CREATE TABLE AS {created:.2f} s = {nl(anchor_rows / created)} rijen/s; de import haalt "
              f"{rows / seconds / (anchor_rows / created):.0%} van CREATE TABLE AS "
              f"({seconds / created:.1f}× zo lang)")
        cbs_dir = args.shared / "realdata" / "cbs_statline_dump_dertje"
        if cbs_dir.is_dir():
            tables = sorted(cbs_dir.glob("*.csv"))
            seconds, rows, refused, peak = run_import(folder / "cbs.duckdb", tables)
            print(f"CBS: {len(tables)} tabellen, {nl(rows)} observaties in {seconds:.2f} s, "
                  f"piekgeheugen {nl(peak)} MB, geweigerd: {refused}")


if __name__ == "__main__":
    main()
