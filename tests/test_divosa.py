"""Divosa exports: the real 2023 figures of Heemskerk (addendum armoede en schulden, Divosa monitor vroegsignalering
schulden 2023; FF-5 terugval 16% from the plan) in every shape, the steward's mapping file, and every bad case refused
in Dutch with file, row and column.

Files: tests/corpus/divosa/ (good exports, one file per bad case, and mapping files of a steward).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from monitor import catalogue, cbs, store
from monitor.imports import divosa, pipeline, readers
from monitor.imports.base import WARNING, ImportRefused
from tests.helpers import content
from tests.test_metingen import assert_refused, check, store_parsed, write

PROJECT_DIR = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "corpus" / "divosa"
PLAN = catalogue.load_plan(PROJECT_DIR / "data" / "plans" / "heemskerk.toml")
UNITS = {i.id: i.eenheid for i in PLAN.indicators}
GEMEENTEN = cbs.read_gemeenten(PROJECT_DIR / "data" / "gemeenten.csv")
MAPPING = divosa.load_mapping()
PER_MONTH = "per 1.000 inwoners per maand"

# Vroegsignalering 2023, Heemskerk vs landelijk, by hand from the addendum: 3,1 vs 4,0 meldingen per 1.000 inwoners per
# maand; 91% vs 80% signalen → melding; 39% vs 20% melding → contact; 14% vs 35% contact → hulpacceptatie.
# (indicator, vergelijking, gemeente_code, periode, waarde, eenheid)
VROEGSIGNALERING_2023 = {
    ("meldingen_per_1000_inwoners_per_maand", "gemeente", "GM0396", "2023", 3.1, PER_MONTH),
    ("meldingen_per_1000_inwoners_per_maand", "landelijk", "GM0396", "2023", 4.0, PER_MONTH),
    ("signalen_naar_melding", "gemeente", "GM0396", "2023", 91.0, "%"),
    ("signalen_naar_melding", "landelijk", "GM0396", "2023", 80.0, "%"),
    ("meldingen_naar_contact", "gemeente", "GM0396", "2023", 39.0, "%"),
    ("meldingen_naar_contact", "landelijk", "GM0396", "2023", 20.0, "%"),
    ("contact_naar_hulpacceptatie", "gemeente", "GM0396", "2023", 14.0, "%"),
    ("contact_naar_hulpacceptatie", "landelijk", "GM0396", "2023", 35.0, "%"),
}
VALUE_COLUMNS = "indicator, vergelijking, gemeente_code, periode, waarde, eenheid"


def parse(path: Path, mapping: divosa.Mapping = MAPPING):
    return divosa.parse(readers.read_tabular(path), mapping, GEMEENTEN, UNITS)


def values(con, where: str = "vervangen_door IS NULL") -> set[tuple]:
    return set(con.execute(f"SELECT {VALUE_COLUMNS} FROM divosa_waarde WHERE {where}").fetchall())


def xlsx_of(csv_path: Path, target: Path) -> Path:
    """The CSV as an Excel workbook with numbers as numbers (3,1 → 3.1; 91% → 91), as a steward would save it."""
    header, *body = csv_path.read_text(encoding="utf-8").splitlines()
    workbook = openpyxl.Workbook()
    workbook.active.append(header.split(";"))
    for line in body:
        workbook.active.append([float(c.rstrip("%").replace(",", ".")) if c[:1].isdigit() else c
                                for c in line.split(";")])
    workbook.save(target)
    return target


# ------------------------------------------------------------------ good exports

SHAPES = [
    ("vroegsignalering_2023_lang.csv", "lang formaat", 8),
    ("vroegsignalering_2023_breed_per_groep.csv", "breed formaat, een kolom per gemeente en vergelijkingsgroep", 4),
    ("vroegsignalering_2023_breed_per_indicator.csv", "breed formaat, een kolom per indicator", 2),
]


@pytest.mark.parametrize("name, shape, lines", SHAPES, ids=[s[0] for s in SHAPES])
def test_every_shape_stores_the_real_2023_figures(con, name, shape, lines):
    parsed = parse(CORPUS / name)
    assert parsed.detected_type == f"Divosa Monitor Vroegsignalering Schulden ({shape})"
    assert (parsed.source, parsed.suite, parsed.supersede_key, parsed.periods, parsed.rows) == (
        "divosa", "divosa", "divosa:vroegsignalering", ["2023"], lines)
    import_id = store_parsed(con, parsed, name)
    assert values(con) == VROEGSIGNALERING_2023
    assert con.execute("SELECT DISTINCT bron, import_id, periode_start, periode_eind FROM divosa_waarde").fetchall() == [
        ("vroegsignalering", import_id, date(2023, 1, 1), date(2023, 12, 31))]
    # None of these four is a plan indicator, so no measurement is written.
    assert con.execute("SELECT count(*) FROM measurement").fetchone()[0] == 0


def test_export_as_xlsx_stores_the_same(con, tmp_path):
    path = xlsx_of(CORPUS / "vroegsignalering_2023_lang.csv", tmp_path / "vroegsignalering.xlsx")
    store_parsed(con, parse(path), path.name)
    assert values(con) == VROEGSIGNALERING_2023


def test_labels_are_kept_beside_the_keys(con):
    store_parsed(con, parse(CORPUS / "vroegsignalering_2023_breed_per_groep.csv"), "breed.csv")
    assert con.execute(
        "SELECT indicator_label, vergelijking_label, plan_indicator FROM divosa_waarde "
        "WHERE indicator = 'signalen_naar_melding' ORDER BY vergelijking").fetchall() == [
        ("% van de signalen die een melding worden", "Heemskerk", None),
        ("% van de signalen die een melding worden", "Landelijk", None)]


def test_benchmark_terugval_becomes_the_ff5_measurement(con):
    parsed = parse(CORPUS / "benchmark_wi_2023.csv")
    assert parsed.detected_type == "Divosa Benchmark Werk en Inkomen (lang formaat)"
    assert parsed.supersede_key == "divosa:benchmark_wi"
    import_id = store_parsed(con, parsed, "benchmark_wi_2023.csv")
    assert con.execute("SELECT bron, indicator, plan_indicator, gemeente_code, vergelijking, periode, waarde, eenheid "
                       "FROM divosa_waarde").fetchall() == [
        ("benchmark_wi", "terugval_bijstand_1jr", "FF-5", "GM0396", "gemeente", "2023", 16.0, "%")]
    assert con.execute(
        "SELECT indicator_id, gemeente_code, wijk_code, periode, waarde, eenheid, status, bron, herkomst, import_id "
        "FROM current_measurement").fetchall() == [
        ("FF-5", "GM0396", "", "2023", 16.0, "%", "definitief", "Divosa Benchmark Werk en Inkomen", "import",
         import_id)]


def test_templates_are_valid_exports(con):
    templates = PROJECT_DIR / "data" / "templates"
    store_parsed(con, parse(templates / "divosa_long.csv"), "divosa_long.csv")
    store_parsed(con, parse(templates / "divosa_wide.csv"), "divosa_wide.csv")
    # '-' is "no figure": the template's empty landelijk and grootteklasse rows store nothing.
    assert con.execute("SELECT count(*) FROM divosa_waarde").fetchone()[0] == 1 + len(VROEGSIGNALERING_2023)


def test_recognised_by_its_columns():
    for name, _, _ in SHAPES:
        assert divosa.looks_like_divosa(readers.read_tabular(CORPUS / name).frame.columns, MAPPING)
    metingenblad = ["indicator_id", "periode", "wijk", "waarde", "teller", "noemer", "bron", "toelichting"]
    assert not divosa.looks_like_divosa(metingenblad, MAPPING)
    assert not divosa.looks_like_divosa(["lks_id", "client_id", "startdatum"], MAPPING)


def test_comparison_values_without_one_gemeente_stay_without_gemeente(con, tmp_path):
    # Test figures, not Divosa's: two gemeenten and one landelijk value that compares both.
    path = write(tmp_path / "twee_gemeenten.csv", [
        "gemeente;indicator;periode;waarde;vergelijkingsgroep",
        "Heemskerk;Terugval binnen één jaar;2023;16;gemeente",
        "Beverwijk;Terugval binnen één jaar;2023;12,5;gemeente",
        "Nederland;Terugval binnen één jaar;2023;14;Landelijk",
    ])
    store_parsed(con, parse(path), path.name)
    assert values(con) == {
        ("terugval_bijstand_1jr", "gemeente", "GM0396", "2023", 16.0, "%"),
        ("terugval_bijstand_1jr", "gemeente", "GM0375", "2023", 12.5, "%"),
        ("terugval_bijstand_1jr", "landelijk", None, "2023", 14.0, "%"),
    }
    assert con.execute("SELECT gemeente_code, waarde FROM measurement ORDER BY gemeente_code").fetchall() == [
        ("GM0375", 12.5), ("GM0396", 16.0)]


def test_grootteklasse_header_and_gemeente_code_are_recognised(con, tmp_path):
    # The grootteklasse figure is a test figure; the column 'opmerking' is ignored by the default mapping.
    path = write(tmp_path / "grootteklasse.csv", [
        "indicator;jaar;GM0396;Gemeenten 20.000 tot 50.000 inwoners;Landelijk;opmerking",
        "Terugval binnen 1 jaar in de bijstand;2023;16%;14,5%;-;testcijfer",
    ])
    store_parsed(con, parse(path), path.name)
    assert con.execute(f"SELECT {VALUE_COLUMNS}, vergelijking_label FROM divosa_waarde ORDER BY vergelijking"
                       ).fetchall() == [
        ("terugval_bijstand_1jr", "gemeente", "GM0396", "2023", 16.0, "%", "GM0396"),
        ("terugval_bijstand_1jr", "grootteklasse", "GM0396", "2023", 14.5, "%", "Gemeenten 20.000 tot 50.000 inwoners"),
    ]


# ------------------------------------------------------------------ totals


def test_total_equal_to_its_parts_imports(con):
    store_parsed(con, parse(CORPUS / "signalen_2023.csv"), "signalen_2023.csv")
    assert con.execute("SELECT waarde FROM divosa_waarde WHERE indicator = 'signalen_totaal'").fetchone() == (1469.0,)
    assert con.execute("SELECT sum(waarde) FROM divosa_waarde WHERE indicator <> 'signalen_totaal'").fetchone() == (
        412.0 + 655 + 318 + 84,)


def test_total_without_all_its_parts_is_not_checked(tmp_path):
    lines = (CORPUS / "totaal_klopt_niet.csv").read_text(encoding="utf-8").splitlines()
    path = write(tmp_path / "deels.csv", [lines[0], lines[1], lines[5]])
    assert all(f.passed for f in check(parse(path), path.name))


def test_total_within_rounding_passes(tmp_path):
    # Parts rounded to whole numbers may add up to one more than the rounded total (101 here): each of the five
    # figures is off by at most 0,5.
    path = write(tmp_path / "afgerond.csv", [
        "gemeente;indicator;periode;waarde",
        "Heemskerk;Signalen woningcorporatie;2023;28",
        "Heemskerk;Signalen zorgverzekeraar;2023;45",
        "Heemskerk;Signalen energieleverancier;2023;22",
        "Heemskerk;Signalen drinkwaterbedrijf;2023;6",
        "Heemskerk;Totaal aantal signalen;2023;100",
    ])
    assert all(f.passed for f in check(parse(path), path.name))


# ------------------------------------------------------------------ the steward's mapping


def test_steward_mapping_reads_another_layout(con):
    mapping = divosa.load_mapping(CORPUS / "koppeling_eigen.toml")
    with pytest.raises(ImportRefused, match="niet herkend als Divosa-export"):
        parse(CORPUS / "eigen_indeling.csv")
    store_parsed(con, parse(CORPUS / "eigen_indeling.csv", mapping), "eigen_indeling.csv")
    assert values(con) == {("terugval_bijstand_1jr", "gemeente", "GM0396", "2023", 16.0, "%")}
    assert con.execute("SELECT indicator_id, periode, waarde FROM measurement").fetchall() == [("FF-5", "2023", 16.0)]


def test_default_mapping_maps_terugval_to_ff5():
    indicator = MAPPING.indicator("terugval  binnen één jaar in de BIJSTAND")
    assert (indicator.key, indicator.bron, indicator.eenheid, indicator.plan_indicator) == (
        "terugval_bijstand_1jr", "benchmark_wi", "%", "FF-5")
    assert MAPPING.comparison("Landelijk gemiddelde") == "landelijk"


@pytest.mark.parametrize("name, fragments", [
    ("koppeling_onbekende_bron.toml", ["koppeling_onbekende_bron.toml",
                                       "bron moet een van benchmark_wi, vroegsignalering zijn"]),
])
def test_bad_mapping_is_refused(name, fragments):
    with pytest.raises(ImportRefused) as refused:
        divosa.load_mapping(CORPUS / name)
    for fragment in fragments:
        assert fragment in str(refused.value)


def test_mapping_unit_must_match_the_plan():
    mapping = divosa.load_mapping(CORPUS / "koppeling_eenheid_anders.toml")
    with pytest.raises(ImportRefused) as refused:
        parse(CORPUS / "eigen_indeling.csv", mapping)
    assert "eenheid 'aantal'" in str(refused.value) and "FF-5" in str(refused.value)


@pytest.mark.parametrize("toml, fragment", [
    ('[kolommen]\nwaardes = "x"\n', "onbekend veld in [kolommen]: waardes"),
    ('[vergelijkingen]\n"Landelijk" = "Landelijk gemiddelde"\n', 'vergelijkingen."Landelijk"'),
    ("", "geen enkele [[indicator]]"),
    ("".join(f'[[indicator]]\nsleutel = "{key}"\nbron = "benchmark_wi"\neenheid = "%"\nlabels = ["{label}"]\n'
             for key, label in (("a", "x"), ("b", "X"))), 'label "X" hoort al bij'),
    ('[[indicator]]\nsleutel = "a"\nbron = "benchmark_wi"\neenheid = "%"\nsom_van = ["b"]\n', "som_van noemt b"),
    ("[kolommen\n", "kan niet gelezen worden"),
])
def test_mapping_mistakes_are_named(tmp_path, toml, fragment):
    path = tmp_path / "koppeling.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        divosa.load_mapping(path)
    assert str(refused.value).startswith("koppeling.toml: ") and fragment in str(refused.value)


# ------------------------------------------------------------------ bad exports

REFUSED = [
    ("procent_boven_100.csv", ["kolom waarde", "tussen 0 en 100", "regel 4"]),
    ("negatief.csv", ["kolom waarde", "negatieve", "regel 2"]),
    ("geen_getal.csv", ["kolom waarde", "geen getal", "regel 2"]),
    ("periode_onleesbaar.csv", ["kolom periode", "geldige periode", "regel 6"]),
    ("periode_toekomst.csv", ["kolom periode", "nog niet begonnen", "regel 8"]),
    ("onbekende_gemeente.csv", ["kolom gemeente", "niet in de gemeentelijst", "regel 2 kolom Aantal meldingen"]),
    ("onbekende_vergelijkingsgroep.csv", ["kolom vergelijkingsgroep", "[vergelijkingen]", "regel 3"]),
    ("dubbel.csv", ["dubbel", "regel 3, 10"]),
    ("totaal_klopt_niet.csv", ["kolom waarde", "som van hun delen", "regel 6"]),
    ("formule.csv", ["Excel-formule", "regel 6 kolom waarde"]),
]


@pytest.mark.parametrize("name, fragments", REFUSED, ids=[r[0] for r in REFUSED])
def test_bad_export_is_refused_naming_file_row_and_column(name, fragments):
    assert_refused(lambda: check(parse(CORPUS / name), name), name, fragments)


@pytest.mark.parametrize("name, fragments", [
    ("bsn.csv", ["kolom bsn", "burgerservicenummers", "python -m monitor pseudonimiseer"]),
    ("kolom_ontbreekt.csv", ["lang formaat", "ontbreekt kolom periode", "periode, jaar, verslagjaar"]),
    ("gemengde_bronnen.csv", ["Benchmark Werk en Inkomen en Monitor Vroegsignalering Schulden", "apart bestand"]),
    ("geen_bekende_indicator.csv", ["geen enkel indicatorlabel", "divosa_kolommen.toml"]),
])
def test_unusable_export_is_refused_while_parsing(name, fragments):
    assert_refused(lambda: parse(CORPUS / name), name, fragments)


def test_unknown_indicator_column_is_a_warning_and_not_imported(con):
    parsed = parse(CORPUS / "onbekende_kolom.csv")
    warnings = [f for f in check(parsed, "onbekende_kolom.csv") if not f.passed]
    assert [f.severity for f in warnings] == [WARNING]
    assert "niet geïmporteerd" in warnings[0].message
    assert "regel 2 kolom Aantal adviesgesprekken, 3 kolom Aantal adviesgesprekken" in warnings[0].message
    store_parsed(con, parsed, "onbekende_kolom.csv")
    assert values(con) == VROEGSIGNALERING_2023


# ------------------------------------------------------------------ through the import pipeline


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "x.duckdb"
    connection = store.open_store(path)
    store.save_plan(connection, PLAN)
    store.insert_many(connection, "INSERT INTO gemeente VALUES (?, ?) ON CONFLICT DO NOTHING",
                      [[code, name] for name, code in GEMEENTEN.items()])
    connection.close()
    return path


def test_pipeline_newer_export_supersedes_the_older(db, tmp_path):
    first = pipeline.import_file(db, CORPUS / "benchmark_wi_2023.csv")
    assert first.status == pipeline.IMPORTED, first.message
    # A corrected benchmark export for the same year (a test figure).
    corrected = write(tmp_path / "benchmark_wi_2023_gecorrigeerd.csv", [
        "gemeente;indicator;periode;waarde;vergelijkingsgroep",
        "Heemskerk;Terugval binnen één jaar in de bijstand;2023;15,8%;Heemskerk",
    ])
    second = pipeline.import_file(db, corrected)
    assert second.status == pipeline.IMPORTED, second.message
    con = store.connect(db, read_only=True)
    try:
        assert con.execute("SELECT waarde FROM current_measurement WHERE indicator_id = 'FF-5'").fetchall() == [(15.8,)]
        assert con.execute("SELECT waarde, vervangen_door FROM measurement WHERE indicator_id = 'FF-5' "
                           "AND vervangen_door IS NOT NULL").fetchall() == [(16.0, second.import_id)]
        assert con.execute("SELECT waarde, import_id, vervangen_door FROM divosa_waarde ORDER BY import_id").fetchall(
        ) == [(16.0, first.import_id, second.import_id), (15.8, second.import_id, None)]
    finally:
        con.close()


def test_pipeline_refusal_changes_nothing(db):
    assert pipeline.import_file(db, CORPUS / "vroegsignalering_2023_lang.csv").status == pipeline.IMPORTED
    before = content(db)
    result = pipeline.import_file(db, CORPUS / "procent_boven_100.csv")
    assert result.status == pipeline.REFUSED
    assert "kolom waarde" in result.message and "regel 4" in result.message
    assert content(db) == before
