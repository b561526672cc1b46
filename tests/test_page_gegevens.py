"""The page "Gegevens en kwaliteit": upload → validation report, import history, freshness per source (AppTest)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import CORPUS, content

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGE = "pages/gegevens.py"


@pytest.fixture
def db(demo_copy, monkeypatch):
    monkeypatch.setenv("MONITOR_DB", str(demo_copy))
    return demo_copy


def open_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, name: str) -> AppTest:
    """Check the file, then import it when the check passed (the page shows the replacement in between)."""
    at.file_uploader[0].set_value((name, (CORPUS / name).read_bytes(), "text/csv"))
    at.button[0].click()
    at.run()
    assert not at.exception, at.exception
    if any(b.key == "gegevens_importeren" for b in at.button):
        at.button(key="gegevens_importeren").click()
        at.run()
        assert not at.exception, at.exception
    return at


def report(at: AppTest):
    return next(d.value for d in at.dataframe if "Controle" in d.value.columns)


def history(at: AppTest):
    return next(d.value for d in at.dataframe if "Bestand" in d.value.columns)


def test_page_shows_freshness_and_the_demo_history(db):
    at = open_page()
    assert at.title[0].value == "Gegevens en kwaliteit"
    assert [h.value for h in at.header] == ["Bestand importeren", "Actualiteit per bron", "Importgeschiedenis",
                                          "Pseudonimiseren"]
    assert "85098NED.csv" in list(history(at)["Bestand"])
    sources = [m.value for m in at.markdown if m.value.startswith("**") and m.value.endswith("**")]
    assert sources[:4] == ["**CBS StatLine**", "**Divosa**", "**Suite4SD**", "**Metingenblad**"]


def test_upload_of_a_good_file_shows_its_report_and_lands_in_the_history(db):
    at = upload(open_page(), "goed.csv")
    assert "3 rijen geïmporteerd" in at.success[0].value
    table = report(at)
    assert set(table["Resultaat"]) == {"geslaagd"}
    # every check by its Dutch description; a passed one reads as what was checked
    assert "toekenning_id: geen regel(s) met een id dat vaker voorkomt. Elk record staat één keer in de export; " \
           "verwijder de dubbele regels of exporteer opnieuw." in list(table["Controle"])
    rows = history(at)
    assert rows.iloc[0]["Bestand"] == "goed.csv"
    # goed.csv runs to May 2024, the demo's toekenningen export (import 12) to July 2026: stored, not current.
    assert rows.iloc[0]["Resultaat"] == "geïmporteerd (ouder dan import 12, niet geldend)"


def test_upload_of_a_bad_file_is_refused_with_the_failing_check_and_changes_nothing(db):
    before = content(db)
    at = upload(open_page(), "negatief_bedrag.csv")
    assert "bedrag" in at.error[0].value and "regel 3" in at.error[0].value
    table = report(at)
    failed = table[table["Resultaat"] == "niet geslaagd"]
    assert list(failed["Ernst"]) == ["kritiek"]
    assert failed.iloc[0]["Voorbeelden"].startswith("regel 3: toekenning_id=T002, ")
    assert "bedrag=-250,00" in failed.iloc[0]["Voorbeelden"]
    assert content(db) == before
    assert history(at).iloc[0]["Resultaat"] == "geweigerd"


def test_freshness_counts_a_snapshot_export_without_periods(db, tmp_path):
    from datetime import date

    from monitor.freshness import freshness
    from monitor.imports.pipeline import import_file
    from monitor.status import snapshot

    # A snapshot counts once it is current: it must run past the demo's example export (10 July 2026).
    newer = tmp_path / "toekenningen_augustus.csv"
    newer.write_text((CORPUS / "goed.csv").read_text(encoding="utf-8")
                     + "T004;C0b1c2;H0d1e2;JFSC;toegekend;01-08-2026;02-08-2026;01-09-2026;;225,00;WK039605\n",
                     encoding="utf-8")
    assert import_file(db, newer, confirmed=True).status == "geimporteerd"
    items = {f.bron: f for f in freshness(db, snapshot(db, date(2026, 11, 22)))}
    # the 6 example Suite4SD exports of build-demo and goed.csv
    assert items["suite4sd"].imports == 7 and items["suite4sd"].last_import is not None
    assert items["suite4sd"].periods == []
    # build-demo records the periods of the shipped CBS extracts: 85012NED alone covers 2020
    assert "2020" in items["cbs"].periods and "2024-H1" in items["cbs"].periods
    assert items["metingen"].last_import is None
