"""Generate the example dataset (voorbeelddata) for the periods after the plan's baselines.

These figures are invented, so that the dashboard shows a mix of on-course and off-course targets. Two kinds:

- measurements for the indicators that are measured, not computed: a seeded random walk around hand-chosen
  scenarios, written as a metingen sheet (data/voorbeelddata/metingen.csv) with toelichtingen;
- Suite4SD-style record exports (data/voorbeelddata/exports/), from which the monitor computes FF-1, FF-2, FF-4,
  FF-5, FF-6, ZW-3, ZW-4, ZW-5, OZ-3 and OZ-4 as it would from real exports. The records are drawn so that the 2023
  values equal the plan's baselines and later years follow a scenario; build-demo imports them through the import
  gate and labels what is computed from them as voorbeelddata.

Every row says "voorbeelddata" where it is shown; the UI labels it. Real figures (the plan's baselines, CBS extracts)
are never generated here. The same seed gives byte-identical files.

    python scripts/generate_voorbeelddata.py [--seed 2027]
"""

import argparse
import csv
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
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
    "OZ-1": (["2023", "2024", "2025"], [49, 53, 56], 0.5, 0),
    "OZ-2": (HALF_YEARS, [55, 57.5, 60, 62, 64.5], 0.3, 0),
    "OZ-5": (["2024", "2025"], [52, 55], 0.3, 0),
    "OZ-6": (["2023/2024", "2024/2025"], [61, 57], 0, 0),
    "FF-3": (["2024", "2025"], [1225, 1190], 4, 0),
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


# ------------------------------------------------------------------ Suite4SD-style record exports

# The day the example exports were made: nothing in them happens later, and each export has a start on this day,
# so the monitor reads it as the stand of every export (indicators/records.py).
EXPORT_DATE = date(2026, 7, 10)
# The exports with records that run over time hold what ran on or after this day (the begin the monitor reads).
REGISTRATION_START = date(2023, 1, 1)
# Inhabitants per wijk (CBS 85984NED, 2024): where the records live.
WIJK_INWONERS = [1915, 2405, 5635, 1855, 5120, 5730, 3055, 4585, 4570, 4580, 5]


def pseudonym(rng: random.Random) -> str:
    return f"{rng.getrandbits(48):012x}"


def day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def euro(amount: float) -> str:
    """Dutch notation, as Suite4SD exports amounts."""
    return f"{amount:.2f}".replace(".", ",")


def wijk(rng: random.Random) -> str:
    return rng.choices(WIJKEN, weights=WIJK_INWONERS)[0]


def half_year(year: int, half: int) -> tuple[date, date]:
    return (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (date(year, 7, 1), date(year, 12, 31))


def workday_between(rng: random.Random, first: date, last: date) -> date:
    """Besluiten are taken on working days."""
    while True:
        day = day_between(rng, first, last)
        if day.weekday() < 5:
            return day


def plus_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day (as the monitor's INTERVAL arithmetic does)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    following = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return min(date(year, month + 1, 1) + timedelta(days=day.day - 1), following - timedelta(days=1))


# ---------------------------------------------- toekenningen minimaregelingen (FF-1, FF-2)

# Toegekende besluiten per half year, all regelingen: 2023 = 5377 (the plan's baseline), 2024 = 5452,
# 2025 = 5561; 2025-H2 + 2026-H1 = 5650, behind the path to 5914,7 in 2027.
TOEGEKEND = {(2023, 1): 2742, (2023, 2): 2635, (2024, 1): 2781, (2024, 2): 2671, (2025, 1): 2836, (2025, 2): 2725,
             (2026, 1): 2925}
# Of which Kindpakket: 2023 = 985 (the baseline), 2024 = 1015, 2025 = 1046; 2025-H2 + 2026-H1 = 1062.
KINDPAKKET = {(2023, 1): 443, (2023, 2): 542, (2024, 1): 457, (2024, 2): 558, (2025, 1): 471, (2025, 2): 575,
              (2026, 1): 487}
# The other regelingen share the rest: code → (toekenningen in 2023, households that use it in 2023, smallest and
# largest amount). A regeling granted once a year has about as many households as toekenningen; bijzondere bijstand,
# maatschappelijke activiteiten (per person) and the Jeugdfonds (per child) are granted more often per household.
# The households are sized after KWIZ's gebruik 2021-2022 (data/bereik_kwiz_2022.csv), so the bereik looks real.
REGELINGEN = {
    "BIJZ_BIJSTAND": (1530, 400, 45, 1500), "KWIJTSCHELDING": (900, 960, 280, 880), "CZM": (560, 600, 150, 380),
    "MAATSCH_ACT": (520, 480, 100, 250), "ENERGIETOESLAG": (300, 330, 800, 1300), "IIT": (260, 280, 420, 610),
    "JFSC": (240, 150, 150, 450), "COMPUTER": (70, 80, 400, 700), "STUDIETOESLAG": (12, 15, 300, 1200),
}
# Households with a Kindpakket per year: 985 toekenningen over 130 households in 2023 (several per child).
KINDPAKKET_HUISHOUDENS = {2023: 130, 2024: 140, 2025: 150, 2026: 155}
FOR_CHILDREN = {"KINDPAKKET", "JFSC", "COMPUTER"}
YEARLY = {"KWIJTSCHELDING", "CZM", "MAATSCH_ACT", "JFSC", "KINDPAKKET"}  # granted up to the end of the year
INKOMENSGRENS = {"BIJZ_BIJSTAND": 150, "KWIJTSCHELDING": 100, "IIT": 110, "CZM": 130, "MAATSCH_ACT": 110,
                 "KINDPAKKET": 110, "JFSC": 120, "ENERGIETOESLAG": 120, "STUDIETOESLAG": 130, "COMPUTER": 110}


def toekenningen(rng: random.Random) -> list[dict]:
    households = [(pseudonym(rng), pseudonym(rng), wijk(rng), rng.choice([0, 0, 0, 1, 1, 2, 2, 3, 4]))
                  for _ in range(3800)]
    # One fixed order of candidates per regeling: a year's users are the first ones, so most households that use a
    # regeling one year use it the next year too.
    candidates = {}
    for code in [*REGELINGEN, "KINDPAKKET"]:
        fitting = [h for h in households if h[3] or code not in FOR_CHILDREN]
        candidates[code] = rng.sample(fitting, k=len(fitting))
    users: dict[tuple[str, int], list] = {}

    def household(code: str, year: int):
        """The next household of this regeling's users of the year, round and round, in the same order every year:
        a household that gets its yearly toekenning in spring, gets it in spring every year."""
        if not users.get((code, year)):
            size = (KINDPAKKET_HUISHOUDENS[year] if code == "KINDPAKKET"
                    else round(REGELINGEN[code][1] * (1 + 0.01 * (year - 2023))))
            users[(code, year)] = candidates[code][size - 1::-1]
        return users[(code, year)].pop()

    besluiten = []
    periods = {**TOEGEKEND, (2026, 2): 140}  # a few besluiten in July 2026, up to the export date
    codes, weights = list(REGELINGEN), [count for count, _, _, _ in REGELINGEN.values()]
    for (year, half), granted in periods.items():
        first, last = half_year(year, half)
        last = min(last, EXPORT_DATE)
        kindpakket = KINDPAKKET.get((year, half), 25)
        outcomes = [("KINDPAKKET", "toegekend")] * kindpakket + [
            (code, "toegekend") for code in rng.choices(codes, weights=weights, k=granted - kindpakket)]
        # About one in eight aanvragen is afgewezen and one in thirty ingetrokken: they must not be counted.
        outcomes += [(rng.choice(codes + ["KINDPAKKET"]), "afgewezen") for _ in range(granted // 8)]
        outcomes += [(rng.choice(codes), "ingetrokken") for _ in range(granted // 30)]
        for code, besluit in outcomes:
            besluiten.append((workday_between(rng, first, last), code, besluit))
    besluiten.sort()
    result = []
    for number, (besluitdatum, code, besluit) in enumerate(besluiten, start=1):
        granted = besluit == "toegekend"
        client, huishouden, where, children = (household(code, besluitdatum.year) if granted
                                               else rng.choice(candidates[code]))
        aanvraag = besluitdatum - timedelta(days=rng.randint(3, 45))
        start = (besluitdatum.replace(day=1) + timedelta(days=32)).replace(day=1) if granted else None
        end = date(start.year, 12, 31) if granted and code in YEARLY else None
        low, high = (100, 350) if code == "KINDPAKKET" else REGELINGEN[code][2:]
        grens = INKOMENSGRENS[code]
        result.append({
            "toekenning_id": f"TK{besluitdatum.year}-{number:06d}", "client_id": client, "huishouden_id": huishouden,
            "regeling": code, "besluit": besluit, "aanvraagdatum": iso(aanvraag), "besluitdatum": iso(besluitdatum),
            "ingangsdatum": iso(start), "einddatum": iso(end),
            "bedrag": euro(rng.uniform(low, high)) if granted else euro(0), "wijk": where,
            "inkomen_pct_wsm": rng.randint(80, grens) if granted else rng.randint(grens - 10, grens + 40),
            "aantal_kinderen": children,
        })
    return result


# ---------------------------------------------- uitkeringen Participatiewet (FF-5)

# Year of ending → (bijstand ended for work, of whom back in the bijstand within 12 months):
# 10/58 = 17,2%, 12/75 = 16,0% (the plan's baseline is 16%), 12/79 = 15,2%; 2025 and 2026 are not complete yet.
WERK_UITSTROOM = {2022: (58, 10), 2023: (75, 12), 2024: (79, 12), 2025: (84, 13), 2026: (40, 4)}
WERK_REDENEN = ["werk gevonden"] * 6 + ["werkaanvaarding", "inkomsten uit arbeid", "Werk", "uitstroom naar werk"]
ANDERE_REDENEN = ["verhuizing naar andere gemeente", "inkomen partner", "AOW-leeftijd bereikt", "overlijden",
                  "detentie", "andere uitkering (WW)", "start studie", "samenwonen", ""]


def uitkeringen(rng: random.Random) -> list[dict]:
    records = []

    def add(regeling: str, start: date, end: date | None = None, reden: str = "", client=None) -> None:
        client = client or (pseudonym(rng), pseudonym(rng), wijk(rng))
        records.append((start, end, reden, regeling, client))

    for year, (werk, back) in WERK_UITSTROOM.items():
        last = min(date(year, 12, 31), EXPORT_DATE)
        for index in range(werk):
            end = day_between(rng, date(year, 1, 1), last)
            client = (pseudonym(rng), pseudonym(rng), wijk(rng))
            add("PW", end - timedelta(days=rng.randint(90, 3000)), end, rng.choice(WERK_REDENEN), client)
            if index < back:  # back in the bijstand within 12 months
                restart = end + timedelta(days=rng.randint(20, 360))
            elif index < back + 4:  # back, but only after the 12 months: no terugval
                restart = end + timedelta(days=rng.randint(370, 600))
            else:
                continue
            if restart <= EXPORT_DATE:
                add("PW", restart, None, "", client)
        # Other reasons to end the bijstand, and a few IOAW's that end for work (not bijstand): not counted.
        for _ in range(rng.randint(120, 140) if year < 2026 else 60):
            end = day_between(rng, date(year, 1, 1), last)
            add("PW", end - timedelta(days=rng.randint(60, 4000)), end, rng.choice(ANDERE_REDENEN))
        for _ in range(3):
            end = day_between(rng, date(year, 1, 1), last)
            add("IOAW", end - timedelta(days=rng.randint(200, 1500)), end, "werk gevonden")
    # The running uitkeringen: started over the years, the newest on the export date.
    for _ in range(690):
        add("PW", day_between(rng, date(2012, 1, 1), EXPORT_DATE))
    for regeling, count in (("IOAW", 24), ("IOAZ", 5), ("BBZ", 14)):
        for _ in range(count):
            add(regeling, day_between(rng, date(2018, 1, 1), EXPORT_DATE))
    add("PW", EXPORT_DATE)
    records.sort(key=lambda r: (r[0], r[3]))
    return [{"uitkering_id": f"UK-{number:06d}", "client_id": client, "huishouden_id": household, "regeling": regeling,
             "ingangsdatum": iso(start), "einddatum": iso(end), "reden_beeindiging": reden, "wijk": where}
            for number, (start, end, reden, regeling, (client, household, where)) in enumerate(records, start=1)]


# ---------------------------------------------- loonkostensubsidie (FF-4)

# Inwoners with a benefit at the start working with loonkostensubsidie on 30 June and 31 December, 2021 t/m 2026:
# 45 on 31-12-2023 (the plan's baseline), rising towards the 65 of 2027.
LKS_STAND = [36, 38, 40, 42, 43, 45, 47, 50, 52, 55, 58]
LKS_PEILDATA = [half_year(2021 + i // 2, i % 2 + 1)[1] for i in range(len(LKS_STAND))]


@dataclass
class Subsidie:
    client: str
    start: date
    end: date | None
    with_benefit: bool
    employer: str = ""


def loonkostensubsidie(rng: random.Random) -> list[dict]:
    employers = [f"WG-{n:04d}" for n in rng.sample(range(1, 400), 45)]

    def new(start: date, with_benefit: bool = True) -> Subsidie:
        # Most subsidies are granted for one to three years; a third has no end date (yet).
        end = None if rng.random() < 0.35 else start + timedelta(days=rng.randint(180, 1100))
        return Subsidie(pseudonym(rng), start, end, with_benefit, rng.choice(employers))

    def running(s: Subsidie, day: date) -> bool:
        return s.with_benefit and s.start <= day and (s.end is None or s.end > day)

    subsidies = [new(day_between(rng, date(2018, 1, 1), date(2020, 12, 31))) for _ in range(LKS_STAND[0])]
    for s in subsidies:  # the export holds what ran in 2021 or later, so the earliest end is in 2021
        if s.end is not None and s.end < date(2021, 1, 15):
            s.end = day_between(rng, date(2021, 1, 15), date(2022, 12, 31))
    previous = date(2020, 12, 31)
    for day, target in zip(LKS_PEILDATA, LKS_STAND):
        count = len({s.client for s in subsidies if running(s, day)})
        while count < target:
            started = new(day_between(rng, previous + timedelta(days=1), day))
            started.end = None if started.end is None else max(started.end, day + timedelta(days=30))
            subsidies.append(started)
            count += 1
        earlier = [s for s in subsidies if running(s, day) and s.start <= previous]
        for s in rng.sample(earlier, max(0, count - target)):  # too many still running: they ended in this half year
            s.end = day_between(rng, previous + timedelta(days=1), day)
        previous = day
    # A second subsidy at the same time (another employer) counts once; without a benefit at the start, not at all.
    for s in rng.sample([s for s in subsidies if s.end is None and s.start < date(2025, 1, 1)], 3):
        subsidies.append(Subsidie(s.client, s.start + timedelta(days=rng.randint(30, 200)), None, True,
                                  rng.choice(employers)))
    subsidies += [new(day_between(rng, date(2021, 1, 1), date(2026, 6, 30)), with_benefit=False) for _ in range(14)]
    subsidies.append(new(EXPORT_DATE))
    subsidies.sort(key=lambda s: (s.start, s.client))
    return [{"lks_id": f"LKS-{number:04d}", "client_id": s.client, "werkgever_id": s.employer,
             "startdatum": iso(s.start), "einddatum": iso(s.end), "loonwaarde_pct": rng.choice(range(30, 85, 5)),
             "uren_per_week": rng.choice([16, 20, 24, 28, 32, 36]), "uitkering_bij_start": "J" if s.with_benefit else "N"}
            for number, s in enumerate(subsidies, start=1)]


# ---------------------------------------------- inburgering (FF-6)

# Per half year of vestiging: the share of inburgeraars with bijstand who leave it within 3,5 years, rising.
INBURGERING_UIT = {(2019, 1): 0.19, (2019, 2): 0.21, (2020, 1): 0.22, (2020, 2): 0.24,
                   (2021, 1): 0.25, (2021, 2): 0.27, (2022, 1): 0.28, (2022, 2): 0.30, (2023, 1): 0.31,
                   (2023, 2): 0.32, (2024, 1): 0.33, (2024, 2): 0.34, (2025, 1): 0.35, (2025, 2): 0.35,
                   (2026, 1): 0.35}
UIT_REDENEN = ["werk"] * 6 + ["studie", "inkomen partner", "inkomen partner", ""]


def inburgering(rng: random.Random) -> list[dict]:
    result = []
    for (year, half), share in INBURGERING_UIT.items():
        first, last = half_year(year, half)
        settled = sorted(day_between(rng, first, min(last, EXPORT_DATE)) for _ in range(rng.randint(18, 26)))
        with_bijstand = [i for i, day in enumerate(settled) if rng.random() < 0.8 and day < EXPORT_DATE]
        movers = set(rng.sample(with_bijstand, 1))  # moved away: outcome unknown, not counted
        others = [i for i in with_bijstand if i not in movers]
        out = set(rng.sample(others, round(share * len(others))))
        for i, day in enumerate(settled):
            row = {"client_id": pseudonym(rng), "vestigingsdatum": iso(day), "pw_ingangsdatum": "",
                   "pw_einddatum": "", "reden_uitstroom": ""}
            start = min(day + timedelta(days=rng.randint(0, 45)), EXPORT_DATE)
            if i in with_bijstand:
                limit = plus_months(day, 42)  # the end of the 3,5 years
                if i in movers:
                    end, reden = day_between(rng, start + timedelta(days=60), limit), "verhuizing"
                elif i in out:
                    end, reden = day_between(rng, start + timedelta(days=120), limit), rng.choice(UIT_REDENEN)
                else:  # still in the bijstand after 3,5 years; some leave later
                    later = limit + timedelta(days=rng.randint(1, 700))
                    end, reden = (later, "werk") if rng.random() < 0.4 else (None, "")
                if end is not None and end > EXPORT_DATE:
                    end, reden = None, ""
                row.update(pw_ingangsdatum=iso(start), pw_einddatum=iso(end), reden_uitstroom=reden)
            result.append(row)
    result.append({"client_id": pseudonym(rng), "vestigingsdatum": iso(EXPORT_DATE), "pw_ingangsdatum": "",
                   "pw_einddatum": "", "reden_uitstroom": ""})
    return result


# ---------------------------------------------- spans: Wmo-voorzieningen and jeugdhulptrajecten


@dataclass
class Span:
    """One client's care: from start to end (None: still running), the records are drawn inside it."""

    client: str
    start: date
    end: date | None
    kind: str
    born: int | None = None
    extra: dict = field(default_factory=dict)

    def runs_in(self, year: int) -> bool:
        return self.start <= date(year, 12, 31) and (self.end is None or self.end >= date(year, 1, 1))


def fill_years(rng: random.Random, spans: list[Span], targets: dict[int, int], new, counts) -> None:
    """Make the number of spans that count in each year equal its target: new spans start in that year; when there
    are too many, some that started earlier end in the year before (where they still count)."""
    for year, target in sorted(targets.items()):
        active = [s for s in spans if counts(s, year)]
        while len(active) < target:
            started = new(year)
            spans.append(started)
            if counts(started, year):
                active.append(started)
        earlier = [s for s in active if s.start < date(year, 1, 1) and counts(s, year - 1)]
        surplus = len(active) - target
        assert surplus <= 0 or year > min(targets), "the first year must not start with too many spans"
        for s in rng.sample(earlier, max(0, surplus)):
            s.end = day_between(rng, max(s.start, date(year - 1, 1, 1)), date(year - 1, 12, 31))


def span_end(rng: random.Random, start: date, mean_days: int) -> date | None:
    """A random duration; what would end after the export date is still running in the export."""
    end = start + timedelta(days=int(rng.expovariate(1 / mean_days)) + 30)
    return None if end > EXPORT_DATE else end


def initial(rng: random.Random, count: int, kind: str, mean_days: int, oldest: date) -> list[Span]:
    """Spans that started before the registration start and still ran on it."""
    spans = []
    while len(spans) < count:
        start = day_between(rng, oldest, REGISTRATION_START - timedelta(days=1))
        end = span_end(rng, start, mean_days)
        if end is None or end >= REGISTRATION_START:
            spans.append(Span(pseudonym(rng), start, end, kind))
    return spans


def days_in(start: date, end: date | None, first: date, last: date) -> int:
    """Days of [start, end or the export date] inside [first, last]."""
    stop = min(end or EXPORT_DATE, last)
    return max(0, (stop - max(start, first)).days + 1)


def calibrate(records: list[dict], targets: list[tuple[date, date, float]], counts) -> float:
    """Set the day rates so that the costs per user in each window (first, last, target) equal its target, the costs
    of each record spread over its days as the monitor does. The records that start in a window (after the one
    before) get the factor that makes that window right, given the earlier records; records that start after the
    last window get its factor. `counts(record, year)`: whether a record counts in the window ending in that year.
    Returns the first window's factor."""
    factors = []
    previous_end = date.min
    for first, last, per_user in targets:
        inside = [r for r in records if counts(r, last.year) and days_in(r["start"], r["end"], first, last)]
        users = len({r["client"] for r in inside})
        fixed = sum(r["rate"] * days_in(r["start"], r["end"], first, last) for r in inside
                    if r["start"] <= previous_end)
        new = [r for r in records if previous_end < r["start"] <= last]
        raw = sum(r["rate"] * days_in(r["start"], r["end"], first, last) for r in inside if r["start"] > previous_end)
        factors.append((per_user * users - fixed) / raw)
        for r in new:
            r["rate"] *= factors[-1]
        previous_end = last
    for r in records:
        if r["start"] > previous_end:
            r["rate"] *= factors[-1]
    return factors[0]


def yearly(per_user: dict[int, float], rolling: float) -> list[tuple[date, date, float]]:
    """Calendar years, then the 12 months up to the first half of the next year (as the monitor's windows)."""
    years = sorted(per_user)
    return ([(date(y, 1, 1), date(y, 12, 31), per_user[y]) for y in years]
            + [(date(years[-1], 7, 1), date(years[-1] + 1, 6, 30), rolling)])


# ---------------------------------------------- Wmo-voorzieningen (ZW-3, ZW-4, ZW-5)

# Distinct users of maatwerk per year: 2023 = 3151 = 79,91 per 1.000 of 39.431 inwoners (the plan's baseline),
# 2024 = 3180 (80,6 per 1.000 of 39.452), 2025 = 3211 (81,4 per 1.000 of the last published 39.452); 2026 up to
# the export date.
MAATWERK_USERS = {2023: 3151, 2024: 3180, 2025: 3211, 2026: 2870}
# Users of dagbesteding per year: maatwerk and voorliggend (gekanteld). Voorliggend 104/260 = 40% in 2023 (the
# baseline), 111/261 = 42,5% in 2024, 117/260 = 45% in 2025.
DAGBESTEDING = {"maatwerk": {2023: 156, 2024: 150, 2025: 143, 2026: 128},
                "voorliggend": {2023: 104, 2024: 111, 2025: 117, 2026: 112}}
# Maatwerk costs per user per year: € 2.864 in 2023 (the baseline), rising faster than the 9% in four years the plan
# allows; the last figure is for the 12 months up to 30 June 2026.
MAATWERK_PER_USER = yearly({2023: 2864, 2024: 2935, 2025: 3010}, rolling=3070)
# Maatwerk other than dagbesteding: voorziening → (weight, relative day rate)
WMO_MAATWERK = {"hulp bij het huishouden": (46, 1.0), "begeleiding individueel": (16, 2.2),
                "scootmobiel": (12, 0.35), "vervoersvoorziening (Regiotaxi)": (14, 0.25), "rolstoel": (6, 0.3),
                "woningaanpassing": (6, 0.9)}
WMO_VOORLIGGEND = ["maaltijdservice", "boodschappendienst", "personenalarmering", "klussendienst"]


def wmo(rng: random.Random) -> list[dict]:
    def new_span(kind: str, mean_days: int):
        def make(year: int) -> Span:
            start = day_between(rng, date(year, 1, 1), min(date(year, 12, 31), EXPORT_DATE))
            return Span(pseudonym(rng), start, span_end(rng, start, mean_days), kind)
        return make

    def counts(s: Span, year: int) -> bool:
        return s.runs_in(year)

    groups = {}
    for kind, mean_days, targets in (
            ("maatwerk", 1100, {y: MAATWERK_USERS[y] - DAGBESTEDING["maatwerk"][y] for y in MAATWERK_USERS}),
            ("dagbesteding maatwerk", 900, DAGBESTEDING["maatwerk"]),
            ("dagbesteding voorliggend", 700, DAGBESTEDING["voorliggend"])):
        spans = initial(rng, round(targets[2023] * 0.78), kind, mean_days, date(2012, 1, 1))
        fill_years(rng, spans, targets, new_span(kind, mean_days), counts)
        groups[kind] = spans
    records = []

    def voorziening(s: Span, name: str, soort: str, start: date, end: date | None, rate: float) -> None:
        records.append({"client": s.client, "name": name, "soort": soort, "start": start, "end": end,
                        "rate": rate if soort == "maatwerk" else 0.0, "wijk": s.extra.setdefault("wijk", wijk(rng))})

    kinds = list(WMO_MAATWERK)
    weights = [w for w, _ in WMO_MAATWERK.values()]
    for s in groups["maatwerk"]:
        name = rng.choices(kinds, weights=weights)[0]
        voorziening(s, name, "maatwerk", s.start, s.end, WMO_MAATWERK[name][1])
        if rng.random() < 0.15:  # a second maatwerkvoorziening during the first one: the user counts once
            second = rng.choices(kinds, weights=weights)[0]
            start = day_between(rng, max(s.start, REGISTRATION_START), s.end or EXPORT_DATE)
            voorziening(s, second, "maatwerk", start, s.end, WMO_MAATWERK[second][1])
    for s in groups["dagbesteding maatwerk"]:
        voorziening(s, "dagbesteding", "maatwerk", s.start, s.end, 3.1)
    for s in groups["dagbesteding voorliggend"]:
        voorziening(s, rng.choice(["dagbesteding (gekanteld)", "dagbesteding buurtcentrum", "dagbesteding"]),
                    "voorliggend", s.start, s.end, 0)
    for _ in range(220):  # other voorliggende voorzieningen: no part of ZW-3, ZW-4 or ZW-5
        start = day_between(rng, REGISTRATION_START, EXPORT_DATE)
        voorziening(Span(pseudonym(rng), start, None, "voorliggend"), rng.choice(WMO_VOORLIGGEND), "voorliggend",
                    start, span_end(rng, start, 500), 0)
    voorziening(Span(pseudonym(rng), EXPORT_DATE, None, "maatwerk"), "scootmobiel", "maatwerk", EXPORT_DATE, None, 0.35)
    calibrate(records, MAATWERK_PER_USER, lambda r, year: r["soort"] == "maatwerk")
    records.sort(key=lambda r: (r["start"], r["client"], r["name"]))
    return [{"voorziening_id": f"WMO-{number:06d}", "client_id": r["client"], "voorziening": r["name"],
             "soort": r["soort"], "ingangsdatum": iso(r["start"]), "einddatum": iso(r["end"]),
             "kosten": euro(r["rate"] * days_in(r["start"], r["end"], r["start"], EXPORT_DATE)), "wijk": r["wijk"]}
            for number, r in enumerate(records, start=1)]


# ---------------------------------------------- jeugdhulptrajecten (OZ-3, OZ-4)

# Distinct jeugdigen under 18 on 1 January with specialistische jeugdhulp per year: 2023 = 997 = 141 per 1.000 of
# 7.071 (the plan's baseline), 2024 = 985 (139,2 per 1.000 of 7.074), 2025 = 1007 (142,4 per 1.000 of the last
# published 7.074); 2026 up to the export date.
SPECIALISTISCH = {2023: 997, 2024: 985, 2025: 1007, 2026: 800}
# Costs per jeugdige per year: € 13.601,04 in 2023 (the plan's baseline), then falling; the last figure is for the
# 12 months up to 30 June 2026.
SPECIALISTISCH_PER_JEUGDIGE = yearly({2023: 13601.04, 2024: 13452.10, 2025: 13207.85}, rolling=13150)
VERWIJZERS = ["huisarts"] * 9 + ["gemeente"] * 7 + ["jeugdarts", "medisch specialist"]


def eligible(born: int | None, year: int) -> bool:
    """As the monitor counts: under 18 on 1 January of the year, or no geboortejaar."""
    return born is None or year - born <= 18


def jeugdhulp(rng: random.Random) -> list[dict]:
    def new(year: int) -> Span:
        start = day_between(rng, date(year, 1, 1), min(date(year, 12, 31), EXPORT_DATE))
        return Span(pseudonym(rng), start, span_end(rng, start, 420), "specialistisch",
                    born=rng.randint(year - 17, year - 1))

    def counts(s: Span, year: int) -> bool:
        return s.runs_in(year) and eligible(s.born, year)

    spans = initial(rng, round(SPECIALISTISCH[2023] * 0.62), "specialistisch", 420, date(2019, 1, 1))
    for s in spans:
        s.born = rng.randint(2005, 2021)
    spans[0].born = None  # a traject without geboortejaar still counts
    fill_years(rng, spans, SPECIALISTISCH, new, counts)
    # Jeugdhulp after 18 (verlengde jeugdhulp): specialistisch, but not counted.
    for _ in range(35):
        start = day_between(rng, REGISTRATION_START, EXPORT_DATE)
        spans.append(Span(pseudonym(rng), start, span_end(rng, start, 300), "specialistisch",
                          born=rng.randint(start.year - 22, start.year - 19)))
    for kind, count, mean_days in (("jeugdbescherming", 70, 600), ("jeugdreclassering", 14, 300),
                                   ("overig", 320, 200)):
        for _ in range(count):
            start = day_between(rng, REGISTRATION_START, EXPORT_DATE)
            spans.append(Span(pseudonym(rng), start, span_end(rng, start, mean_days), kind,
                              born=rng.randint(start.year - 17, start.year - 1)))
    spans.append(Span(pseudonym(rng), EXPORT_DATE, None, "overig", born=2015))
    records = []
    for s in spans:
        stay = s.kind == "specialistisch" and rng.random() < 0.08
        rate = {"specialistisch": 9.0 if stay else 1.0, "jeugdbescherming": 2.5, "jeugdreclassering": 1.2,
                "overig": 0.25}[s.kind] * rng.uniform(0.6, 1.4)
        parts = [(s.start, s.end)]
        stop = s.end or EXPORT_DATE
        if s.kind == "specialistisch" and (stop - max(s.start, REGISTRATION_START)).days > 120 and rng.random() < 0.25:
            # a follow-up traject right after the first: the jeugdige counts once
            middle = day_between(rng, max(s.start + timedelta(days=60), REGISTRATION_START), stop - timedelta(days=30))
            parts = [(s.start, middle), (middle + timedelta(days=1), s.end)]
        for start, end in parts:
            records.append({"span": s, "client": s.client, "start": start, "end": end, "rate": rate, "stay": stay,
                            "wijk": s.extra.setdefault("wijk", wijk(rng))})
    specialist = [r for r in records if r["span"].kind == "specialistisch"]
    factor = calibrate(specialist, SPECIALISTISCH_PER_JEUGDIGE, lambda r, year: eligible(r["span"].born, year))
    for r in records:  # the other trajecten keep their price relative to specialistische jeugdhulp in 2023
        if r["span"].kind != "specialistisch":
            r["rate"] *= factor
    records.sort(key=lambda r: (r["start"], r["span"].client))
    return [{"traject_id": f"JH-{number:06d}", "client_id": r["span"].client,
             "geboortejaar": "" if r["span"].born is None else r["span"].born, "vorm": r["span"].kind,
             "met_verblijf": "J" if r["stay"] else "N", "ingangsdatum": iso(r["start"]), "einddatum": iso(r["end"]),
             "kosten": euro(r["rate"] * days_in(r["start"], r["end"], r["start"], EXPORT_DATE)),
             "verwijzer": "gecertificeerde instelling" if r["span"].kind in ("jeugdbescherming", "jeugdreclassering")
             else rng.choice(VERWIJZERS), "wijk": r["wijk"]}
            for number, r in enumerate(records, start=1)]


EXPORTS = {
    "toekenningen_minimaregelingen": toekenningen,
    "uitkeringen_participatiewet": uitkeringen,
    "loonkostensubsidie": loonkostensubsidie,
    "inburgering": inburgering,
    "wmo_voorzieningen": wmo,
    "jeugdhulp_trajecten": jeugdhulp,
}


def generate(seed: int, out: Path = OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    records = rows(seed)
    write_csv(out / "metingen.csv", list(records[0]), records)
    write_csv(out / "toelichtingen.csv", ["indicator_id", "periode", "tekst"],
              [{"indicator_id": i, "periode": p, "tekst": t} for i, p, t in NARRATIVES])
    (out / "exports").mkdir(exist_ok=True)
    for name, build in EXPORTS.items():
        # One generator per export, so that changing one export leaves the others as they are.
        records = build(random.Random(f"{seed}-{name}"))
        write_csv(out / "exports" / f"{name}.csv", list(records[0]), records)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    generate(args.seed, args.out)
    print(f"Voorbeelddata geschreven naar {args.out} (seed {args.seed}).")


if __name__ == "__main__":
    main()
