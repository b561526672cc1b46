"""What every format module hands to the import pipeline, and how a refusal is reported."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

CRITICAL = "critical"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """The outcome of one check: a Great Expectations expectation or a pre-check of the reader."""

    expectation: str          # e.g. "expect_column_values_to_be_between(bedrag)" or "bsn_kolom"
    severity: str             # CRITICAL refuses the file, WARNING imports it with a visible warning
    passed: bool
    message: str              # Dutch, says what is wrong and what to do
    rows: int = 0             # number of offending rows
    examples: tuple = ()      # a few offending rows as dicts, with their row number in the file ("regel")
    column: str | None = None


class ImportRefused(Exception):
    """A file that cannot be imported; nothing was written. The message is Dutch and names file, rows, columns."""

    def __init__(self, file_name: str, message: str, findings: list[Finding] | None = None,
                 rows_in_file: int | None = None):
        super().__init__(f"{file_name}: {message}")
        self.file_name = file_name
        self.message = message
        self.findings = findings or []
        self.rows_in_file = rows_in_file  # data records counted in the file, when the reader got that far


@dataclass
class Parsed:
    """A recognised, parsed file, ready for validation and storage."""

    source: str                     # cbs | divosa | suite4sd | metingen
    detected_type: str              # shown to the steward, e.g. "CBS 86050NED (label-CSV, OData v3)"
    frame: pd.DataFrame             # the rows to validate, one per record, with a column "regel" (line in the file)
    suite: str | None               # name of the GX suite in expectations/<suite>.json, or None
    supersede_key: str              # a newer import with the same key and periods supersedes the older one
    periods: list[str]              # canonical period codes covered by the file
    store: Callable[[duckdb.DuckDBPyConnection, int], int]  # writes the rows inside the pipeline's transaction
    findings: list[Finding] = field(default_factory=list)  # pre-checks done while reading
    rows: int = 0
    rows_in_file: int | None = None  # data records the reader counted in the file (None for a CBS export)
    shown: pd.DataFrame | None = None  # the file's rows as read (text, with "regel"): whole examples in the report

    def __post_init__(self):
        self.rows = self.rows or len(self.frame)


def file_name(path: Path) -> str:
    return Path(path).name


def sha256_of(path: Path) -> str:
    """Of the file, or for a CBS export folder of its files' names and contents in name order."""
    digest = hashlib.sha256()
    files = sorted(p for p in Path(path).rglob("*") if p.is_file()) if Path(path).is_dir() else [Path(path)]
    for file in files:
        if Path(path).is_dir():
            digest.update(str(file.relative_to(path)).encode("utf-8"))
        with open(file, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()
