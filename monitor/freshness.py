"""Per source: when it was last imported, which periods it covers, and when the next figures are due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from monitor import store
from monitor.imports.pipeline import IMPORTED, SOURCES, read_refusals
from monitor.periods import parse_period
from monitor.status import Snapshot

# Which indicators each source feeds, recognised by the plan's own words for the meetinstrument and bron.
SOURCE_WORDS = {
    "cbs": ("CBS",),
    "divosa": ("Divosa",),
    "suite4sd": ("Suite4SD", "Basisregistratie", "Basisadministratie", "basisregistratie"),
}
# build-demo logs the example Suite4SD exports with bron 'voorbeelddata', so that the figures computed from them say
# so (indicators/records.py); their supersede key ('suite4sd:…') still names the source they stand for. Freshness and
# history both read an import's source through this one expression, so they cannot disagree.
SOURCE_OF_IMPORT = ("CASE WHEN bron = 'voorbeelddata' AND vervangsleutel LIKE '%:%' "
                    "THEN split_part(vervangsleutel, ':', 1) ELSE bron END")
EXAMPLE_IMPORT = "bron = 'voorbeelddata'"


@dataclass(frozen=True)
class Freshness:
    bron: str
    last_import: datetime | None
    imports: int
    periods: list[str]
    next_due: date | None
    indicators: list[str]
    example: bool = False  # the newest import is one of the shipped example exports

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
    """Per source, from the same entries as the import history: the newest import, the count, the current periods."""
    imported = [r for r in history(db_path) if r["resultaat"] == IMPORTED]
    result = []
    for bron in SOURCES:
        ids = feeds(bron, snap)
        due = [snap.progress[i].next_due for i in ids if snap.progress[i].next_due]
        own = [r for r in imported if r["bron"] == bron]
        periods = {p for r in own if r["vervangen_door"] is None for p in r["perioden"] or []}
        result.append(Freshness(bron, own[0]["gestart_op"] if own else None, len(own), sorted(periods, key=parse_period),
                                min(due) if due else None, ids, bool(own) and own[0]["voorbeelddata"]))
    return result


def history(db_path: Path) -> list[dict]:
    """Imports and refusals, newest first; `bron` is the source an import belongs to (see SOURCE_OF_IMPORT)."""
    con = store.connect(db_path, read_only=True)
    try:
        columns = ["import_id", "gestart_op", "gebruiker", "bestandsnaam", "sha256", "bron", "type_herkend", "rijen",
                   "resultaat", "waarschuwingen", "melding", "vervangen_door", "perioden", "voorbeelddata"]
        selected = [SOURCE_OF_IMPORT if c == "bron" else EXAMPLE_IMPORT if c == "voorbeelddata" else c
                    for c in columns]
        rows = [dict(zip(columns, r)) for r in con.execute(f"SELECT {', '.join(selected)} FROM import_log").fetchall()]
    finally:
        con.close()
    for refusal in read_refusals(db_path):
        rows.append({**refusal, "gestart_op": datetime.fromisoformat(refusal["gestart_op"]), "import_id": None,
                     "type_herkend": None, "rijen": 0, "waarschuwingen": [], "vervangen_door": None, "perioden": [],
                     "voorbeelddata": False})
    return sorted(rows, key=lambda r: r["gestart_op"], reverse=True)
