"""Opgroeien en zelfontplooiing: jeugdhulp, jeugdbescherming and jeugdreclassering as CBS publishes them."""

from monitor.compute import cbs_measurements

JEUGD_TABLE = ["85098NED"]


def _half_yearly(con, indicator_id, gemeente_code, measure):
    # CBS also gives whole years, which count more youngsters than a half year: keep one kind per series.
    return cbs_measurements(con, indicator_id, gemeente_code, JEUGD_TABLE, measure, "% jongeren tot 18 jaar",
                            period_kind="halfjaar")


def jongeren_met_jeugdhulp(con, gemeente_code, indicator_id):
    """% of youngsters under 18 with jeugdhulp in natura (CBS 85098NED), per half year."""
    return _half_yearly(con, indicator_id, gemeente_code, "JongerenMetJeugdhulpInNatura")


def jongeren_met_jeugdbescherming(con, gemeente_code, indicator_id):
    """% of youngsters under 18 with jeugdbescherming (CBS 85098NED), per half year."""
    return _half_yearly(con, indicator_id, gemeente_code, "JongerenMetJeugdbescherming")


def jongeren_met_jeugdreclassering(con, gemeente_code, indicator_id):
    """% of youngsters with jeugdreclassering (CBS 85098NED), per half year."""
    return _half_yearly(con, indicator_id, gemeente_code, "JongerenMetJeugdreclassering")
