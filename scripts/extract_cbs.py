"""Copy rows out of the real CBS tables in ../shared into data/cbs/.

Developer tool, run once when the extract set changes; the app only reads data/cbs/. Lines are copied
verbatim (BOM, header, delimiter, padding) so the extracts have exactly the quirks of a real CBS export.

- The tables behind the CBS-based indicators keep Nederland and every gemeente of data/gemeenten.csv, so that an
  indicator can be computed for any gemeente and Heemskerk ranked among all of them (monitor/peers.py).
- 85984NED (Kerncijfers wijken en buurten) keeps Nederland, Heemskerk, Beverwijk, Velsen and Heemskerk's wijken:
  it only supplies the wijken, and all its rows would add 4 MB.

    python scripts/extract_cbs.py [--shared ../shared]
"""

import argparse
import csv
import re
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
GEMEENTEN_FILE = PROJECT / "data" / "gemeenten.csv"
ALL_GEMEENTEN_TABLES = ["85012NED", "85563NED", "85098NED", "86050NED", "85383NED", "85588NED"]
WIJK_TABLE = "85984NED"
TABLES = ALL_GEMEENTEN_TABLES + [WIJK_TABLE]
REGION_COLUMNS = ("RegioS", "WijkenEnBuurten")
WIJK_TABLE_GEMEENTEN = {"GM0396", "GM0375", "GM0453"}
HEEMSKERK_WIJK = re.compile(r"^WK0396\d\d$")


def gemeente_names() -> set[str]:
    """The names of the gemeenten of the 2023 indeling: the labels the monitor can turn into a gemeente code.

    Rows of gemeenten dissolved before 2023 (Weesp, Beemster, ...) would be dropped when loading, so they are not
    copied either.
    """
    with open(GEMEENTEN_FILE, encoding="utf-8", newline="") as handle:
        return {row["naam"] for row in csv.DictReader(handle, delimiter=";")}


def keep_every_gemeente(names: set[str]):
    return lambda fields, region: region == "Nederland" or region in names


def keep_heemskerk_wijken(fields: list[str], region: str) -> bool:
    # 85984NED: ID;WijkenEnBuurten;Gemeentenaam_1;SoortRegio_2;Codering_3;... (Nederland has code NL00)
    code = fields[4]
    return code == "NL00" or code in WIJK_TABLE_GEMEENTEN or bool(HEEMSKERK_WIJK.match(code))


def extract(source: Path, target: Path) -> int:
    """Write the kept lines of one table (header first) to target; returns the number of data lines kept."""
    lines = source.read_bytes().decode("utf-8").splitlines(keepends=True)
    header = [name.strip() for name in lines[0].lstrip("\ufeff").split(";")]
    region_index = next(header.index(c) for c in REGION_COLUMNS if c in header)
    keep = keep_heemskerk_wijken if source.stem == WIJK_TABLE else keep_every_gemeente(gemeente_names())
    kept = [lines[0]]
    for line in lines[1:]:
        fields = [f.strip() for f in line.split(";")]
        if keep(fields, fields[region_index]):
            kept.append(line)
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
        size = (target_dir / f"{table}.csv").stat().st_size
        print(f"{table}: {rows} rijen, {size:,} bytes".replace(",", "."))


if __name__ == "__main__":
    main()
