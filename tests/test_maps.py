"""The wijk maps: the geometry file, the figure (11 wijken, failing and suppressed wijken, nothing fetched), the table
beside each map, the data behind the Wijken page, and the page itself in AppTest and in a real browser."""

import json
import math
import os
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from monitor import maps, status, wijkdata
from monitor.imports.pipeline import import_file, undo
from tests.helpers import block_network, streamlit_server

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
WIJKEN = [f"WK0396{n:02d}" for n in range(1, 12)]
SOURCE_EXTRACT = (ROOT.parent / "shared" / "realdata" / "cartomap_wijk2024_heemskerk"
                  / "wijk_2024_heemskerk_extract.geojson")
TEMPLATES = ROOT / "data" / "templates"
# Verbatim rows of the real CBS table 85996NED (Wmo-cliënten per wijk, 1e halfjaar 2024): header, Heemskerk, its wijken.
CBS_85996NED = """\ufeffID;TypeMaatwerkvoorziening;Wijken;Perioden;Gemeentenaam_1;SoortRegio_2;Codering_3;IndelingswijzigingWijken_4;WmoClienten_5;WmoClientenPer1000Inwoners_6
1412;Totaal;Heemskerk;1e halfjaar 2024;Heemskerk                               ;Gemeente ;GM0396  ;1.0;2535.0;64.0
1413;Totaal;Wijk 01 Heemskerk-Dorp;1e halfjaar 2024;Wijk 01 Heemskerk-Dorp                  ;Wijk     ;WK039601;1.0;240.0;126.0
1414;Totaal;Wijk 02 Commandeurs en Marquette;1e halfjaar 2024;Wijk 02 Commandeurs en Marquette        ;Wijk     ;WK039602;1.0;130.0;54.0
1415;Totaal;Wijk 03 Hofland, Oosterwijk en Zuidbroek;1e halfjaar 2024;Wijk 03 Hofland, Oosterwijk en Zuidbroek;Wijk     ;WK039603;1.0;515.0;91.0
1416;Totaal;Wijk 04 Heemskerkerduin en Noorddorp;1e halfjaar 2024;Wijk 04 Heemskerkerduin en Noorddorp    ;Wijk     ;WK039604;1.0;60.0;33.0
1417;Totaal;Wijk 05 Poelenburg en Oosterzij;1e halfjaar 2024;Wijk 05 Poelenburg en Oosterzij         ;Wijk     ;WK039605;1.0;425.0;83.0
1418;Totaal;Wijk 06 Noordbroek en De Trompet;1e halfjaar 2024;Wijk 06 Noordbroek en De Trompet        ;Wijk     ;WK039606;1.0;300.0;53.0
1419;Totaal;Wijk 07 Kerkbeek;1e halfjaar 2024;Wijk 07 Kerkbeek                        ;Wijk     ;WK039607;1.0;190.0;62.0
1420;Totaal;Wijk 08 Assumburg;1e halfjaar 2024;Wijk 08 Assumburg                       ;Wijk     ;WK039608;1.0;395.0;86.0
1421;Totaal;Wijk 09 Hoogdorp en Waterakkers;1e halfjaar 2024;Wijk 09 Hoogdorp en Waterakkers         ;Wijk     ;WK039609;1.0;165.0;36.0
1422;Totaal;Wijk 10 Broekpolder;1e halfjaar 2024;Wijk 10 Broekpolder                     ;Wijk     ;WK039610;1.0;105.0;23.0
1423;Totaal;Wijk 11 Oostelijk Heemskerk;1e halfjaar 2024;Wijk 11 Oostelijk Heemskerk             ;Wijk     ;WK039611;1.0;;
"""
# Verbatim rows of 85990NED (jeugdzorg in natura per wijk): Wijk 03 under three forms, whose totals differ from the
# form "Jeugdhulp zonder verblijf" (95 against 90 young people).
CBS_85990NED = """\ufeffID;Vormen;Wijken;Perioden;TotaalJongerenMetJeugdzorgInNatura_1;k_0Tot4Jaar_2;k_4Tot12Jaar_3;k_12Tot18Jaar_4;k_18Tot23Jaar_5;ThuiswonendKindInEenouderhuishouden_6;ThuiswonendKindBijEenPaar_7;AnderHuishouden_8;TotaalTrajectenInNatura_9;GemeentelijkeToegang_10;Huisarts_11;Jeugdarts_12;GecertificeerdeInstelling_13;MedischSpecialist_14;RechterOfficierVanJustitie_15;GeenVerwijzer_16;VerwijzerOnbekend_17;Gemeentenaam_18;SoortRegio_19;Codering_20;IndelingswijzigingWijken_21
8888;Jeugdhulp zonder verblijf;Wijk 03 Hofland, Oosterwijk en Zuidbroek;1e halfjaar 2024;90.0;10.0;50.0;30.0;;35.0;55.0;;120.0;25.0;55.0;15.0;15.0;;;;;Heemskerk                               ;Wijk     ;WK039603  ;1.0
1416;Totaal alle jeugdzorg in natura;Wijk 03 Hofland, Oosterwijk en Zuidbroek;1e halfjaar 2024;95.0;10.0;50.0;35.0;;35.0;55.0;;130.0;30.0;55.0;15.0;15.0;;;;;Heemskerk                               ;Wijk     ;WK039603  ;1.0
5152;Totaal jeugdhulp in natura;Wijk 03 Hofland, Oosterwijk en Zuidbroek;1e halfjaar 2024;95.0;10.0;50.0;35.0;;35.0;55.0;;130.0;30.0;55.0;15.0;15.0;;;;;Heemskerk                               ;Wijk     ;WK039603  ;1.0
1424;Totaal alle jeugdzorg in natura;Wijk 11 Oostelijk Heemskerk;1e halfjaar 2024;;;;;;;;;;;;;;;;;;Heemskerk                               ;Wijk     ;WK039611  ;1.0
"""


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to reach another machine fails the test."""
    block_network(monkeypatch)


@pytest.fixture
def bare_copy(demo_copy) -> Path:
    """The demo database without Suite4SD records and without the CBS wijk tables: nothing imported yet."""
    con = duckdb.connect(str(demo_copy))
    for table in ("s4sd_toekenning", "s4sd_uitkering"):
        con.execute(f"DELETE FROM {table}")
    con.execute("DELETE FROM cbs_observation WHERE tabel IN ('85990NED', '85996NED')")
    con.close()
    return demo_copy


def values(waarden: dict[str, float], labels: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per Heemskerk wijk; a wijk missing from waarden has no figure."""
    labels = labels or {}
    return pd.DataFrame({
        "wijk_code": WIJKEN,
        "waarde": [waarden.get(code, float("nan")) for code in WIJKEN],
        "label": [labels.get(code, str(waarden.get(code, "–"))) for code in WIJKEN],
    })


def locations(figure: dict) -> dict[str, list[str]]:
    """Trace name → its wijk codes, for the choropleth traces of a figure (as a dict, e.g. from a chart's JSON)."""
    return {t["name"]: list(t["locations"]) for t in figure["data"] if t["type"] == "choroplethmap"}


def hovers(figure: dict) -> dict[str, str]:
    """Wijk code → hover text of the topmost trace that draws it."""
    found = {}
    for trace in figure["data"]:
        if trace["type"] == "choroplethmap":
            found.update(zip(trace["locations"], trace["hovertext"]))
    return found


def as_dict(figure) -> dict:
    return json.loads(figure.to_json())


# ------------------------------------------------------------------ geometry


def test_geometry_holds_the_11_wijken_of_the_database(demo_con):
    geojson = maps.wijk_geojson()
    codes = [f["properties"]["statcode"] for f in geojson["features"]]
    assert codes == WIJKEN
    assert [f["id"] for f in geojson["features"]] == WIJKEN
    stored = dict(demo_con.execute("SELECT wijk_code, naam FROM wijk ORDER BY wijk_code").fetchall())
    assert maps.wijk_names() == stored


@pytest.mark.skipif(not SOURCE_EXTRACT.exists(), reason="de cartomap-extractie staat niet in ../shared")
def test_geometry_is_the_cartomap_extract_unchanged():
    assert maps.GEOJSON_FILE.read_bytes() == SOURCE_EXTRACT.read_bytes()


def test_bron_names_owner_licence_and_commit():
    text = (maps.GEOJSON_FILE.parent / "BRON.md").read_text(encoding="utf-8")
    for needed in ("CBS", "Kadaster", "PDOK", "cartomap", "CC BY 4.0", "01e3b4cea860e7bb5dc3bddbfff72d3e4f4709e6",
                   "driehoek"):
        assert needed in text


# ------------------------------------------------------------------ the figure


def test_map_shows_the_11_wijken_with_their_codes():
    figure = as_dict(maps.wijk_choropleth(values({code: n for n, code in enumerate(WIJKEN)}), "Test", "aantal"))
    assert locations(figure) == {"Test": WIJKEN}
    hover = hovers(figure)
    assert hover["WK039601"] == "<b>Wijk 01 Heemskerk-Dorp</b><br>0"
    assert hover["WK039611"] == "<b>Wijk 11 Oostelijk Heemskerk</b><br>10"
    assert figure["layout"]["title"]["text"] == "Test"
    assert figure["layout"]["separators"] == ",."


def test_map_fetches_nothing():
    """No tiles, no style or font from elsewhere: the style is MapLibre's empty one and the geometry is inline."""
    figure = maps.wijk_choropleth(values({"WK039601": 1.0}), "Test", "aantal")
    layout = as_dict(figure)["layout"]
    assert layout["map"]["style"] == "white-bg"
    assert not layout["map"].get("layers")
    assert all(isinstance(t.geojson, dict) for t in figure.data if t.type == "choroplethmap")
    assert "http" not in figure.to_json()
    assert not any(t.type == "choropleth" for t in figure.data)  # the geo subplot would fetch a world map


def test_view_holds_every_wijk():
    """plotly.js does not fit a map to choropleth traces; the computed centre and zoom must show all 11 wijken."""
    view = as_dict(maps.wijk_choropleth(values({}), "Test", "aantal"))["layout"]["map"]
    world = 512 * 2 ** view["zoom"]

    def pixel(lon, lat):
        y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
        return world * (lon + 180) / 360, world * (1 - y / math.pi) / 2

    centre_x, centre_y = pixel(view["center"]["lon"], view["center"]["lat"])
    width, height = maps.VIEW_PIXELS
    for feature in maps.wijk_geojson()["features"]:
        for lon, lat in feature["geometry"]["coordinates"][0]:
            x, y = pixel(lon, lat)
            assert abs(x - centre_x) <= width / 2 + 1 and abs(y - centre_y) <= height / 2 + 1, feature["id"]


def test_ceiling_target_marks_the_wijken_above_it():
    # OO-5: at most 45% in every wijk. 45,0 meets it, 45,1 does not.
    figure = as_dict(maps.wijk_choropleth(
        values({"WK039601": 44.0, "WK039602": 45.0, "WK039603": 45.1, "WK039605": 49.4},
               {"WK039601": "44,0%", "WK039602": "45,0%", "WK039603": "45,1%", "WK039605": "49,4%"}),
        "OO-5", "%", maps.Threshold("at_most", 45, "%")))
    failing = "haalt het doel niet (maximaal 45,0%)"
    assert locations(figure)[failing] == ["WK039603", "WK039605"]
    assert figure["data"][-1]["type"] == "scattermap" and figure["data"][-1]["name"] == failing  # the legend entry
    hover = hovers(figure)
    assert hover["WK039605"] == f"<b>Wijk 05 Poelenburg en Oosterzij</b><br>49,4%<br>{failing}"
    assert hover["WK039602"].endswith("<br>haalt het doel (maximaal 45,0%)")
    assert hover["WK039604"] == "<b>Wijk 04 Heemskerkerduin en Noorddorp</b><br>geen cijfer"
    assert figure["data"][0]["colorbar"]["ticksuffix"] == "%"


def test_floor_target_marks_the_wijken_below_it():
    figure = as_dict(maps.wijk_choropleth(values({"WK039601": 0.0, "WK039602": 1.0, "WK039603": 3.0}), "OO-2",
                                          "aantal plekken", maps.Threshold("at_least", 1, "aantal plekken")))
    assert locations(figure)["haalt het doel niet (minimaal 1)"] == ["WK039601"]


def test_suppressed_wijken_are_grey_with_their_mark_on_hover():
    figure = as_dict(maps.wijk_choropleth(
        values({"WK039602": 12.0, "WK039605": 20.0}, {"WK039601": "<5", "WK039603": "x"}), "Toekenningen", "aantal"))
    traces = locations(figure)
    assert traces["Toekenningen"] == ["WK039602", "WK039605"]
    grey = traces["geen cijfer of niet getoond"]
    assert grey[:2] == ["WK039601", "WK039603"] and len(grey) == 9
    assert sorted(traces["Toekenningen"] + grey) == WIJKEN
    hover = hovers(figure)
    assert hover["WK039601"] == "<b>Wijk 01 Heemskerk-Dorp</b><br><5: klein aantal, niet getoond"
    assert "x: niet getoond, zodat een klein aantal in een andere wijk niet terug te rekenen is" in hover["WK039603"]
    grey_trace = next(t for t in figure["data"] if t["name"] == "geen cijfer of niet getoond")
    assert grey_trace["colorscale"] == [[0, maps.NO_FIGURE_COLOUR], [1, maps.NO_FIGURE_COLOUR]]


# ------------------------------------------------------------------ the table beside the map


def test_table_has_every_wijk_the_target_and_the_total():
    table = maps.wijk_table(values({"WK039601": 44.0, "WK039603": 47.2}, {"WK039601": "44,0%", "WK039603": "47,2%"}),
                            maps.Threshold("at_most", 45, "%"), total="43")
    assert list(table.columns) == ["Wijk", "Waarde", "Doel: maximaal 45,0%"]
    assert list(table["Wijk"][:3]) == ["Wijk 01 Heemskerk-Dorp", "Wijk 02 Commandeurs en Marquette",
                                       "Wijk 03 Hofland, Oosterwijk en Zuidbroek"]
    assert list(table["Doel: maximaal 45,0%"][:3]) == ["gehaald", "geen cijfer", "niet gehaald"]
    assert table.iloc[-1].to_dict() == {"Wijk": "Totaal", "Waarde": "43", "Doel: maximaal 45,0%": ""}


def test_table_passes_further_columns_and_names_an_unknown_wijk():
    frame = pd.DataFrame({"wijk_code": ["WK039601", ""], "waarde": [7.0, 5.0], "label": ["7", "5"],
                          "Aandeel": ["58,3%", "41,7%"]})
    table = maps.wijk_table(frame)
    assert table.to_dict("records") == [{"Wijk": "Wijk 01 Heemskerk-Dorp", "Waarde": "7", "Aandeel": "58,3%"},
                                        {"Wijk": "wijk onbekend", "Waarde": "5", "Aandeel": "41,7%"}]


# ------------------------------------------------------------------ the data behind the page


def toekenningen_csv(path: Path, per_wijk: dict[str, int], afgewezen: dict[str, int] | None = None) -> Path:
    """A toekenningen export in the template's columns: per wijk that many toegekende (and afgewezen) besluiten."""
    header = (TEMPLATES / "toekenningen_minimaregelingen.csv").read_text(encoding="utf-8").splitlines()[0]
    lines, n = [header], 0
    for besluit, counts in (("toegekend", per_wijk), ("afgewezen", afgewezen or {})):
        for wijk, count in counts.items():
            for _ in range(count):
                n += 1
                lines.append(f"TK-{n:04d};c{n:031x};h{n:031x};IIT;{besluit};2024-01-08;2024-01-22;2024-02-01;;"
                             f"250,00;{wijk};105;1")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def uitkeringen_csv(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    """(wijk, ingangsdatum, einddatum) per uitkering, in the template's columns."""
    header = (TEMPLATES / "uitkeringen_participatiewet.csv").read_text(encoding="utf-8").splitlines()[0]
    lines = [header] + [f"UK-{n:04d};c{n:031x};h{n:031x};PW;{start};{end};{'werk gevonden' if end else ''};{wijk}"
                        for n, (wijk, start, end) in enumerate(rows, start=1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def imported(db: Path, path: Path) -> None:
    """Import in place of the demo's example export of the same kind.

    The example exports run to July 2026, so an older test export would be stored but not current: the example is
    undone first. Replacing thousands of rows by a handful is a shrinking replacement, hence confirmed.
    """
    kept = import_file(db, path, check_only=True).replacement.kept
    if kept:
        assert undo(db, kept[0]).status == "ongedaan"
    result = import_file(db, path, confirmed=True)
    assert result.status == "geimporteerd", result.message


def test_target_subjects_are_the_per_wijk_targets(demo_database):
    snap = status.snapshot(demo_database.path, date(2026, 6, 30))
    subjects = wijkdata.target_subjects(snap)
    assert [s.key for s in subjects] == ["OO-2", "OO-3", "OO-5"]
    oo5 = subjects[2]
    assert oo5.threshold == maps.Threshold("at_most", 45, "%")
    assert list(oo5.values["wijk_code"]) == WIJKEN
    latest = {w.wijk_code: w.latest.waarde for w in snap.progress["OO-5"].wijken if w.latest}
    assert dict(zip(oo5.values["wijk_code"], oo5.values["waarde"])) == latest
    assert oo5.example


def test_record_subjects_without_exports_say_so(bare_copy):
    snap = status.snapshot(bare_copy, date(2026, 6, 30))
    for subject in wijkdata.record_subjects(bare_copy, snap):
        assert subject.message.startswith("Nog geen export geïmporteerd.")


def test_lopende_uitkeringen_on_the_peildatum(demo_copy, tmp_path):
    imported(demo_copy, uitkeringen_csv(tmp_path / "uitkeringen.csv", [
        *[("WK039605", "2023-03-01", "")] * 6,
        ("WK039605", "2023-03-01", "2025-01-31"),   # still running on 31-12-2024
        ("WK039605", "2023-03-01", "2024-06-30"),   # ended before the peildatum
        ("WK039605", "2025-03-01", ""),             # started after it
        *[("WK039607", "2024-01-01", "")] * 2,
        *[("Onbekende wijk", "2024-01-01", "")] * 5,
    ]))
    snap = status.snapshot(demo_copy, date(2024, 12, 31))
    uitkeringen = wijkdata.record_subjects(demo_copy, snap, threshold=5)[1]
    assert not uitkeringen.example
    shown = dict(zip(uitkeringen.values["wijk_code"], uitkeringen.values["label"]))
    # 7 + 2 + 5 = 14: the 2 is small; the smallest other cell (the 5 without a wijk) hides it.
    assert shown["WK039605"] == "7" and shown["WK039607"] == "<5" and shown[""] == "x"
    assert shown["WK039601"] == "0"
    assert uitkeringen.total == "14"
    assert uitkeringen.values["waarde"].isna().sum() == 2


def test_cbs_subject_takes_the_total_row_and_the_latest_period(demo_copy, tmp_path):
    path = tmp_path / "85990NED.csv"
    path.write_text(CBS_85990NED, encoding="utf-8")
    imported(demo_copy, path)
    snap = status.snapshot(demo_copy, date(2026, 6, 30))
    table = wijkdata.CBS_WIJK_TABLES[0]
    measures = wijkdata.cbs_measures(demo_copy, snap, table)
    assert measures[:2] == ["TotaalJongerenMetJeugdzorgInNatura_1", "k_0Tot4Jaar_2"]
    assert "IndelingswijzigingWijken_21" not in measures
    subject = wijkdata.cbs_subject(demo_copy, snap, table, measures[0])
    shown = dict(zip(subject.values["wijk_code"], subject.values["label"]))
    assert shown["WK039603"] == "95" and shown["WK039611"] == "–" and shown["WK039601"] == "–"
    assert subject.title == "Jongeren met jeugdzorg in natura (1e halfjaar 2024)"
    assert "Totaal alle jeugdzorg in natura" in subject.source


def test_measure_labels():
    assert wijkdata.measure_label("WmoClientenPer1000Inwoners_6") == "Wmo-cliënten per 1.000 inwoners"
    assert wijkdata.measure_label("k_65JaarOfOuder_7") == "65 jaar of ouder"


# ------------------------------------------------------------------ the page in AppTest


def page(db: Path, monkeypatch) -> AppTest:
    monkeypatch.setenv("MONITOR_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/wijken.py")
    at.run()
    assert not at.exception, at.exception
    return at


def charts(at: AppTest) -> dict[str, dict]:
    figures = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return {f["layout"]["title"]["text"]: f for f in figures}


def records_table(at: AppTest) -> pd.DataFrame:
    """The table beside the toekenningen map: the only one with shares."""
    return next(t.value for t in at.dataframe if "Aandeel" in t.value.columns).set_index("Wijk")


def test_page_on_the_demo_database(demo_database, monkeypatch):
    at = page(demo_database.path, monkeypatch)
    assert at.title[0].value == "Wijken"
    assert "driehoek" in at.caption[0].value
    found = charts(at)
    targets = [title for title in found if title.split(" · ")[0] in ("OO-2", "OO-3", "OO-5")]
    assert [title.split(" · ")[0] for title in targets] == ["OO-2", "OO-3", "OO-5"]
    for figure in found.values():
        drawn = [code for codes in locations(figure).values() for code in codes]
        assert sorted(set(drawn)) == WIJKEN
    oo5 = found[targets[2]]
    assert "haalt het doel niet (maximaal 45,0%)" in locations(oo5)
    assert all(len(t.value) == 11 for t in at.dataframe[:3])


def test_page_says_what_is_not_imported_yet(bare_copy, monkeypatch):
    at = page(bare_copy, monkeypatch)
    assert len(charts(at)) == 3
    infos = [i.value for i in at.info]
    assert sum(i.startswith("Nog geen export geïmporteerd.") for i in infos) == 2
    assert any("85990NED is nog niet geïmporteerd" in i for i in infos)
    assert any("85996NED is nog niet geïmporteerd" in i for i in infos)


def test_page_hides_a_wijk_with_three_toekenningen(demo_copy, tmp_path, monkeypatch):
    imported(demo_copy, toekenningen_csv(tmp_path / "toekenningen.csv",
                                         {"WK039601": 3, "WK039602": 12, "WK039603": 8, "WK039605": 20},
                                         afgewezen={"WK039604": 2}))
    at = page(demo_copy, monkeypatch)
    table = records_table(at)
    assert table.loc["Wijk 01 Heemskerk-Dorp", "Waarde"] == "<5"
    # 3 alone would be 43 - 12 - 20 = 3: the 8 (the smallest other count) is hidden too, and so are their shares.
    assert table.loc["Wijk 03 Hofland, Oosterwijk en Zuidbroek", "Waarde"] == "x"
    assert table.loc["Wijk 02 Commandeurs en Marquette", "Waarde"] == "12"
    assert table.loc["Wijk 04 Heemskerkerduin en Noorddorp", "Waarde"] == "0"  # afgewezen does not count
    assert table.loc["Totaal", "Waarde"] == "43"
    assert list(table.loc[["Wijk 01 Heemskerk-Dorp", "Wijk 03 Hofland, Oosterwijk en Zuidbroek"], "Aandeel"]) == [
        "x", "x"]
    assert table.loc["Wijk 05 Poelenburg en Oosterzij", "Aandeel"] == "46,5%"
    figure = charts(at)["Toegekende minimaregelingen per wijk"]
    assert locations(figure)["geen cijfer of niet getoond"] == ["WK039601", "WK039603"]
    assert hovers(figure)["WK039601"] == "<b>Wijk 01 Heemskerk-Dorp</b><br><5: klein aantal, niet getoond"


def test_page_threshold_from_the_environment(demo_copy, tmp_path, monkeypatch):
    imported(demo_copy, toekenningen_csv(tmp_path / "toekenningen.csv", {"WK039601": 3, "WK039602": 12}))
    monkeypatch.setenv("MONITOR_KLEINE_AANTALLEN", "3")
    at = page(demo_copy, monkeypatch)
    table = records_table(at)
    assert table.loc["Wijk 01 Heemskerk-Dorp", "Waarde"] == "3"
    assert table.loc["Wijk 03 Hofland, Oosterwijk en Zuidbroek", "Waarde"] == "0"


def test_page_shows_an_imported_cbs_wijk_table(demo_copy, tmp_path, monkeypatch):
    path = tmp_path / "85996NED.csv"
    path.write_text(CBS_85996NED, encoding="utf-8")
    imported(demo_copy, path)
    at = page(demo_copy, monkeypatch)
    choice = at.selectbox(key="onderwerp-85996NED")
    assert choice.options == ["Wmo-cliënten", "Wmo-cliënten per 1.000 inwoners"]
    figure = charts(at)["Wmo-cliënten (1e halfjaar 2024)"]
    assert sorted(c for codes in locations(figure).values() for c in codes) == WIJKEN
    assert cbs_table(at).loc["Wijk 03 Hofland, Oosterwijk en Zuidbroek", "Waarde"] == "515"
    choice.set_value("WmoClientenPer1000Inwoners_6").run()
    assert "Wmo-cliënten per 1.000 inwoners (1e halfjaar 2024)" in charts(at)
    assert cbs_table(at).loc["Wijk 03 Hofland, Oosterwijk en Zuidbroek", "Waarde"] == "91"
    assert cbs_table(at).loc["Wijk 11 Oostelijk Heemskerk", "Waarde"] == "–"


def cbs_table(at: AppTest) -> pd.DataFrame:
    """The last table: the CBS table drawn last on the page."""
    return at.dataframe[-1].value.set_index("Wijk")


# ------------------------------------------------------------------ the page in a real browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]



@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                    reason="chromium ontbreekt (make test installeert het)")
def test_browser_draws_the_maps_without_fetching_anything(demo_database, monkeypatch):
    monkeypatch.undo()  # the browser test talks to its own server over localhost
    from playwright.sync_api import sync_playwright

    with streamlit_server(demo_database.path) as url:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            view = browser.new_page(viewport={"width": 1400, "height": 1000})
            requests = []
            view.on("request", lambda request: requests.append(request.url))
            view.goto(url)
            view.locator("h1").first.wait_for(timeout=30000)
            view.get_by_role("link", name="Wijken").click()
            view.locator("h2", has_text="CBS-cijfers per wijk").wait_for(timeout=30000)
            oo5 = view.locator(".js-plotly-plot").nth(2)
            oo5.scroll_into_view_if_needed()
            # MapLibre draws the wijken on a canvas inside the chart once it has loaded its (local) style.
            oo5.locator("canvas").first.wait_for(timeout=30000)
            drawn = oo5.locator("canvas").count()
            browser.close()
    assert drawn >= 1
    elsewhere = [u for u in requests if not u.startswith((url, f"blob:{url}", "data:"))]
    assert elsewhere == []
