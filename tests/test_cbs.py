"""Reading the real CBS extracts in data/cbs (label-style CSV as the CBS OData v3 API writes it).

Expected values are copied by hand from the CSV lines quoted in the comments.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from monitor import cbs
from monitor.cbs import CbsFormatError, classify_columns, read_gemeenten, read_rows, read_table

PROJECT_DIR = Path(__file__).resolve().parent.parent
CBS_DIR = PROJECT_DIR / "data" / "cbs"
SHARED_DUMP = PROJECT_DIR.parent / "shared" / "realdata" / "cbs_statline_dump_dertje"
TABLES = ["85012NED", "85098NED", "85383NED", "85563NED", "85588NED", "85984NED", "86050NED"]
# The GGD and wijk tables carry no Perioden column (see data/cbs/BRON.md).
DEFAULT_PERIODS = {"85012NED": "2020", "85563NED": "2022", "85984NED": "2024"}


@pytest.fixture(scope="module")
def gemeenten():
    return read_gemeenten(PROJECT_DIR / "data" / "gemeenten.csv")


@pytest.fixture(scope="module")
def tables(gemeenten):
    return {t: read_table(CBS_DIR / f"{t}.csv", gemeenten, DEFAULT_PERIODS.get(t)) for t in TABLES}


def pick(observations, **where):
    found = [o for o in observations if all(getattr(o, k) == v for k, v in where.items())]
    assert len(found) == 1, (where, found)
    return found[0]


def test_the_seven_extracts_are_there():
    assert sorted(p.stem for p in CBS_DIR.glob("*.csv")) == TABLES


def test_gemeentelijst(gemeenten):
    assert len(gemeenten) == 342
    assert gemeenten["Heemskerk"] == "GM0396"
    assert gemeenten["Beverwijk"] == "GM0375"
    assert gemeenten["Velsen"] == "GM0453"


# Rows kept per table: data lines of the file × measure columns. The six indicator tables hold Nederland and every
# gemeente of data/gemeenten.csv (342) that CBS lists; 85984NED holds Nederland, the three gemeenten and 11 wijken.
# Hand count from the files:
#   85098NED (342 + 1) regions × 10 periods = 3430
#   86050NED Totaal 343 × 22 periods = 7546, plus "Totaal exclusief verblijf en opvang" where the 10.000-row dump
#            stops: 41 regions × 22 + Bloemendaal 12 = 914; 7546 + 914 = 8460
#   85588NED Lopend eind verslagperiode 343 × 21 months = 7203, plus Gestart en lopend eind for Nederland only
#            (the dump stops there) 21; 7203 + 21 = 7224
#   85383NED 343 × 3 years × 2 statuses = 2058
#   85012NED (337 gemeenten that existed in 2020 + 1) × 3 ages × 3 margins = 338 × 9 = 3042
#   85563NED (341 + 1) × 9 = 3078
#   85984NED 1 + 3 + 11 = 15 minus Velsen, which the truncated dump lacks = 14
@pytest.mark.parametrize("table, lines, measures", [
    ("85098NED", 3430, 5),
    ("86050NED", 8460, 2),
    ("85588NED", 7224, 1),
    ("85383NED", 2058, 72),
    ("85012NED", 3042, 20),
    ("85563NED", 3078, 17),
    ("85984NED", 14, 123),
])
def test_each_extract_reads_every_row(tables, table, lines, measures):
    observations = tables[table]
    assert len(observations) == lines * measures
    assert {o.tabel for o in observations} == {table}


def test_each_extract_has_heemskerk(tables):
    for table, observations in tables.items():
        assert any(o.regio_code == "GM0396" for o in observations), table


# ------------------------------------------------------------------ 85098NED: jeugdhulp per half year


def test_85098_first_half_2021(tables):
    # 1370;Heemskerk;1e halfjaar 2021;11.4;7.6;1.3;32.6;0.2
    o = pick(tables["85098NED"], regio_code="GM0396", periode="2021-H1", maat="JongerenMetJeugdhulpInNatura_1")
    assert o.waarde == 11.4
    assert o.periode_label == "1e halfjaar 2021"
    assert o.regio_label == "Heemskerk"
    assert o.dimensies == ""
    assert o.status is None


def test_85098_half_jaar_spelled_apart(tables):
    # 1379;Heemskerk;1e half jaar 2024;9.5;6.4;0.9;32.8;0.2  ("half jaar" in two words)
    o = pick(tables["85098NED"], regio_code="GM0396", periode="2024-H1", maat="JongerenMetJeugdhulpInNatura_1")
    assert o.waarde == 9.5
    assert o.periode_label == "1e half jaar 2024"


def test_85098_whole_years_are_kept_apart(tables):
    # 1372;Heemskerk;2021;13.5;...   (a whole year counts more youngsters than a half year)
    o = pick(tables["85098NED"], regio_code="GM0396", periode="2021", maat="JongerenMetJeugdhulpInNatura_1")
    assert o.waarde == 13.5


def test_85098_blank_value_is_none(tables):
    # 1377;Heemskerk;2e halfjaar 2023;10.9;7.3;0.8;48.3;   (jeugdreclassering not published)
    o = pick(tables["85098NED"], regio_code="GM0396", periode="2023-H2", maat="JongerenMetJeugdreclassering_5")
    assert o.waarde is None


def test_nederland_gets_nl00(tables):
    # 0;Nederland;1e halfjaar 2021;11.1;...
    o = pick(tables["85098NED"], regio_code="NL00", periode="2021-H1", maat="JongerenMetJeugdhulpInNatura_1")
    assert o.waarde == 11.1


# ------------------------------------------------------------------ 85383NED: status and Regiocode


def test_85383_status_definitief_and_voorlopig_kept(tables):
    rows = [o for o in tables["85383NED"] if o.regio_code == "GM0396" and o.periode == "2024"
            and o.maat == "InwonersTotaal_1"]
    # 517;Voorlopig;Heemskerk;2024;;...  and  1714;Definitief;Heemskerk;2024;39452.0;...
    assert sorted((o.status, o.waarde) for o in rows) == [("definitief", 39452.0), ("voorlopig", None)]


def test_85383_bijstand_and_inwoners(tables):
    obs = tables["85383NED"]
    # 1714;Definitief;Heemskerk;2024;39452.0;...;TotaalBijstandsuitkeringen_22 = 730.0
    assert pick(obs, regio_code="GM0396", periode="2024", status="definitief",
                maat="TotaalBijstandsuitkeringen_22").waarde == 730.0
    # 1713;Definitief;Heemskerk;2023;39431.0;...;Inwoners15TotEnMet64Jaar_5 = 24429.0
    assert pick(obs, regio_code="GM0396", periode="2023", status="definitief",
                maat="Inwoners15TotEnMet64Jaar_5").waarde == 24429.0


def test_85383_region_code_comes_from_regiocode_column(tmp_path):
    # With an empty gemeente list the label cannot be looked up: GM0396 must come from the Regiocode_73 column.
    observations = read_table(CBS_DIR / "85383NED.csv", {})
    codes = {o.regio_code for o in observations}
    # 342 gemeenten + NL00
    assert len(codes) == 343
    assert {"GM0375", "GM0396", "GM0453", "NL00"} <= codes
    assert {o.regio_label for o in observations if o.regio_code == "GM0396"} == {"Heemskerk"}


def test_85383_regiocode_is_text_not_a_measure():
    header, rows = read_rows(CBS_DIR / "85383NED.csv")
    dimensions, measures, texts = classify_columns(header, rows)
    assert texts == ["Regiocode_73"]
    assert dimensions == ["StatusCijfer", "RegioS", "Perioden"]
    assert "TotaalBijstandsuitkeringen_22" in measures
    assert len(measures) == 72  # 73 suffixed columns minus Regiocode_73


# ------------------------------------------------------------------ 85984NED: wijken


def test_85984_wijk_codes_from_padded_codering(tables):
    # 7143;Wijk 01 Heemskerk-Dorp;Heemskerk   ;Wijk   ;WK039601  ;1;1915;...
    wijken = {o.regio_code: o.regio_label for o in tables["85984NED"] if o.regio_code.startswith("WK")}
    assert sorted(wijken) == [f"WK0396{n:02d}" for n in range(1, 12)]
    assert wijken["WK039601"] == "Wijk 01 Heemskerk-Dorp"
    assert wijken["WK039611"] == "Wijk 11 Oostelijk Heemskerk"


def test_85984_inhabitants_per_wijk(tables):
    obs = tables["85984NED"]
    assert pick(obs, regio_code="WK039601", maat="AantalInwoners_5").waarde == 1915
    assert pick(obs, regio_code="WK039605", maat="AantalInwoners_5").waarde == 5120
    # 7142;Heemskerk;Heemskerk;Gemeente;GM0396;1;39452;...
    assert pick(obs, regio_code="GM0396", maat="AantalInwoners_5").waarde == 39452
    # 1915 + 2405 + 5635 + 1855 + 5120 + 5730 + 3055 + 4585 + 4570 + 4580 + 5 = 39455 (wijken rounded to 5; gemeente 39452)
    total = sum(o.waarde for o in obs if o.regio_code.startswith("WK") and o.maat == "AantalInwoners_5")
    assert total == 39455


def test_85984_period_from_default(tables):
    assert {o.periode for o in tables["85984NED"]} == {"2024"}
    assert {o.periode_label for o in tables["85984NED"]} == {"2024"}


def test_text_topic_columns_are_not_measures():
    header, rows = read_rows(CBS_DIR / "85984NED.csv")
    dimensions, measures, texts = classify_columns(header, rows)
    assert dimensions == ["WijkenEnBuurten"]
    assert texts == ["Gemeentenaam_1", "SoortRegio_2", "Codering_3", "IndelingswijzigingGemeenteWijkBuurt_4",
                     "MeestVoorkomendePostcode_125"]
    assert "AantalInwoners_5" in measures
    assert "ID" not in dimensions + measures + texts


def test_text_columns_do_not_become_observations(tables):
    maten = {o.maat for o in tables["85984NED"]}
    assert "Gemeentenaam_1" not in maten
    assert "Codering_3" not in maten


def test_padded_text_is_stripped():
    header, rows = read_rows(CBS_DIR / "85984NED.csv")
    record = dict(zip(header, rows[3]))
    assert record["Gemeentenaam_1"] == "Heemskerk"
    assert record["Codering_3"] == "WK039601"
    assert header[0] == "ID"  # the BOM is gone


# ------------------------------------------------------------------ other tables


def test_86050_dims_string(tables):
    # 3099;Totaal;Heemskerk;2e halfjaar 2023;2570.0;65.0
    o = pick(tables["86050NED"], regio_code="GM0396", periode="2023-H2", maat="WmoClientenPer1000Inwoners_2",
             dimensies="TypeMaatwerkvoorziening=Totaal")
    assert o.waarde == 65.0
    dims = {o.dimensies for o in tables["86050NED"]}
    assert dims == {"TypeMaatwerkvoorziening=Totaal", "TypeMaatwerkvoorziening=Totaal exclusief verblijf en opvang"}


def test_85588_months_and_two_dimensions(tables):
    # 3623;Totaal re-integratie-/participatievoorz.;Lopend eind verslagperiode;Heemskerk;2023 december;340
    o = pick(tables["85588NED"], regio_code="GM0396", periode="2023-12")
    assert o.waarde == 340
    assert o.dimensies == ("TypeReIntegratieParticipatievoorz=Totaal re-integratie-/participatievoorz."
                           "|StatusVoorziening=Lopend eind verslagperiode")
    assert o.periode_label == "2023 december"


def test_ggd_tables_age_and_margin_dimensions(tables):
    # 85012NED 138;Totaal;Waarde;Heemskerk;...;VoldoetAanBeweegrichtlijn_12 = 56.4
    o = pick(tables["85012NED"], regio_code="GM0396", maat="VoldoetAanBeweegrichtlijn_12",
             dimensies="Leeftijd=Totaal|Marges=Waarde")
    assert (o.waarde, o.periode) == (56.4, "2020")
    # 85563NED 1297;18 tot 65 jaar;Waarde;Heemskerk;...;Overgewicht_7 = 51.0
    o = pick(tables["85563NED"], regio_code="GM0396", maat="Overgewicht_7",
             dimensies="Leeftijd=18 tot 65 jaar|Marges=Waarde")
    assert (o.waarde, o.periode) == (51.0, "2022")


# ------------------------------------------------------------------ format errors


def write_csv(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_bytes(("\ufeff" + "\n".join(lines) + "\n").encode("utf-8"))
    return path


def test_file_without_region_column(tmp_path, gemeenten):
    path = write_csv(tmp_path, "99999NED.csv", ["ID;Gebied;Perioden;Aantal_1", "0;Heemskerk;2023;5"])
    with pytest.raises(CbsFormatError) as info:
        read_table(path, gemeenten)
    assert "99999NED.csv" in str(info.value)
    assert "regiokolom" in str(info.value)


def test_file_with_bad_period(tmp_path, gemeenten):
    path = write_csv(tmp_path, "88888NED.csv", ["ID;RegioS;Perioden;Aantal_1", "0;Heemskerk;2023;5",
                                                "1;Heemskerk;3e halfjaar 2023;6"])
    with pytest.raises(CbsFormatError) as info:
        read_table(path, gemeenten)
    message = str(info.value)
    assert "88888NED.csv" in message
    assert "regel 3" in message  # header is line 1
    assert "3e halfjaar 2023" in message


def test_file_without_period_column_needs_a_default(tmp_path, gemeenten):
    path = write_csv(tmp_path, "77777NED.csv", ["ID;RegioS;Aantal_1", "0;Heemskerk;5"])
    with pytest.raises(CbsFormatError, match="77777NED.csv.*Perioden"):
        read_table(path, gemeenten)
    [o] = read_table(path, gemeenten, default_period="2022")
    assert (o.regio_code, o.periode, o.waarde) == ("GM0396", "2022", 5.0)


def test_file_that_is_not_semicolon_separated(tmp_path, gemeenten):
    path = write_csv(tmp_path, "komma.csv", ["ID,RegioS,Perioden,Aantal_1", "0,Heemskerk,2023,5"])
    with pytest.raises(CbsFormatError, match="komma.csv"):
        read_table(path, gemeenten)


def test_unknown_regions_are_skipped(tmp_path, gemeenten):
    path = write_csv(tmp_path, "66666NED.csv", ["ID;RegioS;Perioden;Aantal_1", "0;Heemskerk;2023;5",
                                                "1;Noord-Holland (PV);2023;9", "2;Nederland;2023;100"])
    observations = read_table(path, gemeenten)
    assert [(o.regio_code, o.waarde) for o in observations] == [("GM0396", 5.0), ("NL00", 100.0)]


def test_measures_are_recognised_by_content():
    header = ["ID", "RegioS", "Perioden", "Getal_1", "Tekst_2", "Leeg_3"]
    rows = [["0", "Heemskerk", "2023", "1.5", "GM0396", ""], ["1", "Velsen", "2023", "", "abc", ""]]
    assert classify_columns(header, rows) == (["RegioS", "Perioden"], ["Getal_1", "Leeg_3"], ["Tekst_2"])


def test_store_observations(tmp_path, tables):
    from monitor import store

    con = store.open_store(tmp_path / "cbs.duckdb")
    try:
        cbs.store_observations(con, tables["85098NED"], import_id=7)
        # 3430 lines × 5 measures
        assert con.execute("SELECT count(*) FROM cbs_observation").fetchone()[0] == 17150
        assert con.execute(
            "SELECT waarde, import_id FROM cbs_observation WHERE regio_code = 'GM0396' AND periode = '2024-H1' "
            "AND maat = 'JongerenMetJeugdhulpInNatura_1'").fetchone() == (9.5, 7)
    finally:
        con.close()


# ------------------------------------------------------------------ scripts/extract_cbs.py


@pytest.mark.skipif(not SHARED_DUMP.is_dir(), reason="../shared (real CBS dump) not available")
@pytest.mark.parametrize("table", TABLES)
def test_extract_script_reproduces_the_shipped_extract(tmp_path, table):
    spec = importlib.util.spec_from_file_location("extract_cbs", PROJECT_DIR / "scripts" / "extract_cbs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    target = tmp_path / f"{table}.csv"
    module.extract(SHARED_DUMP / f"{table}.csv", target)
    assert target.read_bytes() == (CBS_DIR / f"{table}.csv").read_bytes()


def test_storing_no_observations_is_a_no_op(tmp_path, gemeenten):
    from monitor import store

    # A valid CBS file whose only region is a province: read_table keeps nothing.
    path = write_csv(tmp_path, "55555NED.csv", ["ID;RegioS;Perioden;Aantal_1", "0;Noord-Holland (PV);2023;9"])
    observations = read_table(path, gemeenten)
    assert observations == []
    con = store.open_store(tmp_path / "cbs.duckdb")
    try:
        cbs.store_observations(con, observations, import_id=1)
        assert con.execute("SELECT count(*) FROM cbs_observation").fetchone()[0] == 0
    finally:
        con.close()
