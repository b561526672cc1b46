"""A CBS-based indicator next to peers: buurgemeenten, vergelijkingsgroep, Nederland and the grootteklasse average,
and the rank among all gemeenten.

Every peer value is made by the indicator's own compute function from the plan (`berekening`), called with the
peer's code, so a peer's figure is computed exactly like the gemeente's own. The group is configured in
data/vergelijkingsgroep.toml; docs/vergelijking.md explains the choices.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from monitor.cbs import NEDERLAND
from monitor.compute import ComputeFunction, compute_function
from monitor.periods import Period, parse_period
from monitor.store import PROJECT_DIR, Measurement, load_plan

GROEP_FILE = PROJECT_DIR / "data" / "vergelijkingsgroep.toml"
# CBS names no gemeente's size class in any table, so the class is derived from CBS's inwonertal, taken from the
# table that also gives the BBV denominators.
INWONERS_TABLES = ["85383NED"]
INWONERS_MEASURE = "InwonersTotaal"
GEMEENTE_CODE = re.compile(r"^GM\d{4}$")
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


def berekening_of(con: duckdb.DuckDBPyConnection, indicator_id: str) -> ComputeFunction:
    """The compute function that the plan in the database names for the indicator."""
    indicator = next((i for i in load_plan(con).indicators if i.id == indicator_id), None)
    if indicator is None:
        raise LookupError(f"Indicator {indicator_id} staat niet in het plan.")
    if not indicator.berekening:
        raise ValueError(f"Indicator {indicator_id} wordt niet uit CBS-cijfers berekend (geen `berekening` in het "
                         f"plan): er is niets om mee te vergelijken.")
    return compute_function(indicator.berekening)


def gemeenten_in_data(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every gemeente code with current CBS observations."""
    return [r[0] for r in con.execute(
        "SELECT DISTINCT regio_code FROM cbs_observation WHERE vervangen_door IS NULL AND regio_code LIKE 'GM%' "
        "ORDER BY regio_code").fetchall()]


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


def _computed(con, function: ComputeFunction, indicator_id: str, codes: list[str],
              periode: str | None) -> list[Measurement]:
    return [m for code in codes for m in function(con, code, indicator_id) if periode is None or m.periode == periode]


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
    groep = groep or load_groep()
    if gemeente_code != groep.gemeente_code:
        raise GroepError(f"De vergelijkingsgroep is ingesteld voor {groep.gemeente_code} ({groep.gemeente_naam}), "
                         f"niet voor {gemeente_code}.")
    function = berekening_of(con, indicator_id)
    periode = _period_code(periode)
    regions = [("gemeente", gemeente_code, groep.gemeente_naam)]
    regions += [("buurgemeente", code, naam) for code, naam in groep.buurgemeenten.items()]
    regions += [("vergelijkingsgroep", code, naam) for code, naam in groep.gemeenten.items()]
    regions.append(("Nederland", NEDERLAND, "Nederland"))
    rows = [
        (rol, code, naam, m.periode, m.waarde, m.eenheid, m.status, None)
        for rol, code, naam in regions
        for m in sorted(_computed(con, function, indicator_id, [code], periode), key=lambda m: m.period)
    ]
    klasse = groep.grootteklasse
    in_class: dict[Period, list[Measurement]] = {}
    for m in _computed(con, function, indicator_id, members(con, klasse), periode):
        in_class.setdefault(m.period, []).append(m)
    for period in sorted(in_class):
        values = in_class[period]
        status = "voorlopig" if any(m.status == "voorlopig" for m in values) else "definitief"
        rows.append(("grootteklasse", None, f"Gemiddelde gemeenten {klasse.naam}", period.code,
                     sum(m.waarde for m in values) / len(values), values[0].eenheid, status, len(values)))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["aantal"] = frame["aantal"].astype("Int64")
    return frame


def rank(con: duckdb.DuckDBPyConnection, indicator_id: str, gemeente_code: str, periode: str) -> tuple[int | None, int]:
    """(rank, n): the place of the gemeente among the n gemeenten in the data with a value for the period, 1 being
    the highest value. Equal values share a place and the next place is skipped (1, 2, 2, 4). Whether high is good
    depends on the indicator and is not implied. rank is None when the gemeente itself has no value.
    """
    function = berekening_of(con, indicator_id)
    values = {m.gemeente_code: m.waarde
              for m in _computed(con, function, indicator_id, gemeenten_in_data(con), _period_code(periode))}
    own = values.get(gemeente_code)
    if own is None:
        return None, len(values)
    return 1 + sum(v > own for v in values.values()), len(values)
