"""Shared by the import tests."""

from pathlib import Path

import duckdb

CORPUS = Path(__file__).resolve().parent / "corpus" / "invoer"


def content(db: Path) -> dict:
    """Every row of every table: the database's content, to compare before and after."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'").fetchall()]
        return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in tables}
    finally:
        con.close()
