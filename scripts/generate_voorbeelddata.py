"""Generate the example dataset (voorbeelddata) for the periods after the plan's baselines.

These figures are invented: a seeded random walk around hand-chosen scenarios, so that the dashboard shows a mix of
on-course and off-course targets. Every row says "voorbeelddata" in its source; the UI labels it. Real figures
(the plan's baselines, CBS extracts) are never generated here.

    python scripts/generate_voorbeelddata.py [--seed 2027]

Writes data/voorbeelddata/metingen.csv (the layout of a metingen sheet) and data/voorbeelddata/toelichtingen.csv.
"""

import argparse
import csv
import random
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
OUT = PROJECT / "data" / "voorbeelddata"
SOURCE = "voorbeelddata (gegenereerd, geen echte meting)"
WIJKEN = [f"WK0396{n:02d}" for n in range(1, 12)]
HALF_YEARS = ["2024-H1", "2024-H2", "2025-H1", "2025-H2", "2026-H1"]

# id → (periods, approximate values, noise sd, decimals). The values are the scenario; noise makes it look measured.
SCENARIOS = {
    "VW-2": (HALF_YEARS, [125, 150, 170, 190, 212], 2, 0),
    "VW-3": (["2023"], [91.6], 0.05, 1),
    "VW-5": (["2023"], [46.8], 0.1, 1),
    "ZW-1": (["2024", "2025"], [236, 226], 1, 0),
    "ZW-2": (["2023", "2024", "2025"], [118, 128, 137], 1, 0),
    "ZW-3": (HALF_YEARS, [41.5, 42.8, 44.0, 45.1, 46.3], 0.2, 1),
    "ZW-4": (HALF_YEARS, [2921, 2968, 3006, 3040, 3072], 3, 2),
    "ZW-5": (HALF_YEARS, [80.4, 81.1, 81.6, 82.0, 82.4], 0.1, 2),
    "OZ-1": (["2023", "2024", "2025"], [49, 53, 56], 0.5, 0),
    "OZ-2": (HALF_YEARS, [55, 57.5, 60, 62, 64.5], 0.3, 0),
    "OZ-3": (["2024", "2025"], [139.2, 142.4], 0.1, 1),
    "OZ-4": (["2024", "2025"], [13452.10, 13207.85], 5, 2),
    "OZ-5": (["2024", "2025"], [52, 55], 0.3, 0),
    "OZ-6": (["2023/2024", "2024/2025"], [61, 57], 0, 0),
    "FF-1": (HALF_YEARS, [5420, 5480, 5540, 5600, 5650], 8, 0),
    "FF-2": (["2024", "2025"], [1015, 1046], 3, 0),
    "FF-3": (["2024", "2025"], [1225, 1190], 4, 0),
    "FF-4": (HALF_YEARS, [47, 50, 52, 55, 58], 0.4, 0),
    "FF-5": (["2024", "2025"], [15.2, 15.6], 0.1, 1),
    "FF-6": (HALF_YEARS, [24, 25.5, 26.5, 28, 29], 0.3, 0),
    "OO-1": (["2023", "2024", "2025"], [20.2, 20.4, 20.7], 0.05, 1),
    "OO-4": (["2024", "2025"], [6.0, 6.5], 0.02, 1),
    "OO-6": (["2025"], [1830], 3, 0),
    "BBV-NIET-SPORTERS": (["2021", "2022", "2023", "2024", "2025"], [47.5, 47.0, 46.4, 46.8, 46.1], 0.3, 1),
    "BBV-ABSOLUUT-VERZUIM": (["2021/2022", "2022/2023", "2023/2024", "2024/2025"], [1.6, 1.9, 2.1, 1.8], 0.1, 2),
    "BBV-RELATIEF-VERZUIM": (["2021/2022", "2022/2023", "2023/2024", "2024/2025"], [24, 27, 29, 28], 0.5, 1),
    "BBV-VSV": (["2021/2022", "2022/2023", "2023/2024", "2024/2025"], [1.5, 1.7, 1.6, 1.5], 0.05, 1),
    "BBV-DELICT": (["2021", "2022", "2023", "2024"], [1.1, 1.0, 0.9, 0.9], 0.05, 1),
    "BBV-BANEN": (["2021", "2022", "2023", "2024", "2025"], [598, 606, 615, 619, 624], 2, 1),
    "BBV-KINDEREN-UITKERINGSGEZIN": (["2021", "2022", "2023", "2024"], [4.6, 4.4, 4.3, 4.4], 0.05, 1),
    "BBV-NETTO-ARBEIDSPARTICIPATIE": (["2021", "2022", "2023", "2024", "2025"], [67.8, 68.9, 69.3, 69.1, 69.6], 0.1, 1),
    "BBV-WERKLOZE-JONGEREN": (["2021", "2022", "2023", "2024"], [1.3, 1.1, 1.0, 1.2], 0.05, 1),
}

# Per-wijk targets: id → (periods, level per period, spread between wijken, decimals, wijken forced to fail).
PER_WIJK = {
    "OO-2": (["2024", "2025"], [1.6, 2.0], 1.0, 0, {"WK039610": 0, "WK039604": 0}),
    "OO-3": (["2024", "2025"], [3.5, 5.5], 1.5, 0, {"WK039610": 2}),
    "OO-5": (["2022", "2024"], [48.1, 46.0], 1.8, 1, {"WK039605": 49.3}),
}

NARRATIVES = [
    ("FF-1", "2026-H1", "Het aantal toekenningen stijgt, maar minder snel dan het pad naar 2027 vraagt. De campagne "
     "'Geld zorgen? Praat erover' loopt sinds maart; het effect op aanvragen verwachten we in het tweede halfjaar."),
    ("FF-3", "2025", "Het aantal huishoudens met problematische schulden daalt. De eerste cijfers zijn voorlopig (CBS); "
     "de vroegsignalering bereikt meer huishoudens, maar minder melders accepteren hulp dan landelijk."),
    ("FF-4", "2026-H1", "Elf werkgevers in de IJmond namen dit halfjaar iemand aan met loonkostensubsidie."),
    ("ZW-4", "2026-H1", "De gemiddelde maatwerkkosten stijgen sneller dan het plan toestaat, vooral door de tarieven "
     "voor begeleiding. Nadere analyse per voorziening volgt in de volgende rapportage."),
    ("OO-5", "2024", "In wijk 05 (Poelenburg en Oosterzij) blijft de ervaren eenzaamheid boven de 45%. Het buurtwerk "
     "start daar een inloop in het wijkcentrum."),
]


def measured(rng: random.Random, value: float, sd: float, decimals: int) -> float:
    noisy = value + rng.gauss(0, sd) if sd else value
    return round(noisy, decimals) if decimals else float(round(noisy))


def rows(seed: int) -> list[dict]:
    rng = random.Random(seed)
    result = []
    for indicator_id, (periods, values, sd, decimals) in SCENARIOS.items():
        for period, value in zip(periods, values):
            result.append(row(indicator_id, period, "", measured(rng, value, sd, decimals)))
    for indicator_id, (periods, levels, spread, decimals, failing) in PER_WIJK.items():
        offsets = {wijk: rng.uniform(-spread, spread) for wijk in WIJKEN}
        for period, level in zip(periods, levels):
            for wijk in WIJKEN:
                value = failing.get(wijk) if wijk in failing and period == periods[-1] else level + offsets[wijk]
                result.append(row(indicator_id, period, wijk, measured(rng, max(value, 0), spread / 10, decimals)))
    return result


def row(indicator_id: str, period: str, wijk: str, value: float) -> dict:
    return {"indicator_id": indicator_id, "periode": period, "wijk": wijk, "waarde": value, "teller": "",
            "noemer": "", "bron": SOURCE, "toelichting": "voorbeelddata"}


def write_csv(path: Path, fieldnames: list[str], records: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames, delimiter=";", lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)


def generate(seed: int, out: Path = OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    records = rows(seed)
    write_csv(out / "metingen.csv", list(records[0]), records)
    write_csv(out / "toelichtingen.csv", ["indicator_id", "periode", "tekst"],
              [{"indicator_id": i, "periode": p, "tekst": t} for i, p, t in NARRATIVES])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    generate(args.seed, args.out)
    print(f"Voorbeelddata geschreven naar {args.out} (seed {args.seed}).")


if __name__ == "__main__":
    main()
