"""Figures for the page "Armoede en schulden": the vroegsignalering funnel, problematische schulden, context."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from monitor import store
from monitor.imports.readers import parse_amounts

CONTEXT_FILE = store.PROJECT_DIR / "data" / "context_armoede_heemskerk.csv"
# The steps of the Divosa funnel in the order a signal travels, with the keys of data/divosa_kolommen.toml.
FUNNEL = (
    ("meldingen_per_1000_inwoners_per_maand", "Meldingen per 1.000 inwoners per maand"),
    ("signalen_naar_melding", "Signalen die een melding worden"),
    ("meldingen_naar_contact", "Meldingen die leiden tot contact"),
    ("contact_naar_hulpacceptatie", "Contact dat leidt tot hulpacceptatie"),
)


def context_figures(path: Path = CONTEXT_FILE) -> pd.DataFrame:
    """The addendum's figures (seed 001) as context, each with source and period."""
    with open(path, encoding="utf-8", newline="") as handle:
        frame = pd.DataFrame(list(csv.DictReader(handle, delimiter=";")))
    for column in ("heemskerk", "nederland"):
        frame[column] = parse_amounts(frame[column])[0]
    return frame


def vroegsignalering_funnel(con, gemeente_code: str) -> pd.DataFrame:
    """Latest period of the Divosa vroegsignalering figures: per step the gemeente, landelijk and grootteklasse."""
    frame = con.execute(
        """
        SELECT indicator, vergelijking, periode, waarde, eenheid FROM divosa_waarde
        WHERE bron = 'vroegsignalering' AND vervangen_door IS NULL
          AND (gemeente_code = ? OR vergelijking <> 'gemeente')
        """,
        [gemeente_code],
    ).df()
    if frame.empty:
        return frame
    latest = frame[frame["periode"] == frame["periode"].max()]
    table = latest.pivot_table(index="indicator", columns="vergelijking", values="waarde", aggfunc="first")
    steps = [(key, label) for key, label in FUNNEL if key in table.index]
    result = table.loc[[key for key, _ in steps]].reset_index()
    result.insert(1, "stap", [label for _, label in steps])
    result.insert(2, "periode", latest["periode"].iloc[0])
    units = latest.drop_duplicates("indicator").set_index("indicator")["eenheid"]
    result["eenheid"] = [units[key] for key, _ in steps]
    return result


def toekenningen_are_example(con) -> bool:
    """Whether the current toekenningen come from the shipped example exports (build-demo logs them as voorbeelddata)."""
    return con.execute(
        "SELECT count(*) > 0 FROM s4sd_toekenning t JOIN import_log l USING (import_id) "
        "WHERE t.vervangen_door IS NULL AND l.bron = 'voorbeelddata'").fetchone()[0]
