"""The validation report: failed checks first (critical, then warnings, then passed), each by its Dutch
description, each example the whole line of the file (issue 7, point 7). Upload page and stored findings."""

import json

import duckdb

from monitor.imports.pipeline import IMPORTED, REFUSED, import_file, read_refusals
from tests.helpers import content
from tests.test_page_gegevens import db, open_page, report  # noqa: F401  (db is a fixture)

HEADER = ("toekenning_id;client_id;huishouden_id;regeling;besluit;aanvraagdatum;besluitdatum;ingangsdatum;einddatum;"
          "bedrag;wijk")
GOOD = "T001;C1a2b3;H9f8e7;IIT;toegekend;2024-01-03;2024-01-15;2024-02-01;;1.234,56;WK039603"      # line 2
NEGATIVE = "T002;C4d5e6;H1a2b3;KINDPAKKET;toegekend;2024-02-01;2024-02-10;2024-03-01;2024-12-31;-250,00;WK039601"  # 3
NO_HOUSEHOLD = "T003;C7f8a9;;IIT;toegekend;2024-03-01;2024-03-12;2024-04-01;;100,00;"                  # line 4
UNKNOWN_BESLUIT = "T004;Cb1c2d;H4e5f6;CZM;misschien;2024-04-01;2024-04-09;;;0;WK039602"               # line 5
BAD = "\n".join([HEADER, GOOD, NEGATIVE, NO_HOUSEHOLD, UNKNOWN_BESLUIT]) + "\n"

NEGATIVE_TEXT = "bedrag: 1 bedrag(en) negatief of boven 10 miljoen euro."
BESLUIT_TEXT = "besluit: 1 waarde(n) zijn niet toegekend, afgewezen of ingetrokken."
HOUSEHOLD_TEXT = "huishouden_id: 1 regel(s) zonder waarde."
WIJK_TEXT = "wijk: 1 regel(s) met een lege of onbekende wijk."


def whole_line(line: int, text: str) -> str:
    """How the report shows a line of the file: its number, then every column with its value as written."""
    return f"regel {line}: " + ", ".join(f"{k}={v}" for k, v in zip(HEADER.split(";"), text.split(";")))


def test_the_upload_page_lists_failed_checks_first_by_their_dutch_text_with_whole_lines(db):  # noqa: F811
    before = content(db)
    at = open_page()
    at.file_uploader[0].set_value(("slecht.csv", BAD.encode("utf-8"), "text/csv"))
    at.button[0].click()
    at.run()
    assert not at.exception, at.exception
    table = report(at)
    # Two critical checks failed (bedrag on line 3, besluit on line 5), two warnings (line 4); then the passed ones.
    assert list(table["Resultaat"])[:4] == ["niet geslaagd"] * 4
    assert set(table["Resultaat"][4:]) == {"geslaagd"}
    assert list(table["Ernst"])[:4] == ["kritiek", "kritiek", "waarschuwing", "waarschuwing"]
    controls = list(table["Controle"])
    assert [c.split(" Een")[0].split(" Gebruik")[0].split(" Deze")[0] for c in controls[:4]] == [
        NEGATIVE_TEXT, BESLUIT_TEXT, HOUSEHOLD_TEXT, WIJK_TEXT]
    assert not any(c.startswith("expect_") for c in controls)
    # A passed check reads as what was checked, not as a failure.
    assert "toekenning_id: geen regel(s) met een id dat vaker voorkomt. Elk record staat één keer in de export; " \
           "verwijder de dubbele regels of exporteer opnieuw." in controls
    assert any(c.startswith("Alle verplichte kolommen zijn aanwezig (toekenning_id, ") for c in controls)
    examples = list(table["Voorbeelden"])
    assert examples[0] == whole_line(3, NEGATIVE)
    assert examples[1] == whole_line(5, UNKNOWN_BESLUIT)
    assert examples[2] == examples[3] == whole_line(4, NO_HOUSEHOLD)
    assert set(examples[4:]) == {""}
    assert content(db) == before


def test_the_stored_findings_of_a_refusal_have_the_same_order_and_whole_lines(db, tmp_path):  # noqa: F811
    path = tmp_path / "slecht.csv"
    path.write_text(BAD, encoding="utf-8")
    assert import_file(db, path).status == REFUSED
    stored = read_refusals(db)[-1]["bevindingen"]
    assert [(f["passed"], f["severity"]) for f in stored[:4]] == [(False, "critical")] * 2 + [(False, "warning")] * 2
    assert all(f["passed"] for f in stored[4:])
    assert stored[0]["message"].startswith(NEGATIVE_TEXT)
    assert stored[0]["examples"] == [dict(regel=3, **dict(zip(HEADER.split(";"), NEGATIVE.split(";"))))]


def test_the_stored_findings_of_an_import_with_warnings_list_the_warnings_first(db, tmp_path):  # noqa: F811
    path = tmp_path / "waarschuwing.csv"
    path.write_text("\n".join([HEADER, GOOD, NO_HOUSEHOLD]) + "\n", encoding="utf-8")
    result = import_file(db, path)
    assert result.status == IMPORTED
    with duckdb.connect(str(db), read_only=True) as con:
        stored = json.loads(con.execute("SELECT bevindingen FROM import_log WHERE import_id = ?",
                                        [result.import_id]).fetchone()[0])
    assert [f["message"].split(" ")[0] for f in stored[:2]] == ["huishouden_id:", "wijk:"]
    assert [f["passed"] for f in stored] == [False, False] + [True] * (len(stored) - 2)
    # The empty cells are shown as the file has them: empty.
    assert stored[0]["examples"][0] == dict(regel=3, **dict(zip(HEADER.split(";"), NO_HOUSEHOLD.split(";"))))
