"""Vitaal en weerbaar: GGD Gezondheidsmonitor figures as CBS publishes them."""

from monitor.compute import cbs_based, cbs_measurements

GGD_TABLES = ["85012NED", "85563NED"]


@cbs_based
def beweegrichtlijn_volwassenen(con, indicator_id, regions):
    """VW-1: % of inwoners of 18 and over who meet the beweegrichtlijnen."""
    return cbs_measurements(con, indicator_id, regions, GGD_TABLES, "VoldoetAanBeweegrichtlijn", "%",
                            dimensies="Leeftijd=Totaal|Marges=Waarde")


@cbs_based
def overgewicht_volwassenen(con, indicator_id, regions):
    """VW-4: % of inwoners of 18 to 65 with overgewicht (the plan's baseline of 51% is this series' 2020 value)."""
    return cbs_measurements(con, indicator_id, regions, GGD_TABLES, "Overgewicht", "%",
                            dimensies="Leeftijd=18 tot 65 jaar|Marges=Waarde")
