"""A second gemeente's plan is a new file, not new code: Velsen with one opgave and two indicators."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VELSEN = """
[plan]
id = "velsen-test"
gemeente_code = "GM0453"
gemeente_naam = "Velsen"
titel = "Armoede- en schuldenbeleid Velsen"
start = 2024-01-01
evaluatiejaar = 2027

[[opgave]]
id = "AS"
naam = "Armoede en schulden"
budget = 1000000

[[indicator]]
id = "AS-1"
opgave = "AS"
titel = "Huishoudens met problematische schulden"
eenheid = "aantal huishoudens"
vergelijking = "at_most"
nulmeting = { waarde = 2000, periode = "2023" }
doel = { tekst = "10% minder", relatief_procent = -10, periode = "2027" }
meetinstrument = "CBS"
meetfrequentie = "1/j"
aanlevering = "import"
bron = "CBS"

[[indicator]]
id = "AS-BIJSTAND"
opgave = "AS"
soort = "bbv"
titel = "Personen met een bijstandsuitkering"
eenheid = "per 10.000 inwoners"
meetinstrument = "CBS"
meetfrequentie = "1/j"
aanlevering = "import"
bron = "CBS StatLine 85383NED"
berekening = "financieel_fit.bijstand_per_10000_inwoners"
"""


def test_build_and_status_for_another_gemeente(tmp_path):
    plan = tmp_path / "velsen.toml"
    plan.write_text(VELSEN, encoding="utf-8")
    db = tmp_path / "velsen.duckdb"
    build = subprocess.run([sys.executable, "-m", "monitor", "build-demo", "--db", str(db), "--plan", str(plan)],
                           cwd=ROOT, capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    assert "voorbeelddata: 0" in build.stdout  # Heemskerk's example data are not loaded for Velsen
    out = subprocess.run([sys.executable, "-m", "monitor", "status", "--json", "--db", str(db), "--peildatum",
                          "2025-03-01"], cwd=ROOT, capture_output=True, text=True, check=True)
    items = {i["id"]: i for i in json.loads(out.stdout)}
    assert list(items) == ["AS-1", "AS-BIJSTAND"]
    assert items["AS-1"]["target"]["value"] == 1800  # 2000 - 10%
    assert items["AS-1"]["status"] == "geen meting"
    bijstand = items["AS-BIJSTAND"]["measurements"]
    # CBS 85383NED, Velsen, 2024 definitief: 1280 bijstandsuitkeringen / 69241 inwoners * 10000 = 184.86
    assert [(m["period"], round(m["value"], 2)) for m in bijstand] == [("2024", 184.86)]
