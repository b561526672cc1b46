"""Copy the rows for Heemskerk, its neighbours and Nederland out of the real CBS tables in ../shared.

Developer tool, run once when the extract set changes; the app only reads data/cbs/. Lines are copied
verbatim (BOM, header, delimiter, padding) so the extracts have exactly the quirks of a real CBS export.

    python scripts/extract_cbs.py [--shared ../shared]
"""

import argparse
import re
from pathlib import Path

TABLES = ["85012NED", "85563NED", "85098NED", "86050NED", "85383NED", "85588NED", "85984NED"]
REGION_LABELS = {"Nederland", "Heemskerk", "Beverwijk", "Velsen"}
GEMEENTE_CODES = ("0396", "0375", "0453")
HEEMSKERK_WIJK = re.compile(r";WK0396\d\d\s*;")
PROJECT = Path(__file__).resolve().parent.parent


def keep(line: str) -> bool:
    fields = [f.strip() for f in line.split(";")]
    if REGION_LABELS & set(fields[1:5]):
        # 85984NED lists every wijk/buurt with its gemeente name; keep only the gemeente row and Heemskerk's wijken.
        if "Gemeente" in fields or "Wijk" in fields or "Buurt" in fields:
            return fields[4] in {f"GM{c}" for c in GEMEENTE_CODES} or bool(HEEMSKERK_WIJK.search(line))
        return True
    return False


def extract(source: Path, target: Path) -> int:
    lines = source.read_bytes().decode("utf-8").splitlines(keepends=True)
    kept = [lines[0]] + [line for line in lines[1:] if keep(line)]
    target.write_bytes("".join(kept).encode("utf-8"))
    return len(kept) - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=PROJECT.parent / "shared")
    args = parser.parse_args()
    source_dir = args.shared / "realdata" / "cbs_statline_dump_dertje"
    target_dir = PROJECT / "data" / "cbs"
    target_dir.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        rows = extract(source_dir / f"{table}.csv", target_dir / f"{table}.csv")
        print(f"{table}: {rows} rijen")


if __name__ == "__main__":
    main()
