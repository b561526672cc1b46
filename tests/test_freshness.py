"""Freshness per source and the import history read the same entries, so they never disagree (issue 7)."""

from datetime import date

from monitor.freshness import freshness, history
from monitor.imports.pipeline import IMPORTED, SOURCES, import_file
from monitor.status import snapshot
from tests.helpers import CORPUS

PEILDATUM = date(2026, 11, 22)


def newest_per_source(db) -> dict:
    """Per source: (moment of its newest import in the history, number of its imports)."""
    found = {}
    for row in history(db):  # newest first
        if row["resultaat"] == IMPORTED:
            moment, count = found.get(row["bron"], (row["gestart_op"], 0))
            found[row["bron"]] = (moment, count + 1)
    return found


def test_freshness_of_every_source_is_its_newest_entry_in_the_history(demo_database):
    db = demo_database.path
    newest = newest_per_source(db)
    items = {f.bron: f for f in freshness(db, snapshot(db, PEILDATUM))}
    assert set(items) == set(SOURCES)
    for bron in SOURCES:
        assert (items[bron].last_import, items[bron].imports) == newest.get(bron, (None, 0)), bron
    # build-demo imports the 6 shipped example Suite4SD exports: the history lists them as Suite4SD, and freshness
    # no longer says "Nog niet geïmporteerd" for Suite4SD, but marks them as voorbeelddata.
    assert items["suite4sd"].imports == 6 and items["suite4sd"].example
    assert not items["cbs"].example and items["cbs"].imports == 7  # the 7 CBS extracts in data/cbs/


def test_a_real_export_after_the_examples_is_the_newest_and_not_example_data(demo_copy):
    import_file(demo_copy, CORPUS / "goed.csv")
    newest = newest_per_source(demo_copy)
    item = next(f for f in freshness(demo_copy, snapshot(demo_copy, PEILDATUM)) if f.bron == "suite4sd")
    # goed.csv replaces the example toekenningen export; the replaced import still counts as an import.
    assert (item.last_import, item.imports) == newest["suite4sd"]
    assert item.imports == 7 and not item.example
    assert history(demo_copy)[0]["bestandsnaam"] == "goed.csv"
