"""Shared fixtures: the project's plan and one demo database per test session (built in a temporary directory).

No test writes data/monitor.duckdb: every database lives under pytest's tmp_path(_factory).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from monitor import catalogue, store
from monitor.demo import build_demo

PROJECT_DIR = Path(__file__).resolve().parent.parent
PLAN_FILE = PROJECT_DIR / "data" / "plans" / "heemskerk.toml"
CBS_DIR = PROJECT_DIR / "data" / "cbs"
EXAMPLE_DIR = PROJECT_DIR / "data" / "voorbeelddata"


@dataclass(frozen=True)
class DemoDatabase:
    path: Path
    counts: dict[str, int]


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> DemoDatabase:
    """The demo database, built once per session from the shipped files. Treat it as read-only."""
    path = tmp_path_factory.mktemp("db") / "monitor.duckdb"
    counts = build_demo(path)
    return DemoDatabase(path, counts)


@pytest.fixture
def demo_con(demo_database):
    """A read-only connection to the session's demo database."""
    con = store.connect(demo_database.path, read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def plan() -> catalogue.Plan:
    return catalogue.load_plan(PLAN_FILE)


@pytest.fixture
def con(tmp_path, plan):
    """A new, migrated database holding only the plan's catalogue."""
    connection = store.open_store(tmp_path / "x.duckdb")
    store.save_plan(connection, plan)
    yield connection
    connection.close()


@pytest.fixture
def demo_copy(demo_database, tmp_path) -> Path:
    """A private copy of the demo database, for tests that import into it."""
    path = tmp_path / "monitor.duckdb"
    shutil.copy(demo_database.path, path)
    return path
