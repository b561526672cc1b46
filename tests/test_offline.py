"""Nothing leaves the machine: no usage statistics, no analytics, served on localhost only, no CDN assets."""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_streamlit_sends_no_usage_statistics_and_binds_to_localhost():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["address"] == "localhost"
    assert config["server"]["port"] == 8501


def test_great_expectations_analytics_are_off_once_monitor_is_imported():
    code = "import os, monitor; print(os.environ['GX_ANALYTICS_ENABLED'])"
    env = {k: v for k, v in os.environ.items() if k != "GX_ANALYTICS_ENABLED"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_no_code_refers_to_remote_assets_or_shared():
    sources = [p for d in ("monitor", "pages", "indicators") for p in (ROOT / d).rglob("*.py")] + [ROOT / "app.py"]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"https?://(?!localhost)", text), f"{path} verwijst naar een externe adres"
        assert "../shared" not in text and "shared/realdata" not in text, f"{path} leest ../shared"
