"""What the Wijken page maps, one WijkSubject per map: the per-wijk targets, the Suite4SD records and CBS wijk tables.

Every subject has one row per wijk of the plan's gemeente, so each map shows every wijk, also those without a
figure. Record counts go through monitor.suppression before they leave this module: the page is meant for the council.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from monitor import store
from monitor.formatting import MISSING, fmt_date, fmt_value
from monitor.maps import Threshold
from monitor.periods import parse_period
from monitor.status import Snapshot
from monitor.suppression import protect, suppress_percentages, threshold_from_env

NO_EXPORT = ("Nog geen export geïmporteerd. Importeer een Suite4SD-export '{soort}' op de pagina Gegevens en "
             "kwaliteit of met `python -m monitor import`.")
NOT_IMPORTED = ("CBS-tabel {table} is nog niet geïmporteerd. Importeer hem (label-CSV, OData v3 of v4) op de pagina "
                "Gegevens en kwaliteit of met `python -m monitor import`; dan verschijnt hier de kaart.")


@dataclass(frozen=True)
class WijkSubject:
    key: str
    title: str
    unit: str
    values: pd.DataFrame               # wijk_code, waarde (NaN = not shown), label, then columns shown as they are
    source: str = ""                   # where the figures come from, for the caption
    threshold: Threshold | None = None
    total: str | None = None           # the gemeente total as shown, for record counts
    message: str | None = None         # instead of a map: why there is nothing to show yet
    example: bool = False              # some figure is voorbeelddata


# ------------------------------------------------------------------ targets per wijk (OO-2, OO-3, OO-5)


def target_subjects(snap: Snapshot) -> list[WijkSubject]:
    """Every target that holds for each wijk: the latest measurement per wijk known on the peildatum."""
    return [_target_subject(snap, i.id) for i in snap.plan.indicators if i.elke_wijk]


def _target_subject(snap: Snapshot, indicator_id: str) -> WijkSubject:
    progress = snap.progress[indicator_id]
    indicator = progress.indicator
    latest = {w.wijk_code: w.latest for w in progress.wijken}
    rows = []
    for code in snap.wijken:
        m = latest.get(code)
        rows.append({"wijk_code": code, "waarde": m.waarde if m else float("nan"),
                     "label": fmt_value(m.waarde, m.eenheid) if m else "geen meting",
                     "Periode": m.period.label if m else MISSING})
    threshold = None
    if indicator.vergelijking in ("at_most", "at_least") and progress.target_value is not None:
        threshold = Threshold(indicator.vergelijking, progress.target_value, indicator.eenheid)
    title = f"{indicator.id} · {indicator.titel}"
    if not latest or all(m is None for m in latest.values()):
        return WijkSubject(indicator.id, title, indicator.eenheid, pd.DataFrame(rows), threshold=threshold,
                           message="Nog geen metingen per wijk.")
    return WijkSubject(indicator.id, title, indicator.eenheid, pd.DataFrame(rows),
                       source=f"Laatste meting per wijk tot de peildatum. Bron: {indicator.bron}.",
                       threshold=threshold, example=any(m is not None and m.is_example for m in latest.values()))


# ------------------------------------------------------------------ Suite4SD records


def record_subjects(db_path: Path, snap: Snapshot, threshold: int | None = None) -> list[WijkSubject]:
    """Toegekende minimaregelingen and lopende uitkeringen per wijk on the peildatum, small counts suppressed."""
    threshold = threshold or threshold_from_env()
    con = store.connect(db_path, read_only=True)
    try:
        return [
            _record_subject(con, snap, threshold, key="toekenningen", table="s4sd_toekenning",
                            soort="toekenningen minimaregelingen", title="Toegekende minimaregelingen per wijk",
                            condition="besluit = 'toegekend' AND besluitdatum <= ?",
                            what="toegekende besluiten met een besluitdatum tot en met de peildatum"),
            _record_subject(con, snap, threshold, key="uitkeringen", table="s4sd_uitkering",
                            soort="uitkeringen Participatiewet", title="Lopende uitkeringen per wijk",
                            condition="ingangsdatum <= ? AND (einddatum IS NULL OR einddatum >= ?)",
                            what="uitkeringen (PW, IOAW, IOAZ, Bbz) die op de peildatum lopen"),
        ]
    finally:
        con.close()


def _record_subject(con, snap: Snapshot, threshold: int, *, key: str, table: str, soort: str, title: str,
                    condition: str, what: str) -> WijkSubject:
    imports = con.execute(
        f"SELECT DISTINCT l.bestandsnaam, l.afgerond_op, l.bron FROM {table} t JOIN import_log l USING (import_id) "
        "WHERE t.vervangen_door IS NULL").fetchall()
    unit = "aantal"
    if not imports:
        return WijkSubject(key, title, unit, _empty(snap), message=NO_EXPORT.format(soort=soort))
    found = dict(con.execute(
        f"SELECT coalesce(wijk_code, ''), count(*) FROM {table} WHERE vervangen_door IS NULL AND {condition} "
        "GROUP BY 1", [snap.peildatum] * condition.count("?")).fetchall())
    counts = pd.Series({code: found.get(code, 0) for code in snap.wijken}, dtype="int64")
    # Records whose wijk is empty or not one of the gemeente's wijken are one more cell: they count in the total.
    unknown = sum(n for code, n in found.items() if code not in snap.wijken)
    if unknown:
        counts[""] = unknown
    protected = protect(counts, total_shown=True, threshold=threshold)
    total = int(counts.sum())
    shares = counts / total * 100 if total else counts * float("nan")
    values = pd.DataFrame({
        "wijk_code": counts.index,
        "waarde": counts.where(~protected.hidden).astype("float64").to_numpy(),
        "label": protected.cells.to_numpy(),
        "Aandeel": suppress_percentages(shares, counts, total_shown=True, threshold=threshold).to_numpy(),
    })
    files = "; ".join(f"{name} (geïmporteerd {fmt_date(when.date())})" for name, when, _ in imports)
    source = (f"Suite4SD-export {files}: {what} (peildatum {fmt_date(snap.peildatum)}). Aantallen onder de "
              f"{threshold} staan als '<{threshold}'; 'x' is verborgen zodat zo'n klein aantal niet uit het totaal "
              f"terug te rekenen is.")
    # Example exports shipped with the demo database are imported with bron 'voorbeelddata'.
    return WijkSubject(key, title, unit, values, source=source, total=protected.total,
                       example=any(bron == "voorbeelddata" for _, _, bron in imports))


def _empty(snap: Snapshot) -> pd.DataFrame:
    return pd.DataFrame({"wijk_code": list(snap.wijken), "waarde": float("nan"), "label": MISSING})


# ------------------------------------------------------------------ CBS wijk tables


@dataclass(frozen=True)
class CbsWijkTable:
    table: str
    title: str
    total_dimension: str   # the 'dimensies' value of the table's total row (all forms, all types)
    default_measure: str   # measure name without CBS's '_N' suffix


CBS_WIJK_TABLES = (
    CbsWijkTable("85990NED", "Jeugdzorg in natura per wijk", "Vormen=Totaal alle jeugdzorg in natura",
                 "TotaalJongerenMetJeugdzorgInNatura"),
    CbsWijkTable("85996NED", "Wmo-cliënten per wijk", "TypeMaatwerkvoorziening=Totaal", "WmoClienten"),
)
# Dutch names of the measures of 85990NED and 85996NED; a measure of a later table version is spelled out from its key.
MEASURE_LABELS = {
    "TotaalJongerenMetJeugdzorgInNatura": "Jongeren met jeugdzorg in natura",
    "k_0Tot4Jaar": "Jongeren van 0 tot 4 jaar",
    "k_4Tot12Jaar": "Jongeren van 4 tot 12 jaar",
    "k_12Tot18Jaar": "Jongeren van 12 tot 18 jaar",
    "k_18Tot23Jaar": "Jongeren van 18 tot 23 jaar",
    "ThuiswonendKindInEenouderhuishouden": "Jongeren: thuiswonend kind in een eenouderhuishouden",
    "ThuiswonendKindBijEenPaar": "Jongeren: thuiswonend kind bij een paar",
    "AnderHuishouden": "Jongeren in een ander huishouden",
    "TotaalTrajectenInNatura": "Trajecten jeugdzorg in natura",
    "GemeentelijkeToegang": "Trajecten verwezen door de gemeentelijke toegang",
    "Huisarts": "Trajecten verwezen door de huisarts",
    "Jeugdarts": "Trajecten verwezen door de jeugdarts",
    "GecertificeerdeInstelling": "Trajecten verwezen door een gecertificeerde instelling",
    "MedischSpecialist": "Trajecten verwezen door een medisch specialist",
    "RechterOfficierVanJustitie": "Trajecten verwezen door rechter of officier van justitie",
    "GeenVerwijzer": "Trajecten zonder verwijzer",
    "VerwijzerOnbekend": "Trajecten met onbekende verwijzer",
    "WmoClienten": "Wmo-cliënten",
    "WmoClientenPer1000Inwoners": "Wmo-cliënten per 1.000 inwoners",
}
# Region metadata that CBS stores as a number column; it is no figure.
NOT_A_MEASURE = re.compile(r"^Indelingswijziging", re.IGNORECASE)


def measure_base(maat: str) -> str:
    return re.sub(r"_\d+$", "", maat)


def measure_label(maat: str) -> str:
    """'WmoClienten_5' → 'Wmo-cliënten'; an unknown key is spelled out ('k_65JaarOfOuder_7' → '65 jaar of ouder')."""
    base = measure_base(maat)
    if base in MEASURE_LABELS:
        return MEASURE_LABELS[base]
    words = re.findall(r"[A-Z]?[a-z]+|\d+", base.removeprefix("k_"))
    text = " ".join(words).lower()
    return text[:1].upper() + text[1:]


def _measure_unit(maat: str) -> str:
    return "per 1.000 inwoners" if "per1000" in maat.lower() else "aantal"


def cbs_measures(db_path: Path, snap: Snapshot, table: CbsWijkTable) -> list[str]:
    """The measures of a CBS table present for the gemeente's wijken, default first, then in CBS order."""
    con = store.connect(db_path, read_only=True)
    try:
        found = [r[0] for r in con.execute(
            f"SELECT DISTINCT maat FROM cbs_observation WHERE tabel = ? AND vervangen_door IS NULL "
            f"AND regio_code IN ({', '.join('?' * len(snap.wijken))})", [table.table, *snap.wijken]).fetchall()
            if not NOT_A_MEASURE.match(r[0])] if snap.wijken else []
    finally:
        con.close()

    def order(maat: str) -> tuple:
        suffix = re.search(r"_(\d+)$", maat)
        return measure_base(maat) != table.default_measure, int(suffix[1]) if suffix else 0, maat

    return sorted(found, key=order)


def cbs_subject(db_path: Path, snap: Snapshot, table: CbsWijkTable, maat: str | None) -> WijkSubject:
    """The latest period of one measure of a CBS wijk table, for the table's total row; maat None = not imported."""
    if maat is None:
        return WijkSubject(table.table, f"{table.title} (CBS {table.table})", "aantal", _empty(snap),
                           message=NOT_IMPORTED.format(table=table.table))
    con = store.connect(db_path, read_only=True)
    try:
        rows = con.execute(
            f"SELECT regio_code, dimensies, periode, waarde FROM cbs_observation WHERE tabel = ? AND maat = ? "
            f"AND vervangen_door IS NULL AND regio_code IN ({', '.join('?' * len(snap.wijken))})",
            [table.table, maat, *snap.wijken]).fetchall()
    finally:
        con.close()
    found = pd.DataFrame(rows, columns=["wijk_code", "dimensies", "periode", "waarde"])
    dimensions = set(found["dimensies"])
    # Another export of the table may label its rows differently; then the first row type stands in for the total.
    dimension = table.total_dimension if table.total_dimension in dimensions else min(dimensions)
    found = found[found["dimensies"] == dimension]
    period = max(found["periode"], key=parse_period)
    figures = dict(found.loc[found["periode"] == period, ["wijk_code", "waarde"]].itertuples(index=False))
    unit = _measure_unit(maat)
    values = pd.DataFrame({
        "wijk_code": list(snap.wijken),
        "waarde": [figures.get(code) for code in snap.wijken],
    }).astype({"waarde": "float64"})
    values["label"] = [fmt_value(w, unit) for w in values["waarde"]]
    what = dimension.split("=", 1)[-1] if dimension else "totaal"
    source = (f"CBS StatLine {table.table}, {parse_period(period).label}, {what}. CBS rondt deze cijfers af en laat "
              f"te kleine aantallen weg; '{MISSING}' = geen cijfer.")
    return WijkSubject(f"{table.table}-{maat}", f"{measure_label(maat)} ({parse_period(period).label})", unit,
                       values, source=source)
