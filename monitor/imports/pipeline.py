"""One path for every import: recognise → parse → validate → store in one transaction → log.

A refused file changes nothing in the database; its refusal is written to a log file beside the database
(<db>.weigeringen.jsonl) so the steward sees it in the import history. The same file twice (same sha256) is reported
as already imported. A newer export with the same key supersedes the rows of the older one for the periods it covers;
the older rows stay in their tables with `vervangen_door` set.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from monitor import cbs, store
from monitor.catalogue import load_plan
from monitor.demo import install_reference_data
from monitor.compute import refresh_computed
from monitor.imports import cbs_formats, divosa, gate, metingen, readers, suite4sd
from monitor.imports.base import CRITICAL, WARNING, Finding, ImportRefused, Parsed, sha256_of

SOURCES = ("cbs", "divosa", "suite4sd", "metingen")
DATA_DIR = store.PROJECT_DIR / "data"
DEFAULT_PLAN = DATA_DIR / "plans" / "heemskerk.toml"
REGELINGEN_FILE = DATA_DIR / "regelingen_heemskerk.csv"
DIVOSA_MAPPING = DATA_DIR / "divosa_kolommen.toml"
IMPORTED, ALREADY, REFUSED = "geimporteerd", "al_geimporteerd", "geweigerd"


@dataclass
class ImportResult:
    file: str
    status: str
    message: str
    sha256: str
    detected_type: str | None = None
    rows: int = 0
    import_id: int | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.passed and f.severity != CRITICAL]


def refusals_path(db_path: Path) -> Path:
    return Path(f"{db_path}.weigeringen.jsonl")


def import_file(db_path: Path, path: Path, bron: str = "auto", name: str | None = None,
                user: str | None = None, mapping: Path = DIVOSA_MAPPING) -> ImportResult:
    """Import one file into the database at db_path (created and migrated when missing)."""
    path = Path(path)
    name = name or path.name
    digest = sha256_of(path)
    started = datetime.now()
    try:
        con = store.open_store(Path(db_path))
    except store.DatabaseUnavailable as fault:
        return ImportResult(name, REFUSED, fault.message, digest)
    try:
        ensure_catalogue(con)
        previous = con.execute(
            "SELECT import_id, afgerond_op FROM import_log WHERE sha256 = ? AND resultaat = 'geimporteerd' "
            "ORDER BY import_id LIMIT 1", [digest]).fetchone()
        if previous:
            return ImportResult(name, ALREADY, f"al geïmporteerd op {previous[1]:%d-%m-%Y %H:%M} (import "
                                f"{previous[0]}); er is niets gewijzigd.", digest, import_id=previous[0])
        try:
            parsed = recognise_and_parse(con, path, name, bron, mapping)
            findings = parsed.findings + (gate.validate(parsed.frame, parsed.suite) if parsed.suite else [])
            failed = [f for f in findings if not f.passed and f.severity == CRITICAL]
            if failed:
                raise ImportRefused(name, f"{len(failed)} controle(s) niet gehaald: "
                                          + " ".join(f.message for f in failed), findings)
            import_id = _store(con, parsed, name, digest, findings, started, user)
        except ImportRefused as refusal:
            # A full disk or lost write access while storing is the location's fault, not the file's.
            fault = store.fault_message(Path(db_path), refusal.__cause__)
            if fault:
                return ImportResult(name, REFUSED, fault, digest, findings=refusal.findings)
            result = ImportResult(name, REFUSED, refusal.message, digest, findings=refusal.findings)
            _log_refusal(Path(db_path), result, bron, started, user)
            return result
        unit = "observaties" if parsed.source == "cbs" else "rijen"
        return ImportResult(name, IMPORTED, f"{parsed.rows} {unit} geïmporteerd als {parsed.detected_type}.", digest,
                            parsed.detected_type, parsed.rows, import_id, findings)
    finally:
        con.close()


def ensure_catalogue(con: duckdb.DuckDBPyConnection) -> None:
    """A database made by the first import gets the default plan, gemeenten, wijken and regelingen first."""
    if con.execute("SELECT count(*) FROM plan").fetchone()[0]:
        return
    con.execute("BEGIN TRANSACTION")
    install_reference_data(con, load_plan(DEFAULT_PLAN))
    con.execute("COMMIT")


def recognise_and_parse(con: duckdb.DuckDBPyConnection, path: Path, name: str, bron: str,
                        mapping: Path = DIVOSA_MAPPING) -> Parsed:
    if bron not in ("auto", *SOURCES):
        raise ImportRefused(name, f"onbekende bron '{bron}'; kies auto, {', '.join(SOURCES)}.")
    if cbs_formats.looks_like_cbs(path):
        _check_declared(name, "cbs", bron)
        return _parse_cbs(con, path, name)
    table = readers.read_tabular(path, name)
    # A raw BSN is refused whatever else the file is, before anything else looks at it.
    bsn = readers.bsn_columns(table.frame)
    if bsn:
        raise readers.bsn_refusal(name, bsn)
    columns = [c for c in table.frame.columns if c != readers.LINE]
    divosa_mapping = divosa.load_mapping(mapping)
    detected = _detect_tabular(columns, divosa_mapping)
    if detected is None:
        raise ImportRefused(name, "het soort export is niet herkend aan de kolommen (" + ", ".join(columns[:12])
                                  + "). Gebruik een sjabloon uit data/templates/ of geef de bron op met --bron.")
    _check_declared(name, detected, bron)
    return _parse_tabular(con, detected, table, divosa_mapping)


def _check_declared(name: str, detected: str, declared: str) -> None:
    if declared not in ("auto", detected):
        raise ImportRefused(name, f"is opgegeven als {declared}-bestand, maar lijkt een {detected}-export. "
                                  f"Controleer het bestand of gebruik --bron {detected}.")


def _detect_tabular(columns: list[str], divosa_mapping) -> str | None:
    if suite4sd.detect_type(columns):
        return "suite4sd"
    if metingen.looks_like_metingen(columns):
        return "metingen"
    if divosa.looks_like_divosa(columns, divosa_mapping):
        return "divosa"
    return None


def _parse_tabular(con: duckdb.DuckDBPyConnection, source: str, table: readers.TableFile, divosa_mapping) -> Parsed:
    plan = store.load_plan(con)
    wijken = store.load_wijken(con, plan.gemeente_code)
    if source == "suite4sd":
        return suite4sd.parse(table, wijken, suite4sd.load_regelingen(REGELINGEN_FILE))
    if source == "metingen":
        return metingen.parse(table, plan, wijken)
    gemeenten = dict(con.execute("SELECT naam, gemeente_code FROM gemeente").fetchall())
    return divosa.parse(table, divosa_mapping, gemeenten,
                        {i.id: i.eenheid for i in plan.indicators})


def _parse_cbs(con: duckdb.DuckDBPyConnection, path: Path, name: str) -> Parsed:
    gemeenten = dict(con.execute("SELECT naam, gemeente_code FROM gemeente").fetchall())
    try:
        description, observations = cbs_formats.parse_cbs(path, gemeenten)
    except cbs.CbsFormatError as exc:
        raise ImportRefused(name, str(exc)) from exc
    tables = sorted({o.tabel for o in observations})
    return Parsed(
        source="cbs", detected_type=description, frame=cbs_formats.observations_frame(observations), suite="cbs",
        supersede_key=f"cbs:{','.join(tables)}", periods=sorted({o.periode for o in observations}),
        store=lambda c, import_id: cbs.store_observations(c, observations, import_id),
    )


def _store(con: duckdb.DuckDBPyConnection, parsed: Parsed, name: str, digest: str, findings: list[Finding],
           started: datetime, user: str | None) -> int:
    """Everything in one transaction: the log entry, superseding older rows, the rows, recomputed indicators."""
    warnings = [f.message for f in findings if not f.passed and f.severity == WARNING]
    con.execute("BEGIN TRANSACTION")
    try:
        import_id = store.log_import(con, bestandsnaam=name, sha256=digest, bron=parsed.source,
                                     type_herkend=parsed.detected_type, rijen=parsed.rows, waarschuwingen=warnings,
                                     gestart_op=started, gebruiker=user)
        con.execute("UPDATE import_log SET vervangsleutel = ?, perioden = ?, bevindingen = ? WHERE import_id = ?",
                    [parsed.supersede_key, parsed.periods, findings_json(findings), import_id])
        supersede(con, parsed, import_id)
        parsed.store(con, import_id)
        refresh_computed(con, store.load_plan(con))
        con.execute("COMMIT")
    except Exception as exc:
        con.execute("ROLLBACK")
        raise ImportRefused(name, f"de import is afgebroken en teruggedraaid, er is niets gewijzigd ({exc}).") from exc
    return import_id


def supersede(con: duckdb.DuckDBPyConnection, parsed: Parsed, import_id: int) -> None:
    """Mark the current rows of earlier imports with the same key as replaced, for the periods this file covers."""
    older = [r[0] for r in con.execute(
        "SELECT import_id FROM import_log WHERE vervangsleutel = ? AND import_id <> ? AND resultaat = 'geimporteerd'",
        [parsed.supersede_key, import_id]).fetchall()]
    if not older:
        return
    tables = _supersedable_tables(con)
    for table, has_period in tables:
        sql = f"UPDATE {table} SET vervangen_door = ? WHERE vervangen_door IS NULL AND list_contains(?, import_id)"
        params = [import_id, older]
        if has_period and parsed.periods:
            sql += " AND list_contains(?, periode)"
            params.append(parsed.periods)
        con.execute(sql, params)
    for old_id in older:
        current = sum(con.execute(f"SELECT count(*) FROM {table} WHERE import_id = ? AND vervangen_door IS NULL",
                                  [old_id]).fetchone()[0] for table, _ in tables)
        if current == 0:
            con.execute("UPDATE import_log SET vervangen_door = ? WHERE import_id = ? AND vervangen_door IS NULL",
                        [import_id, old_id])


def _supersedable_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, bool]]:
    """Every table with import_id and vervangen_door, and whether it has a periode column."""
    rows = con.execute(
        "SELECT table_name, list(column_name) FROM information_schema.columns WHERE table_schema = 'main' "
        "GROUP BY table_name").fetchall()
    return sorted((t, "periode" in cols) for t, cols in rows
                  if "import_id" in cols and "vervangen_door" in cols and t not in ("import_log", "current_measurement"))


def findings_json(findings: list[Finding]) -> str:
    return json.dumps([asdict(f) for f in findings], ensure_ascii=False, default=str)


def _log_refusal(db_path: Path, result: ImportResult, bron: str, started: datetime, user: str | None) -> None:
    entry = {"gestart_op": started.isoformat(timespec="seconds"), "gebruiker": user or store.current_user(),
             "bestandsnaam": result.file, "sha256": result.sha256, "bron": bron, "resultaat": REFUSED,
             "melding": result.message, "bevindingen": json.loads(findings_json(result.findings))}
    with open(refusals_path(db_path), "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False) + "\n")


def read_refusals(db_path: Path) -> list[dict]:
    path = refusals_path(db_path)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
