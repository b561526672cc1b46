"""Financieel fit: minimaregelingen, loonkostensubsidie, terugval and inburgering from Suite4SD records; bijstand
and re-integratie per 10.000 inwoners from CBS counts and CBS population.

The written definitions are in the plan (`definitie`); the rules every Suite4SD figure shares are in
indicators/records.py.
"""

from dataclasses import dataclass
from datetime import date

import pandas as pd

from indicators.records import ExportNeed, coverage, from_export, half_year_ends, half_year_of, measurement
from monitor.compute import cbs_based, cbs_values_by_region
from monitor.formatting import fmt_date
from monitor.periods import parse_period
from monitor.store import Measurement

MAATSTAVEN = ["85383NED"]
REINTEGRATIE = ["85588NED"]
REINTEGRATIE_LOPEND = (
    "TypeReIntegratieParticipatievoorz=Totaal re-integratie-/participatievoorz."
    "|StatusVoorziening=Lopend eind verslagperiode"
)


def per_10000(indicator_id, gemeente_code, periode, teller, noemer, unit, source, status):
    return Measurement(indicator_id=indicator_id, gemeente_code=gemeente_code, periode=periode,
                       waarde=round(teller / noemer * 10000, 6), teller=teller, noemer=noemer, eenheid=unit,
                       bron=source, herkomst="berekend", status=status or "definitief")


def _by_region(con, regions, measure):
    """(regio_code, periode) → value of one measure of MAATSTAVEN."""
    return {(r, p): v for r, p, _, v, _ in cbs_values_by_region(con, regions, MAATSTAVEN, measure)}


@cbs_based
def bijstand_per_10000_inwoners(con, indicator_id, regions):
    """BBV-BIJSTAND: bijstandsuitkeringen / inwoners × 10.000, per year that CBS gives both."""
    inwoners = _by_region(con, regions, "InwonersTotaal")
    return [
        per_10000(indicator_id, regio, periode, uitkeringen, inwoners[regio, periode], "per 10.000 inwoners",
                  f"CBS StatLine {tabel}", status)
        for regio, periode, tabel, uitkeringen, status in cbs_values_by_region(con, regions, MAATSTAVEN,
                                                                              "TotaalBijstandsuitkeringen")
        if inwoners.get((regio, periode))
    ]


@cbs_based
def reintegratie_per_10000_inwoners_15_64(con, indicator_id, regions):
    """BBV-REINTEGRATIE: voorzieningen lopend eind december / inwoners 15-64 jaar × 10.000, per year."""
    inwoners = _by_region(con, regions, "Inwoners15TotEnMet64Jaar")
    result = []
    for regio, periode, tabel, lopend, status in cbs_values_by_region(
            con, regions, REINTEGRATIE, "ReIntegratieParticipatievoorzieningen", dimensies=REINTEGRATIE_LOPEND,
            period_kind="maand"):
        year = str(parse_period(periode).start.year)
        if periode.endswith("-12") and inwoners.get((regio, year)):
            result.append(per_10000(indicator_id, regio, year, lopend, inwoners[regio, year],
                                    "per 10.000 inwoners 15-64 jaar", f"CBS StatLine {tabel} en 85383NED", status))
    return result


# ------------------------------------------------------------------ from Suite4SD records

TOEKENNINGEN = "toekenningen_minimaregelingen"
KINDPAKKET = "KINDPAKKET"
# Toekenningen are counted by besluitdatum and add up over the year: a half year alone gives a part-year figure.
TOEKENNINGEN_NEED = ExportNeed(TOEKENNINGEN, ("besluitdatum",), part_year=True)
# A reden_beeindiging that means work: one of these words, as a whole word ('vrijwilligerswerk' is not work).
WERK = r"\b(werk|werkaanvaarding|arbeid|dienstverband|baan)\b"
# Uitstroom whose outcome the gemeente does not know: moving away, leaving the country, death.
ONBEKENDE_UITSTROOM = r"(verhui|vertrek|vertrok|emigr|overl)"
DIVOSA_TERUGVAL = "terugval_bijstand_1jr"  # the key in data/divosa_kolommen.toml
TERUGVAL_UITLEG = (
    "Divosa (Benchmark Werk en Inkomen, het meetinstrument van het plan) en de berekening uit Suite4SD meten "
    "terugval elk op hun eigen manier; de cijfers hoeven daarom niet gelijk te zijn. Divosa rekent met een eigen, "
    "landelijk vergelijkbare definitie en eigen bronnen. De berekening uit Suite4SD: (1) ziet alleen uitkeringen van "
    "de eigen gemeente, dus wie na het werk in een andere gemeente weer bijstand krijgt, telt niet als terugval; "
    "(2) kiest de uitstroom naar werk op de reden van beëindiging die de consulent vastlegt, dus uitstroom zonder of "
    "met een andere reden telt niet mee; (3) telt alleen de bijstand (PW), niet IOAW, IOAZ of Bbz; (4) zet het cijfer "
    "bij het jaar waarin de uitkering eindigde, en het is pas bekend als ook de 12 maanden daarna voorbij zijn. Bij "
    "enkele tientallen uitstromers per jaar verschuift één inwoner het percentage al met een paar procentpunt."
)


@from_export(TOEKENNINGEN_NEED)
def toekenningen_minimaregelingen(con, gemeente_code, indicator_id):
    """FF-1: granted besluiten on every minimaregeling per calendar year (by besluitdatum), the current year as the
    12 months up to its first half; an export of part of a year gives a part-year figure per whole half year."""
    return _toekenningen(con, gemeente_code, indicator_id, None)


@from_export(TOEKENNINGEN_NEED)
def toekenningen_kindpakket(con, gemeente_code, indicator_id):
    """FF-2: as FF-1, for the regeling KINDPAKKET only."""
    return _toekenningen(con, gemeente_code, indicator_id, KINDPAKKET)


def _toekenningen(con, gemeente_code, indicator_id, regeling):
    cover = TOEKENNINGEN_NEED.coverage(con)
    if cover is None:
        return []
    description = "toekenningen minimaregelingen" + (f", regeling {regeling}" if regeling else "")
    result = []
    for window in TOEKENNINGEN_NEED.windows(cover):
        count = con.execute(
            "SELECT count(*) FROM s4sd_toekenning WHERE vervangen_door IS NULL AND besluit = 'toegekend' "
            "AND besluitdatum BETWEEN ? AND ? AND regeling = coalesce(CAST(? AS VARCHAR), regeling)",
            [window.start, window.end, regeling]).fetchone()[0]
        result.append(measurement(indicator_id, gemeente_code, window.periode, count, "aantal toekenningen",
                                  description, cover.example, note=window.note))
    return result


def toekenningen_per_regeling(con, periode: str) -> pd.DataFrame:
    """Toegekende besluiten per regeling with a besluitdatum in the period (any notation; a half year is that half
    year itself, not the rolling 12 months of FF-1), for the UI: columns regeling, naam, toekenningen.

    Every regeling of the list is there, also without toekenningen; a code outside the list is shown by its code.
    """
    period = parse_period(periode)
    return con.execute(
        """
        SELECT coalesce(r.code, t.regeling) AS regeling, coalesce(r.naam, t.regeling) AS naam,
               count(t.regeling) AS toekenningen
        FROM regeling r FULL JOIN (
            SELECT regeling FROM s4sd_toekenning
            WHERE vervangen_door IS NULL AND besluit = 'toegekend' AND besluitdatum BETWEEN ? AND ?
        ) t ON t.regeling = r.code
        GROUP BY ALL ORDER BY toekenningen DESC, regeling
        """,
        [period.start, period.end]).df()


def werkenden_met_loonkostensubsidie(con, gemeente_code, indicator_id):
    """FF-4: distinct inwoners with a running loonkostensubsidie who had a benefit at its start, on 30 June and
    31 December."""
    cover = coverage(con, "loonkostensubsidie", ("einddatum", "startdatum"))
    if cover is None:
        return []
    result = []
    for day in half_year_ends(cover):
        count = con.execute(
            "SELECT count(DISTINCT client_id) FROM s4sd_loonkostensubsidie WHERE vervangen_door IS NULL "
            "AND uitkering_bij_start AND startdatum <= ? AND (einddatum IS NULL OR einddatum > ?)",
            [day, day]).fetchone()[0]
        result.append(measurement(indicator_id, gemeente_code, half_year_of(day), count, "aantal inwoners",
                                  "loonkostensubsidie", cover.example, note=f"Stand op {fmt_date(day)}."))
    return result


def terugval_binnen_een_jaar(con, gemeente_code, indicator_id):
    """FF-5 from Suite4SD: % of clients whose bijstand ended for work in a year and who got a new bijstand within
    12 months after that end; beside Divosa's figure (see terugval_vergelijking)."""
    found = _terugval(con)
    if found is None:
        return []
    rows, example = found
    return [
        measurement(indicator_id, gemeente_code, str(year), teller / noemer * 100, "%", "uitkeringen Participatiewet",
                    example, teller=teller, noemer=noemer,
                    note=f"Bijstand beëindigd wegens werk in {year}; terugkeer gevolgd t/m {fmt_date(date(year + 1, 12, 31))}.")
        for year, teller, noemer in rows
    ]


def _terugval(con) -> tuple[list[tuple[int, int, int]], bool] | None:
    """([(year of ending, clients back within a year, clients whose bijstand ended for work)], example) or None."""
    cover = coverage(con, "uitkeringen_participatiewet", ("einddatum", "ingangsdatum"))
    if cover is None:
        return None
    first = cover.begin.year if cover.begin.month == 1 else cover.begin.year + 1
    # A year counts once the export holds the 12 months after its last day as well.
    last = cover.stand.year - 1 if cover.stand >= date(cover.stand.year, 12, 31) else cover.stand.year - 2
    rows = con.execute(
        """
        WITH pw AS (
            SELECT client_id, ingangsdatum, einddatum, reden_beeindiging FROM s4sd_uitkering
            WHERE vervangen_door IS NULL AND regeling = 'PW'
        ), werk AS (
            SELECT client_id, einddatum FROM pw
            WHERE year(einddatum) BETWEEN ? AND ? AND regexp_matches(lower(coalesce(reden_beeindiging, '')), ?)
        )
        SELECT year(w.einddatum) AS jaar, count(DISTINCT w.client_id) FILTER (WHERE n.client_id IS NOT NULL),
               count(DISTINCT w.client_id)
        FROM werk w LEFT JOIN pw n ON n.client_id = w.client_id AND n.ingangsdatum > w.einddatum
                                   AND n.ingangsdatum <= w.einddatum + INTERVAL 1 YEAR
        GROUP BY jaar ORDER BY jaar
        """,
        [first, last, WERK]).fetchall()
    return rows, cover.example


@dataclass(frozen=True)
class TerugvalVergelijking:
    """FF-5 twice, for the UI: per periode Divosa's figure and the one computed from Suite4SD (with teller and
    noemer), and why the two differ."""

    reeksen: pd.DataFrame
    uitleg: str
    voorbeelddata: bool


def terugval_vergelijking(con) -> TerugvalVergelijking:
    """Divosa's terugval (current values of the plan's gemeente) beside the computed one; columns periode, divosa,
    berekend, teller, noemer, in period order. A period missing from one source has an empty cell there."""
    divosa = con.execute(
        "SELECT periode, waarde AS divosa FROM divosa_waarde WHERE vervangen_door IS NULL AND indicator = ? "
        "AND vergelijking = 'gemeente' AND gemeente_code = (SELECT gemeente_code FROM plan ORDER BY plan_id LIMIT 1)",
        [DIVOSA_TERUGVAL]).df()
    rows, example = _terugval(con) or ([], False)
    computed = pd.DataFrame(
        [{"periode": str(year), "berekend": teller / noemer * 100, "teller": teller, "noemer": noemer}
         for year, teller, noemer in rows],
        columns=["periode", "berekend", "teller", "noemer"])
    both = divosa.merge(computed, on="periode", how="outer")
    both = both.sort_values("periode", key=lambda p: p.map(parse_period)).reset_index(drop=True)
    return TerugvalVergelijking(both, TERUGVAL_UITLEG, example)


def inburgeraars_uit_bijstand(con, gemeente_code, indicator_id):
    """FF-6: % of inburgeraars with bijstand who left it within 3,5 years after vestiging, for those whose 3,5 years
    ended in the 12 months up to 30 June or 31 December."""
    cover = coverage(con, "inburgering", ("vestigingsdatum",))
    if cover is None:
        return []
    result = []
    for day in half_year_ends(cover):
        # Settled in these 12 months ⇔ the 3,5 years ended in the 12 months up to `day`.
        start, end = ((date(day.year - 4, 1, 1), date(day.year - 4, 12, 31)) if day.month == 6
                      else (date(day.year - 4, 7, 1), date(day.year - 3, 6, 30)))
        if start < cover.begin:
            continue
        teller, noemer = con.execute(
            """
            WITH cohort AS (
                SELECT pw_ingangsdatum <= grens AS had_bijstand,
                       coalesce(pw_einddatum <= grens, false) AS uit,
                       regexp_matches(lower(coalesce(reden_uitstroom, '')), ?) AS onbekend
                FROM (SELECT *, CAST(vestigingsdatum + INTERVAL 42 MONTH AS DATE) AS grens FROM s4sd_inburgering
                      WHERE vervangen_door IS NULL AND vestigingsdatum BETWEEN ? AND ?)
                WHERE pw_ingangsdatum IS NOT NULL
            )
            SELECT count(*) FILTER (WHERE uit), count(*) FROM cohort WHERE had_bijstand AND NOT (uit AND onbekend)
            """,
            [ONBEKENDE_UITSTROOM, start, end]).fetchone()
        if noemer:
            result.append(measurement(
                indicator_id, gemeente_code, half_year_of(day), teller / noemer * 100, "%", "module inburgering",
                cover.example, teller=teller, noemer=noemer,
                note=f"Inburgeraars gevestigd van {fmt_date(start)} t/m {fmt_date(end)}: hun 3,5 jaar liepen af in "
                     f"de 12 maanden t/m {fmt_date(day)}."))
    return result
