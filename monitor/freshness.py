"""Per source: when it was last imported, which periods it covers, and when the next figures are due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from monitor import store
from monitor.imports.pipeline import SOURCES, read_refusals
from monitor.periods import parse_period
from monitor.status import Snapshot

# Which indicators each source feeds, recognised by the plan's own words for the meetinstrument and bron.
SOURCE_WORDS = {
    "cbs": ("CBS",),
    "divosa": ("Divosa",),
    "suite4sd": ("Suite4SD", "Basisregistratie", "Basisadministratie", "basisregistratie"),
}


@dataclass(frozen=True)
class Freshness:
    bron: str
    last_import: datetime | None
    imports: int
    periods: list[str]
    next_due: date | None
    indicators: list[str]

    def overdue(self, today: date) -> bool:
        return self.next_due is not None and self.next_due < today


def feeds(bron: str, snap: Snapshot) -> list[str]:
    """Indicator ids whose values come from this source."""
    if bron == "metingen":
        return [i.id for i in snap.plan.indicators if i.aanlevering == "meting"]
    words = SOURCE_WORDS[bron]
    return [i.id for i in snap.plan.indicators
            if i.aanlevering == "import" and any(w in f"{i.meetinstrument} {i.bron}" for w in words)]


def freshness(db_path: Path, snap: Snapshot) -> list[Freshness]:
    con = store.connect(db_path, read_only=True)
    try:
        rows = {r[0]: r[1:] for r in con.execute(
            "SELECT bron, max(afgerond_op), count(*), list(DISTINCT p) FILTER (WHERE p IS NOT NULL) FROM ("
            "  SELECT bron, afgerond_op, unnest(CASE WHEN len(perioden) > 0 THEN perioden ELSE [NULL::VARCHAR] END) AS p"
            "  FROM import_log"
            "  WHERE resultaat = 'geimporteerd' AND vervangen_door IS NULL) GROUP BY bron").fetchall()}
    finally:
        con.close()
    result = []
    for bron in SOURCES:
        ids = feeds(bron, snap)
        due = [snap.progress[i].next_due for i in ids if snap.progress[i].next_due]
        last, count, periods = rows.get(bron, (None, 0, []))
        result.append(Freshness(bron, last, count, sorted(periods or [], key=parse_period), min(due) if due else None, ids))
    return result


def history(db_path: Path) -> list[dict]:
    """Imports and refusals, newest first."""
    con = store.connect(db_path, read_only=True)
    try:
        columns = ["import_id", "gestart_op", "gebruiker", "bestandsnaam", "sha256", "bron", "type_herkend", "rijen",
                   "resultaat", "waarschuwingen", "melding", "vervangen_door"]
        rows = [dict(zip(columns, r)) for r in con.execute(f"SELECT {', '.join(columns)} FROM import_log").fetchall()]
    finally:
        con.close()
    for refusal in read_refusals(db_path):
        rows.append({**refusal, "gestart_op": datetime.fromisoformat(refusal["gestart_op"]), "import_id": None,
                     "type_herkend": None, "rijen": 0, "waarschuwingen": [], "vervangen_door": None})
    return sorted(rows, key=lambda r: r["gestart_op"], reverse=True)
