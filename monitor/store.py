"""The DuckDB store: where the file lives, versioned migrations, and the reads and writes the monitor needs."""

from __future__ import annotations

import errno
import getpass
import os
import random
import re
import time
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from pathlib import Path

import duckdb

from monitor.catalogue import Indicator, Opgave, Plan
from monitor.periods import parse_period

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_DIR / "data" / "monitor.duckdb"
DB_ENV = "MONITOR_DB"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
LOCK_WAIT_ENV = "MONITOR_LOCK_WAIT"
LOCK_WAIT_SECONDS = 60.0


def resolve_db_path(cli_value: str | os.PathLike | None = None) -> Path:
    """--db wins over the environment variable MONITOR_DB, which wins over data/monitor.duckdb."""
    chosen = cli_value or os.environ.get(DB_ENV) or DEFAULT_DB
    return Path(chosen).expanduser()


def insert_many(con: duckdb.DuckDBPyConnection, sql: str, rows: list, chunk: int = 500) -> int:
    """Run an INSERT ... VALUES (?, ...) for many rows, as one multi-row statement per chunk.

    DuckDB's executemany runs one statement per row (half a second for 342 gemeenten) and refuses an empty list.
    """
    values = re.search(r"VALUES\s*(\([^()]*\))", sql)
    for start in range(0, len(rows), chunk):
        part = rows[start:start + chunk]
        statement = sql[:values.start(1)] + ", ".join([values[1]] * len(part)) + sql[values.end(1):]
        con.execute(statement, [value for row in part for value in row])
    return len(rows)


class DatabaseUnavailable(Exception):
    """The database cannot be used now (locked, read-only location, full disk); the message is Dutch, says what to do,
    and is only raised when nothing was changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def lock_wait() -> float:
    """Seconds to wait for a lock: $MONITOR_LOCK_WAIT, else 60."""
    try:
        return float(os.environ.get(LOCK_WAIT_ENV, LOCK_WAIT_SECONDS))
    except ValueError:
        return LOCK_WAIT_SECONDS


def _is_lock_conflict(exc: Exception) -> bool:
    text = str(exc)
    return ((isinstance(exc, duckdb.IOException) and "Could not set lock" in text)
            or (isinstance(exc, duckdb.ConnectionException) and "different configuration" in text))


def connect(path: Path, read_only: bool = False, wait: float | None = None) -> duckdb.DuckDBPyConnection:
    """Open the database, waiting while another process holds it.

    DuckDB 2.0 locks the file per process: one writer, or any number of read-only processes, never both. A conflict
    raises duckdb.IOException 'IO Error: Could not set lock on file "...": Conflicting lock is held in ... (PID n)',
    for a writer while readers are open as well as for a reader while a writer is open. Inside one process, opening
    the file read-only beside a read-write connection (or the other way round) raises duckdb.ConnectionException
    "Can't open a connection to same database file with a different configuration than existing connections".
    Retry policy: both are retried every 0.05-0.2 s (random, so waiting processes do not retry in step) for up to
    `wait` seconds ($MONITOR_LOCK_WAIT, default 60); then DatabaseUnavailable with a Dutch message. Readers (the
    dashboard, status) open, read and close, so a writer gets in between their reads.
    """
    deadline = time.monotonic() + (lock_wait() if wait is None else wait)
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            if _is_lock_conflict(exc):
                if time.monotonic() < deadline:
                    time.sleep(random.uniform(0.05, 0.2))
                    continue
                raise DatabaseUnavailable(locked_message(path)) from exc
            fault = fault_message(path, exc)
            if fault:
                raise DatabaseUnavailable(fault) from exc
            raise


def locked_message(path: Path) -> str:
    return (f"de database {path} is in gebruik door een ander programma (een andere import, of een programma dat de "
            f"database open houdt, zoals de DuckDB-opdrachtregel) en kwam na {lock_wait():.0f} seconden niet vrij. "
            "Wacht tot de andere import klaar is of sluit dat programma, en probeer het opnieuw. Er is niets gewijzigd.")


# What the operating system (OSError.errno) or DuckDB (the same strerror text inside its IO Error) reports.
_FAULTS = {
    "alleen-lezen": ((errno.EROFS, errno.EACCES, errno.EPERM), ("Read-only file system", "Permission denied")),
    "vol": ((errno.ENOSPC, errno.EFBIG, errno.EDQUOT), ("No space left on device", "File too large",
                                                        "Disk quota exceeded")),
}


def fault_message(path: Path, exc: BaseException | None) -> str | None:
    """The Dutch message for a read-only location, a full disk or a lock, or None for any other error."""
    if exc is None:
        return None
    if isinstance(exc, DatabaseUnavailable):
        return exc.message
    if isinstance(exc, duckdb.Error) and _is_lock_conflict(exc):
        return locked_message(path)
    for kind, (numbers, texts) in _FAULTS.items():
        if (isinstance(exc, OSError) and exc.errno in numbers) or (
                isinstance(exc, duckdb.Error) and any(text in str(exc) for text in texts)):
            if kind == "vol":
                return (f"de schijf met de database {path} is vol. Maak ruimte vrij, of zet de database op een andere "
                        "plek en geef die op met --db of MONITOR_DB, en probeer het opnieuw. Er is niets gewijzigd.")
            return (f"in de map van de database {path} kan niet worden geschreven (alleen-lezen schijf of geen "
                    "schrijfrechten). Zet de database op een schrijfbare plek en geef die op met --db of MONITOR_DB, "
                    "of vraag schrijfrechten. Er is niets gewijzigd.")
    return None


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every file NNNN_name.sql, in order."""
    found = []
    for file in sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql")):
        version, name = file.stem.split("_", 1)
        found.append((int(version), name, file.read_text(encoding="utf-8")))
    return found


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply the migrations the database does not have yet, each in its own transaction. Returns what was applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version "
        "(version INTEGER PRIMARY KEY, naam VARCHAR NOT NULL, toegepast_op TIMESTAMP NOT NULL)"
    )
    current = schema_version(con)
    applied = []
    for version, name, sql in migrations():
        if version <= current:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [version, name, datetime.now()])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied


def open_store(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection to a migrated database, created when it does not exist yet."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        con = connect(path)
    except OSError as exc:
        raise DatabaseUnavailable(fault_message(path, exc) or f"de map {path.parent} kan niet worden gemaakt "
                                  f"({exc.strerror}). Kies een andere plek met --db of MONITOR_DB.") from exc
    try:
        migrate(con)
    except (duckdb.Error, OSError) as exc:
        con.close()
        fault = fault_message(path, exc)
        if fault:
            raise DatabaseUnavailable(fault) from exc
        raise
    return con


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "onbekend"


# ------------------------------------------------------------------ catalogue

_INDICATOR_FIELDS = [f.name for f in fields(Indicator)]
_INDICATOR_COLUMNS = ["indicator_id" if name == "id" else "opgave_id" if name == "opgave" else name for name in _INDICATOR_FIELDS]


def save_plan(con: duckdb.DuckDBPyConnection, plan: Plan) -> None:
    """Write the plan's catalogue, replacing an earlier version of the same plan."""
    for table in ("indicator", "opgave", "plan"):
        con.execute(f"DELETE FROM {table} WHERE plan_id = ?", [plan.id])
    con.execute(
        "INSERT INTO plan VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [plan.id, plan.gemeente_code, plan.gemeente_naam, plan.titel, plan.ondertitel, plan.start,
         plan.evaluatiejaar, plan.budget_jaar, plan.bron],
    )
    con.execute(
        "INSERT INTO gemeente VALUES (?, ?) ON CONFLICT DO UPDATE SET naam = excluded.naam",
        [plan.gemeente_code, plan.gemeente_naam],
    )
    for order, opgave in enumerate(plan.opgaven):
        con.execute(
            "INSERT INTO opgave VALUES (?, ?, ?, ?, ?, ?)",
            [plan.id, opgave.id, order, opgave.naam, opgave.budget, list(opgave.beleidsterreinen)],
        )
    columns = ", ".join(["plan_id", "volgorde", *_INDICATOR_COLUMNS])
    marks = ", ".join("?" * (len(_INDICATOR_COLUMNS) + 2))
    insert_many(
        con,
        f"INSERT INTO indicator ({columns}) VALUES ({marks})",
        [[plan.id, order, *asdict(ind).values()] for order, ind in enumerate(plan.indicators)],
    )


def load_plan(con: duckdb.DuckDBPyConnection, plan_id: str | None = None) -> Plan:
    """The plan stored in the database (the only one, or the one named)."""
    where, params = ("WHERE plan_id = ?", [plan_id]) if plan_id else ("", [])
    row = con.execute(
        f"SELECT plan_id, gemeente_code, gemeente_naam, titel, ondertitel, start, evaluatiejaar, budget_jaar, bron "
        f"FROM plan {where} ORDER BY plan_id LIMIT 1",
        params,
    ).fetchone()
    if row is None:
        raise LookupError("De database bevat nog geen plan. Bouw hem met: python -m monitor build-demo")
    opgaven = tuple(
        Opgave(r[0], r[1], float(r[2]) if r[2] is not None else None, tuple(r[3] or ()))
        for r in con.execute(
            "SELECT opgave_id, naam, budget, beleidsterreinen FROM opgave WHERE plan_id = ? ORDER BY volgorde", [row[0]]
        ).fetchall()
    )
    indicator_rows = con.execute(
        f"SELECT {', '.join(_INDICATOR_COLUMNS)} FROM indicator WHERE plan_id = ? ORDER BY volgorde", [row[0]]
    ).fetchall()
    indicators = tuple(Indicator(**dict(zip(_INDICATOR_FIELDS, r))) for r in indicator_rows)
    return Plan(*row[:5], start=row[5], evaluatiejaar=row[6], budget_jaar=row[7], bron=row[8] or "",
                opgaven=opgaven, indicators=indicators)


# ------------------------------------------------------------------ measurements


@dataclass(frozen=True)
class Measurement:
    indicator_id: str
    gemeente_code: str
    periode: str
    waarde: float
    eenheid: str
    bron: str
    herkomst: str
    wijk_code: str = ""
    teller: float | None = None
    noemer: float | None = None
    status: str = "definitief"
    toelichting: str | None = None
    import_id: int | None = None

    @property
    def period(self):
        return parse_period(self.periode)

    @property
    def is_example(self) -> bool:
        return self.herkomst == "voorbeelddata"


_MEASUREMENT_FIELDS = [f.name for f in fields(Measurement)]


def insert_measurements(con: duckdb.DuckDBPyConnection, rows: list[Measurement]) -> int:
    """Store measurements with their period in canonical form and as dates, so SQL can order and filter by time."""
    other = [name for name in _MEASUREMENT_FIELDS if name != "periode"]
    columns = ", ".join([*other, "periode", "periode_start", "periode_eind"])
    records = []
    for m in rows:
        period = parse_period(m.periode)
        records.append([*(getattr(m, name) for name in other), period.code, period.start, period.end])
    return insert_many(con, f"INSERT INTO measurement ({columns}) VALUES ({', '.join('?' * (len(other) + 3))})",
                       records)


def load_measurements(con: duckdb.DuckDBPyConnection, gemeente_code: str) -> list[Measurement]:
    rows = con.execute(
        f"SELECT {', '.join(_MEASUREMENT_FIELDS)} FROM current_measurement "
        "WHERE gemeente_code = ? ORDER BY indicator_id, periode_eind, periode_start, wijk_code",
        [gemeente_code],
    ).fetchall()
    return [Measurement(**dict(zip(_MEASUREMENT_FIELDS, r))) for r in rows]


def load_wijken(con: duckdb.DuckDBPyConnection, gemeente_code: str) -> dict[str, str]:
    """wijk code → name, in code order."""
    return dict(
        con.execute("SELECT wijk_code, naam FROM wijk WHERE gemeente_code = ? ORDER BY wijk_code", [gemeente_code]).fetchall()
    )


def has_example_data(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT count(*) FROM current_measurement WHERE herkomst = 'voorbeelddata'").fetchone()[0] > 0


def log_import(con: duckdb.DuckDBPyConnection, *, bestandsnaam: str, sha256: str, bron: str, type_herkend: str,
               rijen: int, resultaat: str = "geimporteerd", waarschuwingen: list[str] | None = None,
               melding: str | None = None, gestart_op: datetime | None = None, gebruiker: str | None = None) -> int:
    return con.execute(
        "INSERT INTO import_log (gestart_op, afgerond_op, gebruiker, bestandsnaam, sha256, bron, type_herkend, rijen, "
        "resultaat, waarschuwingen, melding) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING import_id",
        [gestart_op or datetime.now(), datetime.now(), gebruiker or current_user(), bestandsnaam, sha256, bron, type_herkend, rijen,
         resultaat, waarschuwingen or [], melding],
    ).fetchone()[0]


def save_narrative(con: duckdb.DuckDBPyConnection, indicator_id: str, gemeente_code: str, periode: str, tekst: str,
                   auteur: str, voorbeelddata: bool = False) -> None:
    con.execute(
        "INSERT INTO narrative VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET tekst = excluded.tekst, "
        "auteur = excluded.auteur, bijgewerkt_op = excluded.bijgewerkt_op, voorbeelddata = excluded.voorbeelddata",
        [indicator_id, gemeente_code, parse_period(periode).code, tekst, auteur, datetime.now(), voorbeelddata],
    )


def load_narratives(con: duckdb.DuckDBPyConnection, gemeente_code: str) -> dict[str, list[tuple[str, str, bool]]]:
    """indicator id → [(periode, tekst, voorbeelddata)], newest period first."""
    result: dict[str, list[tuple[str, str, bool]]] = {}
    rows = con.execute(
        "SELECT indicator_id, periode, tekst, voorbeelddata FROM narrative WHERE gemeente_code = ?", [gemeente_code]
    ).fetchall()
    for indicator_id, periode, tekst, example in sorted(rows, key=lambda r: parse_period(r[1]), reverse=True):
        result.setdefault(indicator_id, []).append((periode, tekst, example))
    return result
