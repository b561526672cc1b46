"""Shared by the tests: the bad-input corpus, database content, no network, the real server."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus" / "invoer"


def content(db: Path) -> dict:
    """Every row of every table: the database's content, to compare before and after."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'").fetchall()]
        return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in tables}
    finally:
        con.close()


def block_network(monkeypatch) -> None:
    """Make any attempt to reach another machine fail the test (unix sockets stay allowed)."""
    original = socket.socket.connect

    def refuse(self, address, *args, **kwargs):
        if self.family != socket.AF_UNIX:
            raise AssertionError(f"netwerkverbinding geprobeerd naar {address}")
        return original(self, address, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(db: Path):
    """The real dashboard (streamlit run app.py) on a free localhost port, on the given database; yields its URL."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
                               cwd=ROOT, env={**os.environ, "MONITOR_DB": str(db)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://localhost:{port}"
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise AssertionError("Streamlit-server startte niet binnen 60 s")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
