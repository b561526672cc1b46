"""Financieel fit: bijstand and re-integratie per 10.000 inwoners, from CBS counts and CBS population."""

from monitor.compute import cbs_values
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


def bijstand_per_10000_inwoners(con, gemeente_code, indicator_id):
    """BBV-BIJSTAND: bijstandsuitkeringen / inwoners × 10.000, per year that CBS gives both."""
    inwoners = {p: v for p, _, v, _ in cbs_values(con, gemeente_code, MAATSTAVEN, "InwonersTotaal")}
    return [
        per_10000(indicator_id, gemeente_code, periode, uitkeringen, inwoners[periode], "per 10.000 inwoners",
                  f"CBS StatLine {tabel}", status)
        for periode, tabel, uitkeringen, status in cbs_values(con, gemeente_code, MAATSTAVEN, "TotaalBijstandsuitkeringen")
        if inwoners.get(periode)
    ]


def reintegratie_per_10000_inwoners_15_64(con, gemeente_code, indicator_id):
    """BBV-REINTEGRATIE: voorzieningen lopend eind december / inwoners 15-64 jaar × 10.000, per year."""
    inwoners = {p: v for p, _, v, _ in cbs_values(con, gemeente_code, MAATSTAVEN, "Inwoners15TotEnMet64Jaar")}
    result = []
    for periode, tabel, lopend, status in cbs_values(con, gemeente_code, REINTEGRATIE, "ReIntegratieParticipatievoorzieningen",
                                                     dimensies=REINTEGRATIE_LOPEND, period_kind="maand"):
        year = str(parse_period(periode).start.year)
        if periode.endswith("-12") and inwoners.get(year):
            result.append(per_10000(indicator_id, gemeente_code, year, lopend, inwoners[year],
                                    "per 10.000 inwoners 15-64 jaar", f"CBS StatLine {tabel} en 85383NED", status))
    return result
