"""One path for every import: recognise → parse → validate → store in one transaction → log.

A refused file changes nothing in the database; its refusal is written to a log file beside the database
(<db>.weigeringen.jsonl) so the steward sees it in the import history. The same file twice (same sha256) is reported
as already imported. A newer export with the same key supersedes the rows of the older one for the periods it covers;
the older rows stay in their tables with `vervangen_door` set. A full snapshot (Suite4SD) that covers less recent
dates than the current one is stored but not made current. Before anything is committed the change is measured
inside the transaction (rows, periods and indicator values before → after); a replacement that shrinks the current
rows or covers a shorter stretch needs confirmation, `check_only` rolls everything back, and `undo` takes an import
back out. Rules: docs/suite4sd.md ("Vervangen en ongedaan maken").
"""

from __future__ import annotations

import json
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from monitor import cbs, store
from monitor.catalogue import load_plan
from monitor.demo import install_reference_data
from monitor.compute import refresh_computed
from monitor.imports import bsn, cbs_formats, divosa, gate, metingen, readers, suite4sd
from monitor.formatting import fmt_date, fmt_number
from monitor.imports.base import CRITICAL, WARNING, Finding, ImportRefused, Parsed, sha256_of
from monitor.periods import parse_period

SOURCES = ("cbs", "divosa", "suite4sd", "metingen")
DATA_DIR = store.PROJECT_DIR / "data"
DEFAULT_PLAN = DATA_DIR / "plans" / "heemskerk.toml"
REGELINGEN_FILE = DATA_DIR / "regelingen_heemskerk.csv"
DIVOSA_MAPPING = DATA_DIR / "divosa_kolommen.toml"
IMPORTED, ALREADY, REFUSED = "geimporteerd", "al_geimporteerd", "geweigerd"
# Not stored as a result: a checked file (nothing stored), a replacement waiting for confirmation, an undone import.
CHECKED, UNCONFIRMED, UNDONE = "gecontroleerd", "niet_bevestigd", "ongedaan"
# A replacement that removes more than this share of the current rows needs confirmation.
SHRINK_LIMIT = 0.10
# Tables whose rows are per region: a file replaces only the region-period pairs it holds.
REGION_TABLES = ("cbs_observation",)
UNDO_MIGRATION = 6  # the schema version that has import_ongedaan; an older database has no undone imports yet


@dataclass
class Replacement:
    """What an import does to the current rows of its supersede key, measured inside the import's transaction."""

    key: str
    rows_before: int
    rows_after: int
    periods_before: list[str]        # period codes of current rows, or for a snapshot [first date, last date]
    periods_after: list[str]
    indicators: list[str]            # plan indicators whose current values differ after the import
    shorter: bool                    # the current rows cover less time afterwards
    span: bool = False               # the periods are a snapshot's [first date, last date]
    kept: tuple[int, date] | None = None  # a newer snapshot that stays current: (its import, its last date)

    @property
    def shrinks(self) -> bool:
        return self.rows_before - self.rows_after > SHRINK_LIMIT * self.rows_before

    @property
    def needs_confirmation(self) -> bool:
        return self.kept is None and self.rows_before > 0 and (self.shrinks or self.shorter)

    def lines(self) -> list[str]:
        """Dutch, for the upload page and `import --controleer`."""
        change = self.rows_after - self.rows_before
        lines = [f"Geldende rijen: {fmt_number(self.rows_before)} → {fmt_number(self.rows_after)} "
                 f"({'+' if change >= 0 else '−'}{fmt_number(abs(change))}).",
                 f"Periode: {period_text(self.periods_before, self.span)} → "
                 f"{period_text(self.periods_after, self.span)}.",
                 "Indicatoren die veranderen: " + (", ".join(self.indicators) or "geen") + "."]
        if self.kept:
            lines.append(f"Deze export is ouder dan de geldende (import {self.kept[0]}, loopt tot "
                         f"{fmt_date(self.kept[1])}): die blijft geldend; de rijen worden bewaard maar tellen "
                         "niet mee.")
        if self.needs_confirmation:
            reasons = ([f"verwijdert meer dan {fmt_number(SHRINK_LIMIT * 100)}% van de geldende rijen"]
                       if self.shrinks else []) + (["dekt een kortere periode"] if self.shorter else [])
            lines.append(f"Deze vervanging {' en '.join(reasons)}: bevestig haar (vinkje op de pagina, of "
                         "--bevestig op de opdrachtregel) als dat de bedoeling is.")
        return lines


def period_text(periods: list[str], span: bool = False) -> str:
    """span: a snapshot's [first date, last date]; otherwise period codes."""
    if not periods:
        return "–"
    if span:
        return f"{fmt_date(date.fromisoformat(periods[0]))} t/m {fmt_date(date.fromisoformat(periods[-1]))}"
    labels = [parse_period(p).label for p in periods]
    return labels[0] if len(labels) == 1 else f"{labels[0]} t/m {labels[-1]} ({len(labels)} perioden)"


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
    replacement: Replacement | None = None
    rows_in_file: int | None = None   # data records counted in the file (None: a CBS export, or not readable)
    rows_refused: int = 0             # a file is all or nothing: a refused file refuses every row

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.passed and f.severity != CRITICAL]


def refusals_path(db_path: Path) -> Path:
    return Path(f"{db_path}.weigeringen.jsonl")


def import_file(db_path: Path, path: Path, bron: str = "auto", name: str | None = None,
                user: str | None = None, mapping: Path = DIVOSA_MAPPING, confirmed: bool = False,
                check_only: bool = False, log_refusal: bool | None = None) -> ImportResult:
    """Import one file into the database at db_path (created and migrated when missing).

    check_only: do everything inside a transaction that is rolled back and report the replacement; nothing is
    written, also not to a missing database or the refusals log (unless log_refusal). confirmed: allow a
    replacement that needs confirmation (Replacement.needs_confirmation); without it such a file changes nothing.
    """
    path, db_path = Path(path), Path(db_path)
    name = readable_name(name or path.name)
    log_refusal = not check_only if log_refusal is None else log_refusal
    started = datetime.now()
    problem = path_problem(path, name)
    if problem:
        result = ImportResult(name, REFUSED, problem, "")
        if log_refusal and db_path.parent.is_dir():
            _log_refusal(db_path, result, bron, started, user)
        return result
    digest = sha256_of(path)
    if check_only and not db_path.exists():
        # A check against a database that does not exist yet runs on an empty one in memory.
        con = duckdb.connect()
        store.migrate(con)
    else:
        try:
            con = store.open_store(db_path)
        except store.DatabaseUnavailable as fault:
            return ImportResult(name, REFUSED, fault.message, digest)
    try:
        ensure_catalogue(con)
        previous = con.execute(
            "SELECT import_id, afgerond_op FROM import_log WHERE sha256 = ? AND resultaat = 'geimporteerd' "
            "ORDER BY import_id LIMIT 1", [digest]).fetchall()
        if previous:
            import_id, at = previous[0]
            return ImportResult(name, ALREADY, f"al geïmporteerd op {at:%d-%m-%Y %H:%M} (import {import_id}); er "
                                "is niets gewijzigd.", digest, import_id=import_id)
        try:
            parsed = recognise_and_parse(con, path, name, bron, mapping)
            findings = gate.report_order(
                parsed.findings + (gate.validate(parsed.frame, parsed.suite, parsed.shown) if parsed.suite else []))
            failed = [f for f in findings if not f.passed and f.severity == CRITICAL]
            if failed:
                raise ImportRefused(name, f"{len(failed)} controle(s) niet gehaald: "
                                          + " ".join(f.message for f in failed), findings, parsed.rows_in_file)
            import_id, replacement = _store(con, parsed, name, digest, findings, started, user,
                                            commit=not check_only, confirmed=confirmed)
        except ImportRefused as refusal:
            # A full disk or lost write access while storing is the location's fault, not the file's.
            fault = store.fault_message(db_path, refusal.__cause__)
            if fault:
                return ImportResult(name, REFUSED, fault, digest, findings=[bsn.mask_finding(f) for f in refusal.findings])
            counted = refusal.rows_in_file
            message = refusal.message + (f" {row_account(counted, 0)}" if counted is not None else "")
            # A refusal may quote values of the file (a check's examples): no BSN in it leaves this function.
            result = ImportResult(name, REFUSED, bsn.mask_text(message), digest,
                                  findings=[bsn.mask_finding(f) for f in refusal.findings], rows_in_file=counted,
                                  rows_refused=counted or 0)
            if log_refusal:
                _log_refusal(db_path, result, bron, started, user)
            return result
        except (duckdb.Error, OSError) as exc:
            # _store passes a full or read-only disk on as it is: the message names the location, not the file.
            fault = store.fault_message(db_path, exc)
            if not fault:
                raise
            return ImportResult(name, REFUSED, fault, digest)
        return _outcome(name, digest, parsed, findings, import_id, replacement, check_only, confirmed)
    finally:
        con.close()


def row_account(in_file: int, imported: int) -> str:
    """Every data row of the file is either imported or refused."""
    return (f"{fmt_number(in_file)} regels in het bestand: {fmt_number(imported)} geïmporteerd, "
            f"{fmt_number(in_file - imported)} geweigerd.")


def readable_name(name: str) -> str:
    """A file name as text: bytes that are no UTF-8 (kept by Python as surrogates) become '?'."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace").replace("\ufffd", "?")


def path_problem(path: Path, name: str) -> str | None:
    """What makes the path itself unusable, in Dutch; None when it can be read."""
    if readable_name(path.name) != path.name:
        return ("de bestandsnaam bevat tekens die geen UTF-8 zijn (vaak een naam uit een ouder systeem). Geef het "
                "bestand een naam met gewone letters en cijfers en importeer opnieuw.")
    if not path.exists():
        return "het bestand bestaat niet. Controleer de naam en de map."
    try:
        if path.is_file():
            open(path, "rb").close()
    except OSError:
        return "het bestand kan niet gelezen worden (geen leesrechten). Controleer de rechten op het bestand."
    return None


def _outcome(name: str, digest: str, parsed: Parsed, findings: list[Finding], import_id: int | None,
             replacement: Replacement, check_only: bool, confirmed: bool) -> ImportResult:
    unit = "observaties" if parsed.source == "cbs" else "rijen"
    count = f"{fmt_number(parsed.rows)} {unit}"
    if check_only:
        status, message = CHECKED, f"gecontroleerd: {count} als {parsed.detected_type}; er is niets opgeslagen."
    elif replacement.needs_confirmation and not confirmed:
        status, message = UNCONFIRMED, (f"niet geïmporteerd: deze export zou {fmt_number(replacement.rows_before)} "
                                        f"geldende rijen vervangen door {fmt_number(replacement.rows_after)} "
                                        f"({period_text(replacement.periods_before, replacement.span)} → "
                                        f"{period_text(replacement.periods_after, replacement.span)}); er is "
                                        "niets gewijzigd. "
                                        + replacement.lines()[-1])
    else:
        status, message = IMPORTED, f"{count} geïmporteerd als {parsed.detected_type}."
        if parsed.rows_in_file is not None:
            message += " " + row_account(parsed.rows_in_file, parsed.rows)
        if replacement.kept:
            message += " " + replacement.lines()[-1]
    return ImportResult(name, status, message, digest, parsed.detected_type, parsed.rows,
                        import_id if status == IMPORTED else None, findings, replacement,
                        rows_in_file=parsed.rows_in_file)


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
    try:
        columns = [c for c in table.frame.columns if c != readers.LINE]
        # Messages below name the columns, so a BSN in the header is refused first. The cells are scanned by the
        # format module, which knows which columns hold dates and amounts; a file of no known format is scanned here.
        header = bsn.scan_header(columns)
        if header:
            raise bsn.refusal(name, header)
        divosa_mapping = divosa.load_mapping(mapping)
        detected = _detect_tabular(columns, divosa_mapping)
        if detected is None:
            bsn.refuse(name, table.frame)
            raise ImportRefused(name, "het soort export is niet herkend aan de kolommen (" + ", ".join(columns[:12])
                                      + "). Gebruik een sjabloon uit data/templates/ of geef de bron op met --bron.")
        _check_declared(name, detected, bron)
        parsed = _parse_tabular(con, detected, table, divosa_mapping)
    except ImportRefused as refusal:
        refusal.rows_in_file = table.rows_in_file
        raise
    if parsed.rows != table.rows_in_file:
        raise ImportRefused(name, f"de lezer leverde {fmt_number(parsed.rows)} regels op, maar het bestand telt er "
                                  f"{fmt_number(table.rows_in_file)}. Het bestand wordt niet half ingelezen; meld dit "
                                  "aan de beheerder van de monitor.", rows_in_file=table.rows_in_file)
    parsed.rows_in_file = table.rows_in_file
    return parsed


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
    frame = cbs_formats.observations_frame(observations)
    # The numeric measures are not scanned: CBS counts can have eight digits; every text that would be stored is.
    bsn.refuse(name, frame, skip=["waarde"])
    return Parsed(
        source="cbs", detected_type=description, frame=frame, suite="cbs",
        supersede_key=f"cbs:{','.join(tables)}", periods=sorted({o.periode for o in observations}),
        store=lambda c, import_id: cbs.store_observations(c, observations, import_id),
    )


def _store(con: duckdb.DuckDBPyConnection, parsed: Parsed, name: str, digest: str, findings: list[Finding],
           started: datetime, user: str | None, commit: bool = True,
           confirmed: bool = False) -> tuple[int, Replacement]:
    """Everything in one transaction: the log entry, superseding older rows, the rows, recomputed indicators.

    The replacement is measured before the transaction ends; it is committed only when `commit` and the
    replacement needs no confirmation or is confirmed.
    """
    warnings = [f.message for f in findings if not f.passed and f.severity == WARNING]
    key = parsed.supersede_key
    con.execute("BEGIN TRANSACTION")
    try:
        rows_before, periods_before = _current_state(con, key)
        values_before = _indicator_values(con)
        import_id = store.log_import(con, bestandsnaam=name, sha256=digest, bron=parsed.source,
                                     type_herkend=parsed.detected_type, rijen=parsed.rows, waarschuwingen=warnings,
                                     gestart_op=started, gebruiker=user)
        first, last = coverage(parsed)
        con.execute("UPDATE import_log SET vervangsleutel = ?, perioden = ?, bevindingen = ?, dekking_van = ?, "
                    "dekking_tot = ? WHERE import_id = ?",
                    [key, parsed.periods, findings_json(findings), first, last, import_id])
        kept = _newer_snapshot(con, parsed, last, import_id)
        parsed.store(con, import_id)
        if kept is None:
            supersede(con, parsed, import_id)
        else:
            _mark_replaced(con, import_id, kept[0])
        refresh_computed(con, store.load_plan(con))
        rows_after, periods_after = _current_state(con, key)
        values_after = _indicator_values(con)
        replacement = Replacement(
            key, rows_before, rows_after, periods_before, periods_after,
            sorted(i for i in values_before.keys() | values_after.keys()
                   if values_before.get(i) != values_after.get(i)),
            shorter=_shorter(periods_before, periods_after, not parsed.periods), span=not parsed.periods,
            kept=kept)
        done = commit and (confirmed or not replacement.needs_confirmation)
        con.execute("COMMIT" if done else "ROLLBACK")
    except Exception as exc:
        with suppress(duckdb.TransactionException):  # a failed COMMIT has already ended the transaction
            con.execute("ROLLBACK")
        if store.fault_message(Path(), exc):
            raise  # a full or read-only disk: the caller names the database in its Dutch message
        raise ImportRefused(name, f"de import is afgebroken en teruggedraaid, er is niets gewijzigd ({exc}).") from exc
    return import_id, replacement


def coverage(parsed: Parsed) -> tuple[date | None, date | None]:
    """The stretch of time a file covers: from its periods, or for a Suite4SD snapshot the earliest and latest date
    in its columns of things that already happened (aanvraag-, besluit-, ingangs-, start-, vestigingsdatum)."""
    if parsed.periods:
        spans = [parse_period(p) for p in parsed.periods]
        return min(s.start for s in spans), max(s.end for s in spans)
    kind = suite4sd.TYPES.get(parsed.supersede_key.partition(":")[2]) if parsed.source == "suite4sd" else None
    if kind is None:
        return None, None
    dates = pd.concat([parsed.frame[c] for c in kind.past if c in kind.dates]).dropna()
    return (dates.min().date(), dates.max().date()) if len(dates) else (None, None)


def _newer_snapshot(con: duckdb.DuckDBPyConnection, parsed: Parsed, last: date | None,
                    import_id: int) -> tuple[int, date] | None:
    """The current snapshot of the same kind that covers later dates than this one, if any."""
    if parsed.periods or last is None:
        return None
    rows = con.execute(
        "SELECT import_id, dekking_tot FROM import_log WHERE vervangsleutel = ? AND import_id <> ? "
        "AND resultaat = 'geimporteerd' AND vervangen_door IS NULL AND dekking_tot > ? "
        "ORDER BY dekking_tot DESC, import_id DESC LIMIT 1", [parsed.supersede_key, import_id, last]).fetchall()
    return rows[0] if rows else None


def _mark_replaced(con: duckdb.DuckDBPyConnection, import_id: int, by: int) -> None:
    """Store an older snapshot as already replaced by the newer one that stays current."""
    for table, _ in _supersedable_tables(con):
        con.execute(f"UPDATE {table} SET vervangen_door = ? WHERE import_id = ?", [by, import_id])
    con.execute("UPDATE import_log SET vervangen_door = ? WHERE import_id = ?", [by, import_id])


def _current_state(con: duckdb.DuckDBPyConnection, key: str) -> tuple[int, list[str]]:
    """Current rows of every import with this key, and the periods they cover (a snapshot: its first and last date)."""
    tables = _supersedable_tables(con)
    ids = [r[0] for r in con.execute("SELECT import_id FROM import_log WHERE vervangsleutel = ?", [key]).fetchall()]
    counts = {table: con.execute(f"SELECT count(*) FROM {table} WHERE vervangen_door IS NULL "
                                 "AND list_contains(?, import_id)", [ids]).fetchall()[0][0] for table, _ in tables}
    # The file's own rows: a Divosa export also writes each plan value as a measurement, which is not a second row.
    rows = sum(n for table, n in counts.items() if table != "measurement") or counts.get("measurement", 0)
    periods = {r[0] for table, has_period in tables if has_period for r in con.execute(
        f"SELECT DISTINCT periode FROM {table} WHERE vervangen_door IS NULL AND list_contains(?, import_id)",
        [ids]).fetchall()}
    if periods:
        return rows, sorted(periods, key=parse_period)
    span = con.execute("SELECT min(dekking_van), max(dekking_tot) FROM import_log WHERE list_contains(?, import_id) "
                       "AND vervangen_door IS NULL", [ids]).fetchall()[0]
    return rows, [d.isoformat() for d in span] if span[0] else []


def _shorter(before: list[str], after: list[str], span: bool) -> bool:
    """A period of before that after no longer covers, or a snapshot span that starts later or ends earlier."""
    if not before:
        return False
    if span and after:
        return after[0] > before[0] or after[-1] < before[-1]
    return not set(before) <= set(after)


def _indicator_values(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    """indicator id → its current values (measurements and the Divosa values that feed it), to compare."""
    rows = con.execute(
        "SELECT indicator_id, gemeente_code, wijk_code, periode, waarde, teller, noemer, status, bron, herkomst, "
        "toelichting FROM current_measurement UNION ALL SELECT plan_indicator, gemeente_code, vergelijking, periode, "
        "waarde, NULL, NULL, NULL, eenheid, 'divosa', NULL FROM divosa_waarde WHERE vervangen_door IS NULL "
        "AND plan_indicator IS NOT NULL").fetchall()
    values: dict[str, list] = {}
    for indicator, *value in rows:
        values.setdefault(indicator, []).append(tuple(value))
    return {indicator: sorted(items, key=repr) for indicator, items in values.items()}


def supersede(con: duckdb.DuckDBPyConnection, parsed: Parsed, import_id: int) -> None:
    """Mark the current rows of earlier imports with the same key as replaced, for what this file covers.

    Called after the file's rows are stored. A snapshot replaces every row; a file with periods replaces the rows
    of the periods it covers, and in a table with regions (CBS) only the region-period pairs it holds, so a re-export
    for one gemeente leaves the other gemeenten's figures of those periods current.
    """
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
            if table in REGION_TABLES:
                sql += f" AND (regio_code, periode) IN (SELECT (regio_code, periode) FROM {table} WHERE import_id = ?)"
                params.append(import_id)
        con.execute(sql, params)
    # fetchall, not fetchone: a half-read result blocks the next statement on this connection (DuckDB 2.0).
    for old_id in older:
        current = sum(con.execute(f"SELECT count(*) FROM {table} WHERE import_id = ? AND vervangen_door IS NULL",
                                  [old_id]).fetchall()[0][0] for table, _ in tables)
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


@dataclass
class UndoResult:
    status: str           # UNDONE or REFUSED
    message: str


def undo(db_path: Path, import_id: int, user: str | None = None) -> UndoResult:
    """Take an import back out: its rows go, the rows it replaced are current again, indicators are recomputed.

    Only the last import that touched its rows can be undone; otherwise the refusal names the later import to undo
    first. The import's log entry moves to import_ongedaan, so the same file can be imported again.
    """
    db_path = Path(db_path)
    if not db_path.exists():
        return UndoResult(REFUSED, f"database {db_path} bestaat niet; er is niets ongedaan te maken.")
    con = store.open_store(db_path)
    try:
        found = con.execute("SELECT bestandsnaam, vervangsleutel FROM import_log WHERE import_id = ? "
                            "AND resultaat = 'geimporteerd'", [import_id]).fetchall()
        if not found:
            done = con.execute("SELECT ongedaan_op FROM import_ongedaan WHERE import_id = ?", [import_id]).fetchall()
            return UndoResult(REFUSED, f"import {import_id} is al ongedaan gemaakt op {done[0][0]:%d-%m-%Y %H:%M}."
                              if done else f"import {import_id} bestaat niet; zie de importgeschiedenis voor de "
                                           "nummers.")
        name, key = found[0]
        if key is None:
            return UndoResult(REFUSED, f"import {import_id} ({name}) is geen export van een bron maar de catalogus "
                                       "of voorbeelddata van het plan; die kan niet ongedaan worden gemaakt.")
        tables = [t for t, _ in _supersedable_tables(con)]
        later = sorted({r[0] for t in tables for r in con.execute(
            f"SELECT vervangen_door FROM {t} WHERE import_id = ? AND vervangen_door > ? UNION "
            f"SELECT import_id FROM {t} WHERE vervangen_door = ? AND import_id > ?",
            [import_id, import_id, import_id, import_id]).fetchall()})
        if later:
            names = ", ".join(f"import {i} ({n})" for i, n in con.execute(
                "SELECT import_id, bestandsnaam FROM import_log WHERE list_contains(?, import_id) ORDER BY import_id",
                [later]).fetchall())
            return UndoResult(REFUSED, f"import {import_id} ({name}) kan niet ongedaan worden gemaakt: een latere "
                                       f"import bouwt erop voort ({names}). Maak eerst die ongedaan, de laatste "
                                       "eerst; er is niets gewijzigd.")
        removed, restored = _take_out(con, import_id, tables, user)
    finally:
        con.close()
    return UndoResult(UNDONE, f"import {import_id} ({name}) is ongedaan gemaakt: {fmt_number(removed)} rijen "
                              f"verwijderd, {fmt_number(restored)} rijen van eerdere imports weer geldend. Het "
                              "bestand kan later opnieuw worden geïmporteerd.")


def _take_out(con: duckdb.DuckDBPyConnection, import_id: int, tables: list[str], user: str | None) -> tuple[int, int]:
    con.execute("BEGIN TRANSACTION")
    try:
        removed = sum(len(con.execute(f"DELETE FROM {t} WHERE import_id = ? RETURNING 1", [import_id]).fetchall())
                      for t in tables)
        restored = sum(len(con.execute(f"UPDATE {t} SET vervangen_door = NULL WHERE vervangen_door = ? RETURNING 1",
                                       [import_id]).fetchall()) for t in tables)
        con.execute("UPDATE import_log SET vervangen_door = NULL WHERE vervangen_door = ?", [import_id])
        con.execute("INSERT INTO import_ongedaan SELECT import_id, gestart_op, gebruiker, bestandsnaam, sha256, bron, "
                    "type_herkend, rijen, vervangsleutel, ?, ?, ?, ? FROM import_log WHERE import_id = ?",
                    [datetime.now(), user or store.current_user(), removed, restored, import_id])
        con.execute("DELETE FROM import_log WHERE import_id = ?", [import_id])
        refresh_computed(con, store.load_plan(con))
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return removed, restored


def undoable(db_path: Path) -> set[int]:
    """The imports of source exports (those with a supersede key); whether one can be undone now, undo says."""
    con = store.connect(db_path, read_only=True)
    try:
        return {r[0] for r in con.execute("SELECT import_id FROM import_log WHERE vervangsleutel IS NOT NULL "
                                          "AND resultaat = 'geimporteerd'").fetchall()}
    finally:
        con.close()


def undone_imports(db_path: Path) -> list[dict]:
    con = store.connect(db_path, read_only=True)
    try:
        if store.schema_version(con) < UNDO_MIGRATION:
            return []
        columns = ["import_id", "gestart_op", "gebruiker", "bestandsnaam", "sha256", "bron", "type_herkend", "rijen",
                   "ongedaan_op", "ongedaan_door"]
        return [dict(zip(columns, r)) for r in con.execute(
            f"SELECT {', '.join(columns)} FROM import_ongedaan ORDER BY import_id").fetchall()]
    finally:
        con.close()
