"""Zorg en wonen: Wmo figures."""

from monitor.compute import cbs_measurements


def wmo_clienten_per_inwoners(con, gemeente_code, indicator_id):
    """BBV-WMO-MAATWERK: Wmo clients with a maatwerkvoorziening; CBS gives per 1.000, the BBV asks per 10.000."""
    return cbs_measurements(con, indicator_id, gemeente_code, ["86050NED"], "WmoClientenPer1000Inwoners",
                            "per 10.000 inwoners", dimensies="TypeMaatwerkvoorziening=Totaal", period_kind="halfjaar",
                            factor=10, note="CBS publiceert per 1.000 inwoners (afgerond); hier maal 10.")
