"""monitor.peers: CBS-based indicators next to buurgemeenten, vergelijkingsgroep, Nederland and the grootteklasse,
and the rank among all gemeenten.

Real values are checked against the raw CBS tables in ../shared (read here with the csv module, independently of
the monitor's reader); ranks and averages are checked on tiny hand-made tables.
"""

from __future__ import annotations

import csv
import functools
import tomllib
from pathlib import Path

import pytest

from monitor import peers
from monitor.cbs import Observation, read_gemeenten, store_observations
from monitor.peers import GROEP_FILE, GroepError, Grootteklasse, Vergelijkingsgroep, load_groep, peer_values, rank

PROJECT_DIR = Path(__file__).resolve().parent.parent
SHARED_DUMP = PROJECT_DIR.parent / "shared" / "realdata" / "cbs_statline_dump_dertje"
needs_shared = pytest.mark.skipif(not SHARED_DUMP.is_dir(), reason="../shared (real CBS dump) not available")

HEEMSKERK, BEVERWIJK, VELSEN = "GM0396", "GM0375", "GM0453"
THREE = ("Heemskerk", "Beverwijk", "Velsen")
JEUGDHULP = "85098NED"
JEUGDHULP_MEASURE = "JongerenMetJeugdhulpInNatura_1"


# ------------------------------------------------------------------ data/vergelijkingsgroep.toml


def test_default_groep():
    groep = load_groep()
    assert (groep.gemeente_code, groep.gemeente_naam) == (HEEMSKERK, "Heemskerk")
    assert groep.buurgemeenten == {BEVERWIJK: "Beverwijk", VELSEN: "Velsen"}
    # The benchmark gemeenten of Cebeon and Lysias (seed 003, paragraph 2.2.1)
    assert list(groep.gemeenten.values()) == ["Boxtel", "Etten-Leur", "Gorinchem", "Zwijndrecht"]
    assert "Cebeon" in groep.bron
    assert groep.grootteklasse == Grootteklasse("20.000 tot 50.000 inwoners", 20000, 50000)


def test_groep_codes_and_names_match_the_gemeentelijst():
    groep = load_groep()
    names = read_gemeenten(PROJECT_DIR / "data" / "gemeenten.csv")
    for code, naam in [(groep.gemeente_code, groep.gemeente_naam), *groep.buurgemeenten.items(),
                       *groep.gemeenten.items()]:
        assert names[naam] == code, naam


@needs_shared
def test_grootteklasse_is_a_class_cbs_publishes():
    # CBS publishes figures per gemeentegrootte in 85098NED, e.g. "4166;20 000 tot 50 000 inwoners;1e halfjaar 2023"
    labels = {row["RegioS"] for row in raw_rows(JEUGDHULP)}
    assert "20 000 tot 50 000 inwoners" in labels
    assert load_groep().grootteklasse.naam.replace(".", " ") in labels


def test_heemskerk_lies_in_its_configured_class(demo_con):
    # 85383NED 1714;Definitief;Heemskerk;2024;39452.0;...  20.000 <= 39.452 < 50.000
    assert peers.inwoners(demo_con)[HEEMSKERK] == 39452
    assert HEEMSKERK in peers.members(demo_con, load_groep().grootteklasse)
    # Velsen (69.241) is in the next class
    assert VELSEN not in peers.members(demo_con, load_groep().grootteklasse)


def test_docs_describe_every_field_and_column():
    text = (PROJECT_DIR / "docs" / "vergelijking.md").read_text(encoding="utf-8")
    raw = tomllib.loads(GROEP_FILE.read_text(encoding="utf-8"))
    for section, value in raw.items():
        assert f"`[{section}]`" in text, section
        for key, inner in value.items():
            if isinstance(inner, dict):
                assert f"`[{section}.{key}]`" in text, key
            elif not key.startswith("GM"):  # gemeente entries are data, not fields
                assert f"`{key}`" in text, key
    for column in peers.COLUMNS:
        assert f"`{column}`" in text, column


def write_groep(tmp_path, text):
    path = tmp_path / "groep.toml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD_GROEP = """
[gemeente]
code = "GM0396"
naam = "Heemskerk"
[buurgemeenten]
GM0375 = "Beverwijk"
[vergelijkingsgroep]
naam = "Test"
bron = "hand"
[vergelijkingsgroep.gemeenten]
GM0757 = "Boxtel"
[grootteklasse]
naam = "20.000 tot 50.000 inwoners"
ondergrens = 20000
bovengrens = 50000
"""


def test_groep_from_another_file(tmp_path):
    groep = load_groep(write_groep(tmp_path, GOOD_GROEP))
    assert groep.gemeenten == {"GM0757": "Boxtel"}


@pytest.mark.parametrize("change, message", [
    (("[buurgemeenten]\nGM0375 = \"Beverwijk\"\n", ""), "buurgemeenten"),
    (("GM0757 = ", "0757 = "), "geen CBS-gemeentecode"),
    (("ondergrens = 20000", "ondergrens = 60000"), "ondergrens"),
    (("bovengrens = 50000", "bovengrens = 50000\nmidden = 1"), "grootteklasse"),
    (("naam = \"Test\"", "naam = "), "kan niet gelezen"),
])
def test_bad_groep_files(tmp_path, change, message):
    path = write_groep(tmp_path, GOOD_GROEP.replace(*change))
    with pytest.raises(GroepError, match=message):
        load_groep(path)


# ------------------------------------------------------------------ real values against the raw CBS tables


@functools.cache
def raw_rows(table: str) -> list[dict[str, str]]:
    """The raw CBS table as dicts, padding stripped."""
    with open(SHARED_DUMP / f"{table}.csv", encoding="utf-8-sig", newline="") as handle:
        return [{k.strip(): v.strip() for k, v in row.items()} for row in csv.DictReader(handle, delimiter=";")]


def raw_value(table: str, column: str, **where) -> float:
    [row] = [r for r in raw_rows(table) if all(r[k] == v for k, v in where.items())]
    return float(row[column])


def expected_jeugdhulp_2023_h1(naam):
    # e.g. 1376;Heemskerk;1e halfjaar 2023;11.7;...
    return raw_value(JEUGDHULP, JEUGDHULP_MEASURE, RegioS=naam, Perioden="1e halfjaar 2023")


def expected_wmo_2023_h1(naam):
    # e.g. 3098;Totaal;Heemskerk;1e halfjaar 2023;2650.0;67.0 → CBS per 1.000 × 10 = 670 per 10.000
    return 10 * raw_value("86050NED", "WmoClientenPer1000Inwoners_2", RegioS=naam, Perioden="1e halfjaar 2023",
                          TypeMaatwerkvoorziening="Totaal")


def expected_bijstand_2024(naam):
    # e.g. 1714;Definitief;Heemskerk;2024;39452.0;...;730.0 → 730 / 39452 × 10.000 = 185,03
    where = {"RegioS": naam, "Perioden": "2024", "StatusCijfer": "Definitief"}
    return (raw_value("85383NED", "TotaalBijstandsuitkeringen_22", **where)
            / raw_value("85383NED", "InwonersTotaal_1", **where) * 10000)


def expected_reintegratie_2023(naam):
    # 85588NED lopend eind december 2023 / 85383NED inwoners 15-64 jaar 2023 × 10.000
    lopend = raw_value("85588NED", "ReIntegratieParticipatievoorzieningen_1", RegioS=naam, Perioden="2023 december",
                       StatusVoorziening="Lopend eind verslagperiode")
    return lopend / raw_value("85383NED", "Inwoners15TotEnMet64Jaar_5", RegioS=naam, Perioden="2023",
                              StatusCijfer="Definitief") * 10000


REAL = [
    ("BBV-JEUGDHULP", "2023-H1", expected_jeugdhulp_2023_h1),
    ("BBV-WMO-MAATWERK", "2023-H1", expected_wmo_2023_h1),
    ("BBV-BIJSTAND", "2024", expected_bijstand_2024),
    ("BBV-REINTEGRATIE", "2023", expected_reintegratie_2023),
]


@needs_shared
@pytest.mark.parametrize("indicator_id, periode, expected", REAL, ids=[r[0] for r in REAL])
def test_real_values_of_heemskerk_and_its_neighbours(demo_con, indicator_id, periode, expected):
    frame = peer_values(demo_con, indicator_id, HEEMSKERK, periode)
    values = dict(zip(frame["naam"], frame["waarde"]))
    for naam in THREE:
        assert values[naam] == pytest.approx(expected(naam), abs=1e-6), naam


@needs_shared
def test_real_values_of_the_vergelijkingsgroep_and_nederland(demo_con):
    frame = peer_values(demo_con, "BBV-JEUGDHULP", HEEMSKERK, "2023-H1")
    values = dict(zip(frame["naam"], frame["waarde"]))
    for naam in ["Boxtel", "Etten-Leur", "Gorinchem", "Zwijndrecht", "Nederland"]:
        assert values[naam] == expected_jeugdhulp_2023_h1(naam), naam


def test_hand_checked_values(demo_con):
    # Independent of ../shared, from the lines quoted in the comments (shipped extracts in data/cbs).
    frame = peer_values(demo_con, "BBV-WMO-MAATWERK", HEEMSKERK, "2023-H1")
    values = dict(zip(frame["naam"], frame["waarde"]))
    # 86050NED 3098;Totaal;Heemskerk;1e halfjaar 2023;2650.0;67.0   942;Totaal;Beverwijk;...;2610.0;61.0
    # 7608;Totaal;Velsen;1e halfjaar 2023;4695.0;68.0
    assert (values["Heemskerk"], values["Beverwijk"], values["Velsen"]) == (670, 610, 680)
    frame = peer_values(demo_con, "BBV-BIJSTAND", HEEMSKERK, "2024")
    values = dict(zip(frame["naam"], frame["waarde"]))
    # 85383NED 2024 definitief: Beverwijk 880 / 42866 × 10.000 = 205,29; Velsen 1280 / 69241 × 10.000 = 184,86
    assert values["Beverwijk"] == pytest.approx(205.29, abs=0.005)
    assert values["Velsen"] == pytest.approx(184.86, abs=0.005)


@needs_shared
def test_grootteklasse_average_by_hand_from_the_raw_tables(demo_con):
    # Members: gemeenten with 20.000 <= inwoners 2024 (definitief, 85383NED) < 50.000; average: the plain mean of
    # their 85098NED jeugdhulp figures for 1e halfjaar 2023.
    inwoners = {r["Regiocode_73"]: float(r["InwonersTotaal_1"]) for r in raw_rows("85383NED")
                if r["Regiocode_73"].startswith("GM") and r["Perioden"] == "2024" and r["StatusCijfer"] == "Definitief"}
    names = {r["Regiocode_73"]: r["RegioS"] for r in raw_rows("85383NED")}
    in_class = [names[c] for c, n in inwoners.items() if 20000 <= n < 50000]
    jeugdhulp = {r["RegioS"]: r[JEUGDHULP_MEASURE] for r in raw_rows(JEUGDHULP) if r["Perioden"] == "1e halfjaar 2023"}
    values = [float(jeugdhulp[n]) for n in in_class if jeugdhulp.get(n)]
    [row] = peer_values(demo_con, "BBV-JEUGDHULP", HEEMSKERK, "2023-H1").query("rol == 'grootteklasse'").itertuples()
    assert row.aantal == len(values) == len(in_class) == 182
    assert row.waarde == pytest.approx(sum(values) / len(values), abs=1e-9)
    assert row.naam == "Gemiddelde gemeenten 20.000 tot 50.000 inwoners"


# ------------------------------------------------------------------ the frame


def test_rows_roles_and_order(demo_con):
    frame = peer_values(demo_con, "BBV-JEUGDHULP", HEEMSKERK, "2023-H1")
    assert list(frame.columns) == peers.COLUMNS
    assert list(frame["rol"]) == ["gemeente", "buurgemeente", "buurgemeente", *["vergelijkingsgroep"] * 4,
                                  "Nederland", "grootteklasse"]
    assert list(frame["naam"][:8]) == ["Heemskerk", "Beverwijk", "Velsen", "Boxtel", "Etten-Leur", "Gorinchem",
                                       "Zwijndrecht", "Nederland"]
    assert list(frame["regio_code"][:8]) == [HEEMSKERK, BEVERWIJK, VELSEN, "GM0757", "GM0777", "GM0512", "GM0642",
                                             "NL00"]
    assert frame["aantal"].isna().sum() == 8
    assert set(frame["eenheid"]) == {"% jongeren tot 18 jaar"}
    assert set(frame["periode"]) == {"2023-H1"}


def test_every_period_when_none_is_given(demo_con):
    frame = peer_values(demo_con, "BBV-JEUGDHULP", HEEMSKERK)
    heemskerk = frame[frame["naam"] == "Heemskerk"]
    # 85098NED Heemskerk: seven half years 2021-H1 .. 2024-H1, in time order (whole years left out by the berekening)
    assert list(heemskerk["periode"]) == ["2021-H1", "2021-H2", "2022-H1", "2022-H2", "2023-H1", "2023-H2", "2024-H1"]
    assert list(frame[frame["rol"] == "grootteklasse"]["periode"]) == list(heemskerk["periode"])


def test_period_in_any_notation(demo_con):
    a = peer_values(demo_con, "BBV-JEUGDHULP", HEEMSKERK, "1e halfjaar 2023")
    b = peer_values(demo_con, "BBV-JEUGDHULP", HEEMSKERK, "2023-H1")
    assert a.equals(b)


def test_a_gemeente_without_a_value_has_no_row(demo_con):
    # 85098NED 659;Boxtel;1e half jaar 2024;11.1;6.9;0.6;54.1;   (jeugdreclassering blank: Boxtel has no row)
    frame = peer_values(demo_con, "BBV-JEUGDRECLASSERING", HEEMSKERK, "2024-H1")
    assert "Boxtel" not in set(frame["naam"])
    assert "Heemskerk" in set(frame["naam"])


def test_errors(demo_con):
    with pytest.raises(ValueError, match="niet uit CBS-cijfers berekend"):
        peer_values(demo_con, "VW-2", HEEMSKERK)
    with pytest.raises(LookupError, match="BESTAAT-NIET"):
        peer_values(demo_con, "BESTAAT-NIET", HEEMSKERK)
    with pytest.raises(GroepError, match="ingesteld voor GM0396"):
        peer_values(demo_con, "BBV-JEUGDHULP", VELSEN)


@needs_shared
def test_rank_of_heemskerk_among_all_gemeenten(demo_con):
    # Counted in the raw 86050NED: gemeenten (data/gemeenten.csv) with a Totaal figure for 1e halfjaar 2023, and
    # those among them above Heemskerk's 67 per 1.000.
    names = set(read_gemeenten(PROJECT_DIR / "data" / "gemeenten.csv"))
    figures = [float(r["WmoClientenPer1000Inwoners_2"]) for r in raw_rows("86050NED")
               if r["RegioS"] in names and r["Perioden"] == "1e halfjaar 2023"
               and r["TypeMaatwerkvoorziening"] == "Totaal" and r["WmoClientenPer1000Inwoners_2"]]
    assert (len(figures), sum(f > 67 for f in figures)) == (337, 114)
    assert rank(demo_con, "BBV-WMO-MAATWERK", HEEMSKERK, "2023-H1") == (115, 337)


# ------------------------------------------------------------------ tiny hand-made tables


def jeugdhulp(regio, waarde, periode="2023-H1"):
    return Observation(JEUGDHULP, regio, regio, periode, periode, "", JEUGDHULP_MEASURE, waarde, None)


def maatstaf(regio, maat, waarde, periode="2024"):
    return Observation("85383NED", regio, regio, periode, periode, "", maat, waarde, "definitief")


def test_rank_by_hand(con):
    store_observations(con, [
        jeugdhulp(HEEMSKERK, 11.7), jeugdhulp(BEVERWIJK, 11.9), jeugdhulp(VELSEN, 13.1),
        jeugdhulp("GM0757", 11.7), jeugdhulp("GM0777", 9.0),
        jeugdhulp("GM0512", None),                       # no figure: not counted
        jeugdhulp("NL00", 50.0),                         # Nederland is no gemeente: not counted
        jeugdhulp("GM0777", 99.0, periode="2023-H2"),    # another period: not counted
        jeugdhulp("GM0642", 99.0, periode="2023"),       # whole year, which the berekening leaves out
    ], import_id=1)
    # 2023-H1 from high to low: Velsen 13,1 (1), Beverwijk 11,9 (2), Heemskerk and Boxtel 11,7 (3 and 3),
    # Etten-Leur 9,0 (5, place 4 skipped after the tie); n = 5
    assert rank(con, "BBV-JEUGDHULP", HEEMSKERK, "2023-H1") == (3, 5)
    assert rank(con, "BBV-JEUGDHULP", VELSEN, "2023-H1") == (1, 5)
    assert rank(con, "BBV-JEUGDHULP", "GM0757", "2023-H1") == (3, 5)
    assert rank(con, "BBV-JEUGDHULP", "GM0777", "2023-H1") == (5, 5)
    # Zwijndrecht (GM0642) only has the whole year: no place, still 5 gemeenten ranked
    assert rank(con, "BBV-JEUGDHULP", "GM0642", "2023-H1") == (None, 5)
    # In 2023-H2 only Etten-Leur has a figure
    assert rank(con, "BBV-JEUGDHULP", "GM0777", "2e halfjaar 2023") == (1, 1)


def test_rank_uses_the_berekening_not_the_raw_count(con):
    store_observations(con, [
        maatstaf(HEEMSKERK, "TotaalBijstandsuitkeringen_22", 100), maatstaf(HEEMSKERK, "InwonersTotaal_1", 10000),
        maatstaf(BEVERWIJK, "TotaalBijstandsuitkeringen_22", 300), maatstaf(BEVERWIJK, "InwonersTotaal_1", 60000),
        maatstaf(VELSEN, "TotaalBijstandsuitkeringen_22", 200), maatstaf(VELSEN, "InwonersTotaal_1", 10000),
        maatstaf("GM0757", "TotaalBijstandsuitkeringen_22", 900),  # no inwoners: no value
    ], import_id=1)
    # per 10.000: Heemskerk 100/10000 → 100, Beverwijk 300/60000 → 50, Velsen 200/10000 → 200.
    # Raw counts would order Beverwijk, Velsen, Heemskerk; the indicator orders Velsen, Heemskerk, Beverwijk.
    assert rank(con, "BBV-BIJSTAND", HEEMSKERK, "2024") == (2, 3)
    assert rank(con, "BBV-BIJSTAND", BEVERWIJK, "2024") == (3, 3)
    assert rank(con, "BBV-BIJSTAND", VELSEN, "2024") == (1, 3)


def test_grootteklasse_average_by_hand(con):
    klasse = Grootteklasse("20.000 tot 50.000 inwoners", 20000, 50000)
    groep = Vergelijkingsgroep(HEEMSKERK, "Heemskerk", {BEVERWIJK: "Beverwijk"}, "Test", "hand", {"GM0757": "Boxtel"},
                               klasse)
    inwoners = {HEEMSKERK: 39452, BEVERWIJK: 42866, VELSEN: 69241, "GM0757": 20000, "GM0777": 50000}
    waarden = {HEEMSKERK: 10.0, BEVERWIJK: 12.0, VELSEN: 30.0, "GM0757": 14.0, "GM0777": 40.0}
    store_observations(con, [maatstaf(c, "InwonersTotaal_1", n) for c, n in inwoners.items()]
                       + [jeugdhulp(c, w) for c, w in waarden.items()] + [jeugdhulp("NL00", 11.0)], import_id=1)
    frame = peer_values(con, "BBV-JEUGDHULP", HEEMSKERK, "2023-H1", groep=groep)
    # In the class: Heemskerk, Beverwijk and Boxtel (20.000 counts, the lower bound is in the class); not Velsen
    # (69.241) nor Etten-Leur (exactly 50.000: the upper bound is not). Unweighted mean (10 + 12 + 14) / 3 = 12.
    assert list(zip(frame["rol"], frame["naam"], frame["waarde"])) == [
        ("gemeente", "Heemskerk", 10.0), ("buurgemeente", "Beverwijk", 12.0), ("vergelijkingsgroep", "Boxtel", 14.0),
        ("Nederland", "Nederland", 11.0), ("grootteklasse", "Gemiddelde gemeenten 20.000 tot 50.000 inwoners", 12.0)]
    assert frame["aantal"].iloc[-1] == 3
    assert frame["status"].iloc[-1] == "definitief"


def test_class_membership_uses_the_latest_inwonertal(con):
    klasse = Grootteklasse("20.000 tot 50.000 inwoners", 20000, 50000)
    store_observations(con, [
        maatstaf(HEEMSKERK, "InwonersTotaal_1", 19000, periode="2023"),
        maatstaf(HEEMSKERK, "InwonersTotaal_1", 21000, periode="2024"),   # grew into the class
        maatstaf(BEVERWIJK, "InwonersTotaal_1", 49000, periode="2023"),
        maatstaf(BEVERWIJK, "InwonersTotaal_1", 51000, periode="2024"),   # grew out of it
        maatstaf(VELSEN, "InwonersTotaal_1", 30000, periode="2023"),
        maatstaf(VELSEN, "InwonersTotaal_1", None, periode="2024"),       # no 2024 figure: 2023 counts
    ], import_id=1)
    assert peers.members(con, klasse) == [HEEMSKERK, VELSEN]


def test_records_based_indicator_has_no_peers(demo_con):
    # FF-4 is counted from Heemskerk's own Suite4SD loonkostensubsidie records: no other gemeente has a value, so
    # comparing would show Heemskerk's 58 for every gemeente. It is refused with the Dutch reason instead.
    assert not peers.comparable("financieel_fit.werkenden_met_loonkostensubsidie")
    assert peers.comparable("opgroeien_en_zelfontplooiing.jongeren_met_jeugdhulp")
    with pytest.raises(ValueError, match="eigen registratie"):
        peer_values(demo_con, "FF-4", HEEMSKERK)
    with pytest.raises(ValueError, match="eigen registratie"):
        rank(demo_con, "FF-4", HEEMSKERK, "2024-H2")


def test_latest_comparison_by_hand(con):
    store_observations(con, [jeugdhulp(HEEMSKERK, 11.7), jeugdhulp(BEVERWIJK, 11.9), jeugdhulp(VELSEN, 13.1),
                             jeugdhulp(HEEMSKERK, 10.0, periode="2022-H2"), jeugdhulp(VELSEN, 99.0, periode="2022-H2"),
                             jeugdhulp("NL00", 12.0)], import_id=1)
    frame, position, count = peers.latest_comparison(con, "BBV-JEUGDHULP", HEEMSKERK)
    # Heemskerk's latest period is 2023-H1: Velsen 13,1 > Beverwijk 11,9 > Heemskerk 11,7 → place 3 of 3 gemeenten
    # (Nederland is not ranked; 2022-H2 is not the latest period and does not count).
    assert set(frame["periode"]) == {"2023-H1"}
    assert list(zip(frame["naam"][:4], frame["waarde"][:4])) == [
        ("Heemskerk", 11.7), ("Beverwijk", 11.9), ("Velsen", 13.1), ("Nederland", 12.0)]
    assert (position, count) == (3, 3)
