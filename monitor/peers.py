"""A CBS-based indicator next to peers: buurgemeenten, vergelijkingsgroep, Nederland and the grootteklasse average,
and the rank among all gemeenten.

Every peer value is made by the all-regions variant of the indicator's own compute function from the plan
(`berekening`, declared with monitor.compute.cbs_based), so a peer's figure is computed exactly like the gemeente's
own, for every region in one query. Indicators computed from the gemeente's own Suite4SD records have no figure for
other gemeenten and get no comparison (NO_PEERS says why). The group is configured in data/vergelijkingsgroep.toml;
docs/vergelijking.md explains the choices.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from monitor.cbs import NEDERLAND
from monitor.compute import AllRegionsFunction, all_regions_function, compute_function
from monitor.periods import Period, parse_period
from monitor.store import PROJECT_DIR, Measurement, load_plan

GROEP_FILE = PROJECT_DIR / "data" / "vergelijkingsgroep.toml"
# CBS names no gemeente's size class in any table, so the class is derived from CBS's inwonertal, taken from the
# table that also gives the BBV denominators.
INWONERS_TABLES = ["85383NED"]
INWONERS_MEASURE = "InwonersTotaal"
GEMEENTE_CODE = re.compile(r"^GM\d{4}$")
# Why an indicator computed from the gemeente's own records is shown without peers.
NO_PEERS = ("Geen vergelijking met andere gemeenten: dit cijfer is berekend uit de eigen registratie (Suite4SD) van "
            "de gemeente. Andere gemeenten hebben daarvoor geen cijfer in de monitor; een vergelijking zou dus niet "
            "eerlijk zijn. Alleen cijfers die CBS voor elke gemeente publiceert, worden vergeleken.")
COLUMNS = ["rol", "regio_code", "naam", "periode", "waarde", "eenheid", "status", "aantal"]


class GroepError(ValueError):
    """The vergelijkingsgroep file is unreadable or inconsistent; the message says which file and why, in Dutch."""


@dataclass(frozen=True)
class Grootteklasse:
    naam: str
    ondergrens: int
    bovengrens: int

    def contains(self, inwoners: float) -> bool:
        # CBS writes the classes as "20 000 tot 50 000 inwoners": the lower bound belongs to the class, the upper not.
        return self.ondergrens <= inwoners < self.bovengrens


@dataclass(frozen=True)
class Vergelijkingsgroep:
    gemeente_code: str
    gemeente_naam: str
    buurgemeenten: dict[str, str]
    naam: str
    bron: str
    gemeenten: dict[str, str]
    grootteklasse: Grootteklasse


def load_groep(path: Path = GROEP_FILE) -> Vergelijkingsgroep:
    """Read a vergelijkingsgroep file (layout: data/vergelijkingsgroep.toml)."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        groep = Vergelijkingsgroep(
            gemeente_code=raw["gemeente"]["code"], gemeente_naam=raw["gemeente"]["naam"],
            buurgemeenten=dict(raw["buurgemeenten"]), naam=raw["vergelijkingsgroep"]["naam"],
            bron=raw["vergelijkingsgroep"]["bron"], gemeenten=dict(raw["vergelijkingsgroep"]["gemeenten"]),
            grootteklasse=Grootteklasse(**raw["grootteklasse"]),
        )
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise GroepError(f"{path}: kan niet gelezen worden: {exc}") from None
    except KeyError as exc:
        raise GroepError(f"{path}: het veld {exc} ontbreekt.") from None
    except TypeError as exc:
        raise GroepError(f"{path}: [grootteklasse] heeft precies naam, ondergrens en bovengrens nodig "
                         f"({exc}).") from None
    codes = [groep.gemeente_code, *groep.buurgemeenten, *groep.gemeenten]
    wrong = [c for c in codes if not GEMEENTE_CODE.match(str(c))]
    if wrong:
        raise GroepError(f"{path}: geen CBS-gemeentecode (zoals GM0396): {', '.join(map(str, wrong))}.")
    klasse = groep.grootteklasse
    if not (isinstance(klasse.ondergrens, int) and isinstance(klasse.bovengrens, int)
            and 0 <= klasse.ondergrens < klasse.bovengrens):
        raise GroepError(f"{path}: [grootteklasse] ondergrens en bovengrens moeten hele getallen zijn met "
                         f"ondergrens kleiner dan bovengrens.")
    return groep


def berekening_of(con: duckdb.DuckDBPyConnection, indicator_id: str) -> AllRegionsFunction:
    """The all-regions variant of the compute function that the plan in the database names for the indicator."""
    indicator = next((i for i in load_plan(con).indicators if i.id == indicator_id), None)
    if indicator is None:
        raise LookupError(f"Indicator {indicator_id} staat niet in het plan.")
    if not indicator.berekening:
        raise ValueError(f"Indicator {indicator_id} wordt niet uit CBS-cijfers berekend (geen `berekening` in het "
                         f"plan): er is niets om mee te vergelijken.")
    function = all_regions_function(compute_function(indicator.berekening))
    if function is None:
        raise ValueError(f"Indicator {indicator_id} wordt niet uit CBS-cijfers berekend. {NO_PEERS}")
    return function


def comparable(berekening: str | None) -> bool:
    """Whether an indicator with this `berekening` has a value of its own for every gemeente."""
    return bool(berekening) and all_regions_function(compute_function(berekening)) is not None


def inwoners(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """CBS inwonertal per gemeente, of the most recent year that has one (definitief before voorlopig)."""
    return dict(con.execute(
        """
        SELECT regio_code, waarde FROM (
            SELECT regio_code, waarde,
                   row_number() OVER (PARTITION BY regio_code ORDER BY periode DESC, status = 'voorlopig', tabel DESC)
                       AS keuze
            FROM cbs_observation
            WHERE vervangen_door IS NULL AND regio_code LIKE 'GM%' AND list_contains(?, tabel)
              AND regexp_replace(maat, '_\\d+$', '') = ? AND dimensies = '' AND waarde IS NOT NULL
        ) WHERE keuze = 1
        """,
        [INWONERS_TABLES, INWONERS_MEASURE],
    ).fetchall())


def members(con: duckdb.DuckDBPyConnection, klasse: Grootteklasse) -> list[str]:
    """The gemeenten in the size class, by their most recent CBS inwonertal."""
    return sorted(code for code, count in inwoners(con).items() if klasse.contains(count))


def _all_values(con, indicator_id: str, periode: str | None) -> dict[str, list[Measurement]]:
    """region code → the indicator's measurements (all periods, or only `periode`), in period order: one query."""
    found: dict[str, list[Measurement]] = {}
    for m in sorted(berekening_of(con, indicator_id)(con, indicator_id, None), key=lambda m: m.period):
        if periode is None or m.periode == periode:
            found.setdefault(m.gemeente_code, []).append(m)
    return found


def _period_code(periode: str | None) -> str | None:
    # Accept any notation a user may type ("1e halfjaar 2023"); the measurements carry the standard code.
    return parse_period(periode).code if periode else None


def peer_values(con: duckdb.DuckDBPyConnection, indicator_id: str, gemeente_code: str, periode: str | None = None,
                groep: Vergelijkingsgroep | None = None) -> pd.DataFrame:
    """The indicator for the gemeente, its buurgemeenten, its vergelijkingsgroep, Nederland and the average of its
    grootteklasse: one row per region and period (all periods, or only `periode`), in that order.

    Columns: rol (gemeente, buurgemeente, vergelijkingsgroep, Nederland, grootteklasse), regio_code (empty for the
    grootteklasse), naam, periode, waarde, eenheid, status, aantal (number of gemeenten averaged; empty elsewhere).
    The grootteklasse average is unweighted: the mean of the gemeenten's own values, each gemeente counting once,
    over the gemeenten in the class that have a value for that period (the gemeente itself included).
    """
    return _peer_frame(con, _all_values(con, indicator_id, _period_code(periode)), gemeente_code,
                       groep or load_groep())


def _peer_frame(con, values: dict[str, list[Measurement]], gemeente_code: str,
                groep: Vergelijkingsgroep) -> pd.DataFrame:
    if gemeente_code != groep.gemeente_code:
        raise GroepError(f"De vergelijkingsgroep is ingesteld voor {groep.gemeente_code} ({groep.gemeente_naam}), "
                         f"niet voor {gemeente_code}.")
    regions = [("gemeente", gemeente_code, groep.gemeente_naam)]
    regions += [("buurgemeente", code, naam) for code, naam in groep.buurgemeenten.items()]
    regions += [("vergelijkingsgroep", code, naam) for code, naam in groep.gemeenten.items()]
    regions.append(("Nederland", NEDERLAND, "Nederland"))
    rows = [(rol, code, naam, m.periode, m.waarde, m.eenheid, m.status, None)
            for rol, code, naam in regions for m in values.get(code, [])]
    klasse = groep.grootteklasse
    in_class: dict[Period, list[Measurement]] = {}
    for m in (m for code in members(con, klasse) for m in values.get(code, [])):
        in_class.setdefault(m.period, []).append(m)
    for period in sorted(in_class):
        values_in_class = in_class[period]
        status = "voorlopig" if any(m.status == "voorlopig" for m in values_in_class) else "definitief"
        rows.append(("grootteklasse", None, f"Gemiddelde gemeenten {klasse.naam}", period.code,
                     sum(m.waarde for m in values_in_class) / len(values_in_class), values_in_class[0].eenheid, status,
                     len(values_in_class)))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["aantal"] = frame["aantal"].astype("Int64")
    return frame


def rank(con: duckdb.DuckDBPyConnection, indicator_id: str, gemeente_code: str, periode: str) -> tuple[int | None, int]:
    """(rank, n): the place of the gemeente among the n gemeenten in the data with a value for the period, 1 being
    the highest value. Equal values share a place and the next place is skipped (1, 2, 2, 4). Whether high is good
    depends on the indicator and is not implied. rank is None when the gemeente itself has no value.
    """
    return _rank(_all_values(con, indicator_id, _period_code(periode)), gemeente_code)


def _rank(values: dict[str, list[Measurement]], gemeente_code: str) -> tuple[int | None, int]:
    # Only gemeenten are ranked: Nederland and other regions in the CBS tables are not.
    figures = {code: found[-1].waarde for code, found in values.items() if GEMEENTE_CODE.match(code)}
    own = figures.get(gemeente_code)
    if own is None:
        return None, len(figures)
    return 1 + sum(v > own for v in figures.values()), len(figures)


def latest_comparison(con: duckdb.DuckDBPyConnection, indicator_id: str, gemeente_code: str,
                      groep: Vergelijkingsgroep | None = None) -> tuple[pd.DataFrame, int | None, int]:
    """(peer_values of the latest period the gemeente has a value for, rank, n) from one computation of the
    indicator for all regions; an empty frame and (None, 0) when the gemeente has no value."""
    everything = _all_values(con, indicator_id, None)
    own = everything.get(gemeente_code)
    if not own:
        return pd.DataFrame(columns=COLUMNS), None, 0
    periode = own[-1].periode
    latest = {code: [m for m in found if m.periode == periode] for code, found in everything.items()}
    latest = {code: found for code, found in latest.items() if found}
    return _peer_frame(con, latest, gemeente_code, groep or load_groep()), *_rank(latest, gemeente_code)
