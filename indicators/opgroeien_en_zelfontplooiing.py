"""Opgroeien en zelfontplooiing: specialistische jeugdhulp from the basisregistratie (Suite4SD jeugdhulptrajecten);
jeugdhulp, jeugdbescherming and jeugdreclassering as CBS publishes them.

The written definitions are in the plan (`definitie`); the rules every Suite4SD figure shares are in
indicators/records.py.
"""

from indicators.records import ExportNeed, clients_and_costs, from_export, measurement, population, population_for
from monitor.compute import cbs_based, cbs_measurements

JEUGD_TABLE = ["85098NED"]


def _half_yearly(con, indicator_id, regions, measure):
    # CBS also gives whole years, which count more youngsters than a half year: keep one kind per series.
    return cbs_measurements(con, indicator_id, regions, JEUGD_TABLE, measure, "% jongeren tot 18 jaar",
                            period_kind="halfjaar")


@cbs_based
def jongeren_met_jeugdhulp(con, indicator_id, regions):
    """% of youngsters under 18 with jeugdhulp in natura (CBS 85098NED), per half year."""
    return _half_yearly(con, indicator_id, regions, "JongerenMetJeugdhulpInNatura")


@cbs_based
def jongeren_met_jeugdbescherming(con, indicator_id, regions):
    """% of youngsters under 18 with jeugdbescherming (CBS 85098NED), per half year."""
    return _half_yearly(con, indicator_id, regions, "JongerenMetJeugdbescherming")


@cbs_based
def jongeren_met_jeugdreclassering(con, indicator_id, regions):
    """% of youngsters with jeugdreclassering (CBS 85098NED), per half year."""
    return _half_yearly(con, indicator_id, regions, "JongerenMetJeugdreclassering")


# ------------------------------------------------------------------ from Suite4SD records

TRAJECTEN = "s4sd_jeugdhulp_traject"
# Counted like the denominator, CBS's inwoners jonger dan 18 on 1 January: born in the year 18 years before the
# year the period ends in, or later. Without a geboortejaar a traject counts: jeugdhulp is mostly for minors.
# Jeugdigen and costs of running trajecten: a half year is no part of a yearly figure (see zorg_en_wonen.WMO_NEED).
JEUGD_NEED = ExportNeed("jeugdhulp_trajecten", ("einddatum", "ingangsdatum"))
SPECIALISTISCH = "vorm = 'specialistisch' AND (geboortejaar IS NULL OR $jaar - geboortejaar <= 18)"


def _specialistisch(con):
    """[(window, jeugdigen, costs)] per year the export covers, and whether it is example data."""
    cover = JEUGD_NEED.coverage(con)
    if cover is None:
        return [], False
    rows = [(window, *clients_and_costs(con, TRAJECTEN, SPECIALISTISCH, window, cover.stand,
                                        {"jaar": window.end.year}))
            for window in JEUGD_NEED.windows(cover)]
    return [r for r in rows if r[1]], cover.example


@from_export(JEUGD_NEED)
def specialistische_jeugdhulp_per_1000_jeugdigen(con, gemeente_code, indicator_id):
    """OZ-3: distinct jeugdigen with specialistische jeugdhulp in the year per 1.000 inwoners under 18 (CBS)."""
    rows, example = _specialistisch(con)
    jeugdigen = population(con, gemeente_code, "InwonersJongerDan18")
    result = []
    for window, count, _ in rows:
        found = population_for(jeugdigen, window.end.year)
        if found:
            under_18, label = found
            note = " ".join(filter(None, [window.note, f"Jeugdigen jonger dan 18: {label}."]))
            result.append(measurement(indicator_id, gemeente_code, window.periode, count / under_18 * 1000,
                                      "per 1.000 jeugdigen", "jeugdhulptrajecten, specialistisch, per 1.000 jeugdigen",
                                      example, teller=count, noemer=under_18, note=note))
    return result


@from_export(JEUGD_NEED)
def kosten_per_jeugdige_specialistisch(con, gemeente_code, indicator_id):
    """OZ-4: costs of specialistische jeugdhulp in the year (spread over each traject's days) / the jeugdigen of
    OZ-3."""
    rows, example = _specialistisch(con)
    return [measurement(indicator_id, gemeente_code, window.periode, costs / count, "EUR",
                        "jeugdhulptrajecten, specialistisch", example, teller=round(costs, 2), noemer=count,
                        note=window.note)
            for window, count, costs in rows]
