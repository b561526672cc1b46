"""Zorg en wonen: Wmo figures from the basisregistratie (Suite4SD Wmo-voorzieningen) and from CBS.

The written definitions are in the plan (`definitie`); the rules every Suite4SD figure shares are in
indicators/records.py.
"""

from indicators.records import (
    WIJK_TABLE,
    ExportNeed,
    clients_and_costs,
    from_export,
    measurement,
    population,
    population_for,
)
from monitor.compute import cbs_based, cbs_measurements

WMO = "wmo_voorzieningen"
WMO_TABLE = "s4sd_wmo_voorziening"
MAATWERK = "soort = 'maatwerk'"
# Users and costs of running voorzieningen: a half year holds most of the year's users but half its costs, so it is
# no part of a yearly figure. The share of dagbesteding users with a voorliggende voorziening is (ZW-3).
WMO_NEED = ExportNeed(WMO, ("einddatum", "ingangsdatum"))
WMO_SHARE_NEED = ExportNeed(WMO, ("einddatum", "ingangsdatum"), part_year=True)


@cbs_based
def wmo_clienten_per_inwoners(con, indicator_id, regions):
    """BBV-WMO-MAATWERK: Wmo clients with a maatwerkvoorziening; CBS gives per 1.000, the BBV asks per 10.000."""
    return cbs_measurements(con, indicator_id, regions, ["86050NED"], "WmoClientenPer1000Inwoners",
                            "per 10.000 inwoners", dimensies="TypeMaatwerkvoorziening=Totaal", period_kind="halfjaar",
                            factor=10, note="CBS publiceert per 1.000 inwoners (afgerond); hier maal 10.")


@from_export(WMO_SHARE_NEED)
def dagbesteding_voorliggend(con, gemeente_code, indicator_id):
    """ZW-3: of the distinct users of Wmo-dagbesteding in the year, the % with a voorliggende dagbesteding; an
    export of part of a year gives a part-year figure per whole half year."""
    cover = WMO_SHARE_NEED.coverage(con)
    if cover is None:
        return []
    result = []
    for window in WMO_SHARE_NEED.windows(cover):
        voorliggend, users = con.execute(
            f"SELECT count(DISTINCT client_id) FILTER (WHERE soort = 'voorliggend'), count(DISTINCT client_id) "
            f"FROM {WMO_TABLE} WHERE vervangen_door IS NULL AND lower(voorziening) LIKE '%dagbesteding%' "
            "AND ingangsdatum <= ? AND (einddatum IS NULL OR einddatum >= ?)",
            [window.end, window.start]).fetchone()
        if users:
            result.append(measurement(indicator_id, gemeente_code, window.periode, voorliggend / users * 100, "%",
                                      "Wmo-voorzieningen, dagbesteding", cover.example, teller=voorliggend,
                                      noemer=users, note=window.note))
    return result


@from_export(WMO_NEED)
def maatwerkkosten_per_gebruiker(con, gemeente_code, indicator_id):
    """ZW-4: costs of Wmo-maatwerk in the year (spread over each voorziening's days) / distinct maatwerk users."""
    cover = WMO_NEED.coverage(con)
    if cover is None:
        return []
    result = []
    for window in WMO_NEED.windows(cover):
        users, costs = clients_and_costs(con, WMO_TABLE, MAATWERK, window, cover.stand)
        if users:
            result.append(measurement(indicator_id, gemeente_code, window.periode, costs / users, "EUR",
                                      "Wmo-voorzieningen, maatwerk", cover.example, teller=round(costs, 2),
                                      noemer=users, note=window.note))
    return result


@from_export(WMO_NEED)
def maatwerkgebruikers_per_1000_inwoners(con, gemeente_code, indicator_id):
    """ZW-5: distinct users of Wmo-maatwerk in the year per 1.000 inwoners (CBS, 1 January of the year the period
    ends in; the latest earlier year while that year is not published)."""
    cover = WMO_NEED.coverage(con)
    if cover is None:
        return []
    inwoners = population(con, gemeente_code, "InwonersTotaal", fallback=(WIJK_TABLE, "AantalInwoners"))
    result = []
    for window in WMO_NEED.windows(cover):
        users, _ = clients_and_costs(con, WMO_TABLE, MAATWERK, window, cover.stand)
        found = population_for(inwoners, window.end.year)
        if users and found:
            count, label = found
            note = " ".join(filter(None, [window.note, f"Inwoners: {label}."]))
            result.append(measurement(indicator_id, gemeente_code, window.periode, users / count * 1000,
                                      "per 1.000 inwoners", "Wmo-voorzieningen, maatwerk, per 1.000 inwoners",
                                      cover.example, teller=users, noemer=count, note=note))
    return result
