"""Time the BSN scan (monitor/imports/bsn.py) on a generated toekenningen export of realistic values.

    python bench/bsn_scan.py [--rows 1000000]

The frame is built as the CSV reader builds it (pyarrow strings), with 32-character hex pseudonyms, ids, Dutch and ISO
dates, amounts, wijk codes and a free-text column `opmerking` with numbers in it (dates, amounts, phone numbers, house
numbers) but no BSN. Target: the scan adds at most 1 s per million rows.
"""

import argparse
import hashlib
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.imports import bsn, suite4sd  # noqa: E402

REMARKS = ["", "", "", "spoed", "belde op 15-01-2024 over 1.234,56", "nieuw adres Kerkweg 12, 1962 AB",
           "tel. 06-12345678 na 17:00", "herziening per 2024-03-01", "zie brief TK2024-0001", "bedrag 250,00 terug"]


def frame(rows: int, seed: int = 2027) -> pd.DataFrame:
    rng = np.random.default_rng(seed)

    def pick(values, size=rows):
        return np.asarray(values, dtype=object)[rng.integers(0, len(values), size)]

    def hexes(count: int) -> np.ndarray:
        return np.array([hashlib.sha256(str(n).encode()).hexdigest()[:32] for n in range(count)], dtype=object)

    days = pd.date_range("2020-01-01", "2025-12-31")
    dutch = days.strftime("%d-%m-%Y").to_numpy(dtype=object)
    iso = days.strftime("%Y-%m-%d").to_numpy(dtype=object)
    cents = rng.integers(500, 250000, rows)
    columns = {
        bsn.LINE: np.arange(2, rows + 2),
        "toekenning_id": np.char.add("TK", np.arange(rows).astype(str).astype(object)),
        "client_id": pick(hexes(400_000)),
        "huishouden_id": pick(hexes(200_000)),
        "regeling": pick(["IIT", "CZM", "KINDPAKKET", "JFSC", "ENERGIETOESLAG"]),
        "besluit": pick(["toegekend"] * 8 + ["afgewezen", "ingetrokken"]),
        "aanvraagdatum": pick(dutch),
        "besluitdatum": pick(iso),
        "ingangsdatum": pick(dutch),
        "einddatum": pick(np.concatenate([iso, [""] * len(iso)])),
        "bedrag": np.char.add(np.char.add((cents // 100).astype(str), ","),
                              np.char.zfill((cents % 100).astype(str), 2)),
        "wijk": pick([f"WK0396{n:02d}" for n in range(1, 12)]),
        "inkomen_pct_wsm": pick(["90", "100", "110", "120"]),
        "aantal_kinderen": pick(["0", "1", "2", "3"]),
        "opmerking": pick(REMARKS),
    }
    return pd.DataFrame({k: v if k == bsn.LINE else pd.array(list(v), dtype=pd.ArrowDtype(pa.string())).astype("str")
                         for k, v in columns.items()})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    data = frame(args.rows)
    kind = suite4sd.TYPES["toekenningen_minimaregelingen"]
    exempt = suite4sd.bsn_exempt(kind)
    started, cpu = time.perf_counter(), time.process_time()
    hits = bsn.scan_table(data, exempt)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    cells = args.rows * (len(data.columns) - 1)
    print(f"{args.rows:,} rijen, {cells:,} cellen: scan {seconds:.2f} s ({seconds / args.rows * 1e6:.2f} s per miljoen "
          f"rijen), processortijd {cpu:.2f} s over alle threads, {len(hits)} treffers")


if __name__ == "__main__":
    main()
